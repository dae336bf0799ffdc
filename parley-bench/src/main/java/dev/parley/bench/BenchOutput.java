package dev.parley.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.parley.eval.Percentiles;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/** How the modes of {@code parley bench} write their results: the JSON object, its common keys, the charts, numbers. */
final class BenchOutput {
    private BenchOutput() {
    }

    static String writeJson(Object m) throws IOException {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m);
    }

    /** The keys every JSON result ends with; per_clip, the longest, last. */
    static void finish(Map<String, Object> m) {
        m.put("date", ZonedDateTime.now().toString());
        m.put("cpu_cores", Runtime.getRuntime().availableProcessors());
        Object perClip = m.remove("per_clip");
        if (perClip != null) m.put("per_clip", perClip);
    }

    /** --out: the two charts and the JSON result; nothing without {@code out}. */
    static void writeCharts(Path out, BenchFigures figures, Map<String, Object> result, String where) throws IOException {
        if (out == null) return;
        Files.writeString(out.resolve("latency.svg"), SvgCharts.latencyCdf(figures, "parley bench: end-to-end latency (" + where + ")"));
        Files.writeString(out.resolve("waterfall.svg"), SvgCharts.waterfall(figures, "parley bench: waterfall per clip (" + where + ")"));
        Files.writeString(out.resolve("results.json"), writeJson(result) + "\n");
    }

    static Map<String, Object> summaries(Map<String, Percentiles.Summary> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, s) -> out.put(k, BenchFigures.summary(s)));
        return out;
    }

    static void row(PrintWriter o, String name, Percentiles.Summary s) {
        o.printf("%-50s %8.1f %8.1f %8.1f %8.1f %8.1f%n", name, s.p50(), s.p95(), s.p99(), s.max(), s.mean());
    }

    static String ms1(double v) {
        return Double.isNaN(v) ? "-" : String.format("%.1f ms", v);
    }

    static String ms(double v) {
        return Double.isNaN(v) ? "-" : Math.round(v) + " ms";
    }

    static Map<String, Double> rounded(Map<String, Double> m) {
        Map<String, Double> r = new LinkedHashMap<>();
        m.forEach((k, v) -> r.put(k, BenchFigures.round(v)));
        return r;
    }
}

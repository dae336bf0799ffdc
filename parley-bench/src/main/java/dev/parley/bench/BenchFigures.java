package dev.parley.bench;

import dev.parley.eval.Percentiles;
import dev.parley.eval.WordErrorRate;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures every way of running {@code parley bench} over a corpus reports alike, whatever measured them (a
 * session in process, a loopback server, a server elsewhere): per clip the end-to-end latency, the stages of the
 * reply's waterfall when the pipeline told them, the transcript and its word error rate; and their summaries. One
 * shape, so the JSON, the table and the charts ({@link SvgCharts}) are the same for every path.
 *
 * <p>Stages are only ever what the pipeline reported (Parley's waterfall; over the Realtime protocol, the
 * {@code latency_*_ms} metadata of {@code response.done}): a server that reports none has none here, and nothing is
 * made up from the end-to-end figure.
 */
public record BenchFigures(List<Clip> clips) {
    /** The stages of Parley's waterfall, in the order they happen. */
    public static final List<String> STAGES = List.of("endpoint", "stt", "dialog", "tts", "out");

    /**
     * One clip.
     *
     * @param endToEndMs from the clip's real end of speech to the first reply audio; NaN when no reply followed it
     * @param stagesMs   the answered reply's stages ({@link #STAGES}, those reported), empty when absent or unanswered
     * @param errors     what went wrong in the clip's session (protocol {@code error} events, a dropped connection)
     */
    public record Clip(String name, String language, String reference, String transcript, WordErrorRate.Result wer,
                       double endToEndMs, Map<String, Double> stagesMs, List<String> errors) {
        public Clip {
            stagesMs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(stagesMs)); // in stage order
            errors = List.copyOf(errors);
        }

        public boolean answered() {
            return !Double.isNaN(endToEndMs);
        }
    }

    public BenchFigures {
        clips = List.copyOf(clips);
    }

    /** The in-process path's clips (the session's own waterfall). */
    public static BenchFigures ofCorpus(CorpusBenchmark.Report report) {
        List<Clip> clips = new ArrayList<>();
        for (CorpusBenchmark.ClipResult c : report.clips()) {
            Map<String, Double> stages = c.waterfall() == null || Double.isNaN(c.endToEndMs()) ? Map.of() : stages(c.waterfall().stagesMs());
            clips.add(new Clip(c.clip(), c.language(), c.reference(), c.transcript(), c.wer(), c.endToEndMs(), stages, List.of()));
        }
        return new BenchFigures(clips);
    }

    /** The Realtime (WebSocket) path's clips of a server run. */
    public static BenchFigures ofServer(ServerBenchmark.Report report) {
        List<Clip> clips = new ArrayList<>();
        for (ServerBenchmark.ClipResult c : report.clips()) {
            ServerBenchmark.Leg ws = c.webSocket();
            if (ws == null) continue;
            Map<String, Double> stages = Double.isNaN(ws.endToEndMs()) ? Map.of() : stages(ws.waterfallMs());
            clips.add(new Clip(c.clip(), c.language(), c.reference(), ws.transcript(), ws.wer(), ws.endToEndMs(), stages, ws.errors()));
        }
        return new BenchFigures(clips);
    }

    private static Map<String, Double> stages(Map<String, Double> waterfall) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (String s : STAGES) {
            Double v = waterfall.get(s);
            if (v != null && !v.isNaN()) m.put(s, v);
        }
        return m;
    }

    /** End to end over the answered clips. */
    public Percentiles.Summary endToEnd() {
        return Percentiles.of(clips.stream().filter(Clip::answered).mapToDouble(Clip::endToEndMs).toArray());
    }

    /** Each reported stage over the answered clips that reported it; empty when no clip reported any. */
    public Map<String, Percentiles.Summary> stages() {
        Map<String, Percentiles.Summary> m = new LinkedHashMap<>();
        for (String s : STAGES) {
            double[] v = clips.stream().filter(c -> c.stagesMs().containsKey(s)).mapToDouble(c -> c.stagesMs().get(s)).toArray();
            if (v.length > 0) m.put(s, Percentiles.of(v));
        }
        return m;
    }

    /** Word error rate over the English clips (the normaliser reads English number words). */
    public WordErrorRate.Result wer() {
        return WordErrorRate.sum(clips.stream().filter(c -> c.language().equals("en")).map(Clip::wer).toList());
    }

    public int answered() {
        return (int) clips.stream().filter(Clip::answered).count();
    }

    /**
     * The common keys of {@code --json}: {@code clips}, {@code answered}, {@code end_to_end_ms} and
     * {@code stages_ms} (summaries), {@code wer} (English clips), {@code per_clip}; and {@code stages_absent} when
     * no clip had a waterfall.
     */
    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("clips", clips.size());
        m.put("answered", answered());
        m.put("end_to_end_ms", summary(endToEnd()));
        Map<String, Object> stages = new LinkedHashMap<>();
        stages().forEach((k, s) -> stages.put(k, summary(s)));
        m.put("stages_ms", stages);
        if (stages.isEmpty()) m.put("stages_absent", "the replies carried no latency waterfall");
        m.put("wer", round4(wer().wer()));
        m.put("wer_reference_words", wer().referenceWords());
        List<Map<String, Object>> per = new ArrayList<>();
        for (Clip c : clips) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("clip", c.name());
            p.put("language", c.language());
            p.put("end_to_end_ms", round(c.endToEndMs()));
            Map<String, Object> st = new LinkedHashMap<>();
            c.stagesMs().forEach((k, v) -> st.put(k, round(v)));
            p.put("stages_ms", st.isEmpty() ? null : st);
            p.put("wer", round4(c.wer().wer()));
            p.put("reference", c.reference());
            p.put("transcript", c.transcript());
            p.put("errors", c.errors());
            per.add(p);
        }
        m.put("per_clip", per);
        return m;
    }

    /** The summary table and every clip's figures. */
    public void printTable(PrintWriter o) {
        o.printf("%-22s %8s %8s %8s %8s %8s %6s%n", "latency (ms)", "p50", "p95", "p99", "max", "mean", "n");
        row(o, "end_to_end", endToEnd());
        Map<String, Percentiles.Summary> stages = stages();
        if (stages.isEmpty()) o.println("  stages               absent: the replies carried no latency waterfall");
        stages.forEach((k, s) -> row(o, "  " + k, s));
        o.printf("word error rate (en)   %.1f %% (%d words)%n", 100 * wer().wer(), wer().referenceWords());
        printPerClip(o);
    }

    /** Every clip: end to end, stages, word error rate and transcript. */
    public void printPerClip(PrintWriter o) {
        o.printf("%-48s %9s %7s  %-36s %s%n", "clip", "e2e (ms)", "WER", "stages (ms)", "transcript");
        for (Clip c : clips) {
            StringBuilder st = new StringBuilder();
            c.stagesMs().forEach((k, v) -> st.append(st.isEmpty() ? "" : " ").append(k).append(' ').append(Math.round(v)));
            o.printf("%-48s %9s %6.1f%%  %-36s %s%n", c.name(), c.answered() ? String.valueOf(Math.round(c.endToEndMs())) : "-",
                    100 * c.wer().wer(), st.isEmpty() ? "-" : st, c.transcript());
        }
    }

    private static void row(PrintWriter o, String name, Percentiles.Summary s) {
        o.printf("%-22s %8.0f %8.0f %8.0f %8.0f %8.0f %6d%n", name, s.p50(), s.p95(), s.p99(), s.max(), s.mean(), s.count());
    }

    /** A summary for JSON: p50, p95, p99, max, mean (one decimal, null when nothing was measured) and count. */
    public static Map<String, Object> summary(Percentiles.Summary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("p50", round(s.p50()));
        m.put("p95", round(s.p95()));
        m.put("p99", round(s.p99()));
        m.put("max", round(s.max()));
        m.put("mean", round(s.mean()));
        m.put("count", s.count());
        return m;
    }

    /** One decimal; NaN (nothing measured) becomes null in JSON. */
    public static Double round(double v) {
        return Double.isNaN(v) ? null : Math.round(v * 10) / 10.0;
    }

    private static Double round4(double v) {
        return Double.isNaN(v) ? null : Math.round(v * 10_000) / 10_000.0;
    }
}

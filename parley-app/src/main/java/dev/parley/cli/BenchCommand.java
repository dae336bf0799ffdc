package dev.parley.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.parley.bench.CorpusBenchmark;
import dev.parley.dialog.RuleBasedDialog;
import dev.parley.eval.CorpusManifest;
import dev.parley.eval.Percentiles;
import dev.parley.providers.EmbeddedStack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "bench", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Latency and accuracy over a speech corpus: every clip of DIR/manifest.tsv goes through the whole loop",
                "in real time, in a fresh session; end-to-end latency runs from the clip's real end of speech (speech_end_s)",
                "to the first audio of the reply. Reports p50/p95/p99 per stage, word error rate, start-up time and memory."})
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--corpus", paramLabel = "DIR", defaultValue = "../shared/corpus/dev",
            description = "Folder with manifest.tsv. Default: ${DEFAULT-VALUE}.")
    Path corpus;

    @Option(names = "--json", description = "Print the results as one JSON object.")
    boolean json;

    @Option(names = "--out", paramLabel = "DIR", description = "Keep every clip's reply audio in DIR.")
    Path out;

    @Option(names = "--limit", paramLabel = "N", description = "Only the first N clips.")
    Integer limit;

    @Mixin
    PipelineOptions pipeline;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<CorpusManifest.Clip> clips;
        try {
            clips = CorpusManifest.read(corpus);
        } catch (IOException e) {
            throw new UserError("cannot read the corpus: " + e.getMessage(), e);
        }
        if (limit != null) clips = clips.subList(0, Math.min(limit, clips.size()));
        if (out != null) Files.createDirectories(out);
        PrintWriter o = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        EmbeddedStack stack = Startup.embedded(pipeline.voice);
        long readyMs = System.currentTimeMillis() - jvmStart;
        long[] firstReplyMs = {-1};
        CorpusBenchmark.Report report = CorpusBenchmark.run(clips,
                () -> stack.engines(new RuleBasedDialog(Clock.systemDefaultZone())), pipeline.sessionConfig(), pipeline.outputRate(),
                true, out, c -> {
                    if (firstReplyMs[0] < 0 && c.waterfall() != null) firstReplyMs[0] = System.currentTimeMillis() - jvmStart;
                    if (!json) err.printf("%-48s %7s  WER %5.1f%%  %s%n", c.clip(),
                            Double.isNaN(c.endToEndMs()) ? "-" : Math.round(c.endToEndMs()) + " ms", 100 * c.wer().wer(), c.transcript());
                });
        Memory mem = Memory.read();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("clips", report.clips().size());
            m.put("answered", report.latencyMs().get("end_to_end").count());
            report.latencyMs().forEach((k, s) -> m.put(k + "_ms", summary(s)));
            m.put("wer", report.wer().wer());
            m.put("ready_ms", readyMs);
            m.put("rss_peak_mb", mem.peakMb());
            m.put("date", ZonedDateTime.now().toString());
            m.put("cpu_cores", Runtime.getRuntime().availableProcessors());
            o.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m));
            return 0;
        }
        o.printf("%n%d clips, %d answered; %s, %d cores, Java %s%n", report.clips().size(), report.latencyMs().get("end_to_end").count(),
                ZonedDateTime.now().withNano(0), Runtime.getRuntime().availableProcessors(), Runtime.version());
        o.printf("%-22s %8s %8s %8s %8s %8s%n", "latency (ms)", "p50", "p95", "p99", "max", "mean");
        report.latencyMs().forEach((k, s) -> o.printf("%-22s %8.0f %8.0f %8.0f %8.0f %8.0f%n", k, s.p50(), s.p95(), s.p99(), s.max(), s.mean()));
        o.printf("word error rate (en)   %.1f %% (%d words)%n", 100 * report.wer().wer(), report.wer().referenceWords());
        o.printf("start-up to ready      %d ms; to first reply audio %d ms (includes the first clip's speech)%n", readyMs, firstReplyMs[0]);
        o.printf("resident memory        %d MB now, %d MB peak%n", mem.nowMb(), mem.peakMb());
        return 0;
    }

    private static Map<String, Double> summary(Percentiles.Summary s) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("p50", round(s.p50()));
        m.put("p95", round(s.p95()));
        m.put("p99", round(s.p99()));
        m.put("max", round(s.max()));
        return m;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    /** The process's resident memory, from /proc (Linux). */
    record Memory(long nowMb, long peakMb) {
        static Memory read() {
            try {
                long now = -1, peak = -1;
                for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (line.startsWith("VmRSS:")) now = kb(line) / 1024;
                    if (line.startsWith("VmHWM:")) peak = kb(line) / 1024;
                }
                return new Memory(now, peak);
            } catch (IOException e) {
                return new Memory(-1, -1);
            }
        }

        private static long kb(String line) {
            return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
    }
}

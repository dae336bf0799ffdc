package dev.parley.bench;

import dev.parley.session.SessionConfig;
import dev.parley.session.VoiceSession;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import static dev.parley.bench.BenchOutput.finish;
import static dev.parley.bench.BenchOutput.writeCharts;
import static dev.parley.bench.BenchOutput.writeJson;

/**
 * {@code parley bench} in process: every clip through a {@link VoiceSession} in this JVM ({@link CorpusBenchmark}),
 * with the start-up time (JVM start to engines loaded, and to the first reply audio) and the resident memory.
 */
public final class CorpusInProcess {
    private CorpusInProcess() {
    }

    /** Runs the corpus and prints (or writes) the results; returns the exit code. */
    public static int run(BenchRun run, BenchRun.EngineLoader loader, SessionConfig config, int outputRate) throws Exception {
        PrintWriter o = run.out(), err = run.err();
        boolean json = run.json();
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        Supplier<VoiceSession.Engines> engines = loader.load();
        long readyMs = System.currentTimeMillis() - jvmStart;
        long[] firstReplyMs = {-1};
        int warm = run.warmup() == null ? 0 : Math.min(run.warmup(), run.clips().size());
        if (warm > 0) {
            if (!json) err.printf("warm-up (not counted): %d clip(s)%n", warm);
            CorpusBenchmark.run(run.clips().subList(0, warm), engines, config, outputRate, true, null, c -> {});
        }
        CorpusBenchmark.Report report = CorpusBenchmark.run(run.clips(), engines, config, outputRate, true, run.outDir(), c -> {
            if (firstReplyMs[0] < 0 && c.waterfall() != null) firstReplyMs[0] = System.currentTimeMillis() - jvmStart;
            if (!json) err.printf("%-48s %7s  WER %5.1f%%  %s%n", c.clip(),
                    Double.isNaN(c.endToEndMs()) ? "-" : Math.round(c.endToEndMs()) + " ms", 100 * c.wer().wer(), c.transcript());
        });
        ProcStatus.Resident mem = ProcStatus.resident();
        BenchFigures figures = BenchFigures.ofCorpus(report);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("transport", "inprocess");
        m.putAll(figures.json());
        report.latencyMs().forEach((k, s) -> {
            if (!k.equals("end_to_end")) m.put(k + "_ms", BenchFigures.summary(s));
        });
        m.put("ready_ms", readyMs);
        m.put("rss_peak_mb", mem.peakMb());
        if (warm > 0) m.put("warmup_clips", warm);
        finish(m);
        writeCharts(run.outDir(), figures, m, "in process");
        if (json) {
            o.println(writeJson(m));
            return 0;
        }
        o.printf("%n%d clips, %d answered; %s, %d cores, Java %s%n", report.clips().size(), report.latencyMs().get("end_to_end").count(),
                ZonedDateTime.now().withNano(0), Runtime.getRuntime().availableProcessors(), Runtime.version());
        o.printf("%-22s %8s %8s %8s %8s %8s%n", "latency (ms)", "p50", "p95", "p99", "max", "mean");
        report.latencyMs().forEach((k, s) -> o.printf("%-22s %8.0f %8.0f %8.0f %8.0f %8.0f%n", k, s.p50(), s.p95(), s.p99(), s.max(), s.mean()));
        o.printf("word error rate (en)   %.1f %% (%d words)%n", 100 * report.wer().wer(), report.wer().referenceWords());
        o.printf("start-up to ready      %d ms; to first reply audio %d ms (includes the first clip's speech)%n", readyMs, firstReplyMs[0]);
        o.printf("resident memory        %d MB now, %d MB peak%n", mem.nowMb(), mem.peakMb());
        o.println();
        figures.printPerClip(o);
        if (run.outDir() != null) o.printf("charts and results.json in %s%n", run.outDir());
        return 0;
    }
}

package dev.parley.bench;

import dev.parley.session.SessionConfig;
import dev.parley.session.VoiceSession;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static dev.parley.bench.BenchOutput.finish;
import static dev.parley.bench.BenchOutput.ms;
import static dev.parley.bench.BenchOutput.ms1;
import static dev.parley.bench.BenchOutput.rounded;
import static dev.parley.bench.BenchOutput.row;
import static dev.parley.bench.BenchOutput.summaries;
import static dev.parley.bench.BenchOutput.writeCharts;
import static dev.parley.bench.BenchOutput.writeJson;

/**
 * {@code parley bench --transport websocket|both}: the corpus through a Realtime server on loopback in this JVM
 * ({@link ServerBenchmark#run}), and with {@code both} each clip in process too, with the difference per clip and
 * what the socket itself adds to a turn.
 */
public final class CorpusOverLoopback {
    private CorpusOverLoopback() {
    }

    /**
     * Runs the corpus over the WebSocket (and in process too when {@code both}) and prints (or writes) the results;
     * returns the exit code.
     */
    public static int run(BenchRun run, boolean both, BenchRun.EngineLoader loader, SessionConfig config, String voice,
                          int outputRate) throws Exception {
        PrintWriter o = run.out(), err = run.err();
        boolean json = run.json();
        Path out = run.outDir();
        int warm = run.warmup() == null ? 1 : run.warmup();
        String loadBefore = ProcStatus.loadAverage();
        Supplier<VoiceSession.Engines> engines = loader.load();
        if (!json) {
            if (both) err.printf("%-44s %10s %10s %8s %9s %9s %9s  %s%n", "clip", "in process", "websocket", "diff",
                    "lag (in)", "lag (ws)", "ws adds", "transcript (websocket)");
            else err.printf("%-44s %10s %9s %9s  %s%n", "clip", "websocket", "lag", "ws adds", "transcript");
        }
        ServerBenchmark.Report report = ServerBenchmark.run(run.clips(), engines,
                config, voice, outputRate, both, true, warm,
                note -> {
                    if (!json) err.println(note);
                }, c -> {
                    if (json) return;
                    ServerBenchmark.Leg ws = c.webSocket(), in = c.inProcess();
                    if (both) {
                        double d = c.differenceMs();
                        err.printf("%-44s %10s %10s %8s %9s %9s %9s  %s%n", c.clip(), ms(in.endToEndMs()), ms(ws.endToEndMs()),
                                Double.isNaN(d) ? "-" : String.format("%+.0f ms", d), ms(in.inputLagMs()), ms(ws.inputLagMs()),
                                ms1(ws.transport().totalMs()), ws.transcript());
                    } else {
                        err.printf("%-44s %10s %9s %9s  %s%n", c.clip(), ms(ws.endToEndMs()), ms(ws.inputLagMs()),
                                ms1(ws.transport().totalMs()), ws.transcript());
                    }
                    for (String e : ws.errors()) err.println("    error: " + e);
                });
        String loadAfter = ProcStatus.loadAverage();
        ProcStatus.Resident mem = ProcStatus.resident();
        int errors = report.clips().stream().mapToInt(c -> c.webSocket().errors().size()).sum();
        BenchFigures figures = BenchFigures.ofServer(report);
        Map<String, Object> m = new LinkedHashMap<>();
        {
            m.put("transport", both ? "both" : "websocket");
            m.put("server", "loopback, same JVM");
            m.putAll(figures.json()); // the WebSocket path's figures
            m.put("warmup_clips", report.warmupClips());
            Map<String, Object> answered = new LinkedHashMap<>();
            if (both) answered.put("inprocess", report.endToEndMs().get("inprocess").count());
            answered.put("websocket", report.endToEndMs().get("websocket").count());
            m.put("answered", answered);
            if (both) {
                // beside the WebSocket path's summary, each path's and their difference
                @SuppressWarnings("unchecked") Map<String, Object> e2e = (Map<String, Object>) m.get("end_to_end_ms");
                e2e.putAll(summaries(report.endToEndMs()));
                Map<String, Object> wer = new LinkedHashMap<>();
                report.wer().forEach((k, w) -> wer.put(k, w.wer()));
                m.put("wer_by_path", wer);
            }
            m.put("input_lag_ms", summaries(report.inputLagMs()));
            Map<String, Object> transportMs = new LinkedHashMap<>();
            report.transportMs().forEach((path, parts) -> transportMs.put(path, summaries(parts)));
            m.put("added_by_transport_ms", transportMs);
            Map<String, Object> stages = new LinkedHashMap<>();
            report.waterfallMs().forEach((path, bySt) -> stages.put(path, summaries(bySt)));
            m.put("waterfall_ms", stages);
            m.put("network_round_trip_ms", report.networkMs() == null ? null : BenchFigures.summary(report.networkMs()));
            m.put("errors", errors);
            List<Map<String, Object>> turns = new ArrayList<>();
            for (ServerBenchmark.ClipResult c : report.clips()) {
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("clip", c.clip());
                if (both) {
                    t.put("inprocess_ms", BenchFigures.round(c.inProcess().endToEndMs()));
                    t.put("inprocess_fed_ms", BenchFigures.round(c.inProcess().fedEndToEndMs()));
                }
                t.put("websocket_ms", BenchFigures.round(c.webSocket().endToEndMs()));
                if (both) t.put("difference_ms", BenchFigures.round(c.differenceMs()));
                Map<String, Object> lag = new LinkedHashMap<>();
                if (both) lag.put("inprocess", BenchFigures.round(c.inProcess().inputLagMs()));
                lag.put("websocket", BenchFigures.round(c.webSocket().inputLagMs()));
                t.put("input_lag_ms", lag);
                Map<String, Object> added = new LinkedHashMap<>();
                if (both) added.put("inprocess", transport(c.inProcess().transport()));
                added.put("websocket", transport(c.webSocket().transport()));
                t.put("added_by_transport_ms", added);
                t.put("network_ms", BenchFigures.round(c.webSocket().networkMs()));
                Map<String, Object> w = new LinkedHashMap<>();
                if (both) w.put("inprocess", rounded(c.inProcess().waterfallMs()));
                w.put("websocket", rounded(c.webSocket().waterfallMs()));
                t.put("waterfall_ms", w);
                Map<String, Object> transcript = new LinkedHashMap<>();
                if (both) transcript.put("inprocess", c.inProcess().transcript());
                transcript.put("websocket", c.webSocket().transcript());
                t.put("transcript", transcript);
                t.put("errors", c.webSocket().errors());
                turns.add(t);
            }
            m.put("turns", turns);
            m.put("rss_peak_mb", mem.peakMb());
            m.put("load_average", Map.of("before", loadBefore, "after", loadAfter));
            finish(m);
        }
        writeCharts(out, figures, m, "websocket, loopback");
        if (json) {
            o.println(writeJson(m));
            return 0;
        }
        o.printf("%n%d clips (after %d warm-up), answered %s over the WebSocket (loopback, server in this JVM); %s, %d cores, Java %s%n",
                report.clips().size(), report.warmupClips(),
                (both ? report.endToEndMs().get("inprocess").count() + " in process, " : "") + report.endToEndMs().get("websocket").count(),
                ZonedDateTime.now().withNano(0), Runtime.getRuntime().availableProcessors(), Runtime.version());
        o.printf("load average (1, 5, 15 min) before: %s; after: %s%n", loadBefore, loadAfter);
        o.printf("%-50s %8s %8s %8s %8s %8s%n", "ms", "p50", "p95", "p99", "max", "mean");
        o.println("end to end, from the real end of speech on the microphone's timeline");
        Map<String, String> names = Map.of("inprocess", "in process", "websocket", "websocket (first delta at the client)",
                "difference", "difference per clip (websocket - in process)",
                "inprocess_fed", "in process, counted as 'parley bench' does");
        report.endToEndMs().forEach((k, s) -> row(o, "  " + names.get(k), s));
        o.println("input lag at the endpoint (behind the microphone)");
        report.inputLagMs().forEach((k, s) -> row(o, "  " + (k.equals("websocket") ? "websocket (speech_stopped at the client)" : names.get(k)), s));
        o.println("what the transport adds to a turn, apart from the pipeline's work");
        report.transportMs().forEach((path, parts) -> parts.forEach((k, s) -> row(o, "  " + names.get(path).split(" \\(")[0] + ", " + switch (k) {
            case "input" -> "input (endpoint audio recorded -> VAD on it)";
            case "output" -> "output (first audio out of the pipeline -> arrived)";
            default -> "total";
        }, s)));
        if (report.networkMs() != null) row(o, "socket round trip (parley.latency network_ms)", report.networkMs());
        report.waterfallMs().forEach((path, bySt) -> {
            o.println(path.equals("websocket") ? "server waterfall (response.done metadata)" : "in-process waterfall");
            bySt.forEach((k, s) -> row(o, "  " + k, s));
        });
        report.wer().forEach((k, w) -> o.printf("word error rate (en), %-10s %.1f %% (%d words)%n", names.get(k).split(" \\(")[0],
                100 * w.wer(), w.referenceWords()));
        o.printf("errors                 %d%n", errors);
        o.printf("resident memory        %d MB now, %d MB peak%n", mem.nowMb(), mem.peakMb());
        o.println();
        figures.printPerClip(o);
        if (out != null) o.printf("charts and results.json in %s%n", out);
        return 0;
    }

    private static Map<String, Object> transport(ServerBenchmark.Transport t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("input", BenchFigures.round(t.inputMs()));
        m.put("output", BenchFigures.round(t.outputMs()));
        m.put("total", BenchFigures.round(t.totalMs()));
        if (!Double.isNaN(t.firstDeltaAudioMs())) m.put("first_delta_audio", BenchFigures.round(t.firstDeltaAudioMs()));
        return m;
    }
}

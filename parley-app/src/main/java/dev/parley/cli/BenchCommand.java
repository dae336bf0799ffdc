package dev.parley.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.parley.bench.BenchFigures;
import dev.parley.bench.CorpusBenchmark;
import dev.parley.bench.IdleSessionsBenchmark;
import dev.parley.bench.ServerBenchmark;
import dev.parley.bench.SvgCharts;
import dev.parley.bench.turns.TurnBenchmark;
import dev.parley.bench.turns.TurnMode;
import dev.parley.eval.CorpusManifest;
import dev.parley.eval.Percentiles;
import dev.parley.embedded.EmbeddedStack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "bench", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Latency and accuracy over a speech corpus: every clip of",
                "DIR/manifest.tsv goes through the whole loop in real time, in a fresh",
                "session; end-to-end latency runs from the clip's real end of speech",
                "(speech_end_s) to the first audio of the reply. Reports p50/p95/p99 per",
                "stage, word error rate, start-up time and memory.",
                "",
                "--transport websocket: the clips go through a Realtime server on loopback",
                "in this JVM instead, streamed by a WebSocket client as a browser sends",
                "them (24 kHz PCM16, 20 ms appends, in real time) and timed at the client;",
                "'both' runs every clip both ways, alternating which goes first, and",
                "reports the difference per clip and what the socket itself adds to a",
                "turn, apart from the pipeline's own work.",
                "",
                "--url ws://HOST:PORT/v1/realtime: the clips go to a Realtime server that",
                "runs elsewhere, any server speaking OpenAI's Realtime protocol; nothing is",
                "loaded here. Stages come from the waterfall in response.done (Parley's);",
                "a server that sends none gets end to end and word error rate only.",
                "",
                "--out DIR: latency.svg (distribution of end to end), waterfall.svg (one",
                "bar per clip, stages stacked) and results.json (what --json prints); in",
                "process DIR also keeps every clip's reply audio (CLIP.wav).",
                "",
                "--idle-sessions N: instead of the corpus, what an idle session costs a",
                "server (in a child JVM, default settings) and whether N sessions open at",
                "once all stay up. Exit code 1 when any of them failed."})
final class BenchCommand implements Callable<Integer> {
    /** Where the corpus goes: Parley in this process, a Realtime server over a WebSocket, or each clip through both. */
    enum Transport { inprocess, websocket, both }

    @Option(names = "--corpus", paramLabel = "DIR", defaultValue = "../shared/corpus/dev",
            description = "Folder with manifest.tsv. Default: ${DEFAULT-VALUE}.")
    Path corpus;

    @Option(names = "--json", description = "Print the results as one JSON object.")
    boolean json;

    @Option(names = "--out", paramLabel = "DIR", description = "Write the charts latency.svg and waterfall.svg and results.json into DIR; "
            + "in process also every clip's reply audio.")
    Path out;

    @Option(names = "--url", paramLabel = "URL",
            description = "Run the clips against this Realtime server, e.g. ws://HOST:PORT/v1/realtime (ws:// or wss://), instead of "
                    + "one in this process; loads no engines.")
    URI url;

    @Option(names = "--auth-token-env", paramLabel = "VAR",
            description = "With --url: send 'Authorization: Bearer' with the token in environment variable VAR (never printed).")
    String authTokenEnv;

    @Option(names = "--limit", paramLabel = "N", description = "Only the first N clips.")
    Integer limit;

    @Option(names = "--transport", paramLabel = "inprocess|websocket|both",
            description = "inprocess: a VoiceSession in this process, fed each clip at its own rate; websocket: a Realtime "
                    + "server on loopback in this JVM, fed by a WebSocket client in real time at 24 kHz; both: each clip "
                    + "through both, the in-process path fed the same 24 kHz audio, and the difference per clip. "
                    + "Default: ${DEFAULT-VALUE}.", defaultValue = "inprocess")
    Transport transport;

    @Option(names = "--warmup", paramLabel = "N",
            description = "Run the first N clips on each path before measuring, not counted. Default: 1 with websocket or both, 0 in process.")
    Integer warmup;

    @Option(names = "--idle-sessions", paramLabel = "N",
            description = "Instead of the corpus: open N idle WebSocket sessions at once on a server in a child JVM; report its "
                    + "heap (after GC) and resident memory per session, hold them, check every one still answers a "
                    + "session.update, close them and check the server counts none.")
    Integer idleSessions;

    @Option(names = "--idle-hold-s", paramLabel = "S", defaultValue = "10",
            description = "How long --idle-sessions holds the sessions open before checking them. Default: ${DEFAULT-VALUE}.")
    int idleHoldS;

    @Option(names = "--intents", description = "Instead of the corpus: the intent classifier's accuracy on the held-out split of its labelled dataset.")
    boolean intents;

    @Option(names = "--turns", arity = "0..1", fallbackValue = "both", paramLabel = "silence|words|both",
            description = "Instead of latency: turn-taking (pauses inside sentences, endpoint wait, runs of sentences, backchannels "
                    + "over a reply) with turn detection by silence, by words, or both compared (the default).")
    TurnMode.Selection turns;

    @Mixin
    BrainOptions brainOptions;

    @Mixin
    PipelineOptions pipeline;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (intents) {
            // the held-out accuracy of the intent classifier, the settings tried and the time to classify
            dev.parley.dialog.nlu.IntentEvaluation.main(new String[0]);
            return 0;
        }
        if (idleSessions != null) return idle();
        if (turns != null) return turns();
        if (warmup != null && warmup < 0) throw new UserError("invalid setting: --warmup must be 0 or more");
        var parsed = spec.commandLine().getParseResult();
        if (url != null && parsed.hasMatchedOption("--transport") && transport != Transport.websocket) {
            throw new UserError("--url runs the clips over the WebSocket only; it does not go with --transport " + transport);
        }
        if (url == null && authTokenEnv != null) throw new UserError("--auth-token-env goes with --url");
        ServerBenchmark.Target target = url == null ? null : target();
        List<CorpusManifest.Clip> clips;
        try {
            clips = CorpusManifest.read(corpus);
        } catch (IOException e) {
            throw new UserError("cannot read the corpus: " + e.getMessage(), e);
        }
        if (limit != null) clips = clips.subList(0, Math.min(limit, clips.size()));
        if (out != null) {
            try {
                Files.createDirectories(out);
            } catch (IOException e) {
                throw new UserError("cannot create --out " + out + ": " + e.getMessage(), e);
            }
        }
        if (target != null) return remote(clips, target);
        if (transport != Transport.inprocess) return server(clips);
        PrintWriter o = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        EmbeddedStack stack = Startup.embedded(pipeline.voice);
        Brains brains = Brains.open(brainOptions);
        long readyMs = System.currentTimeMillis() - jvmStart;
        long[] firstReplyMs = {-1};
        int warm = warmup == null ? 0 : Math.min(warmup, clips.size());
        if (warm > 0) {
            if (!json) err.printf("warm-up (not counted): %d clip(s)%n", warm);
            CorpusBenchmark.run(clips.subList(0, warm), () -> stack.engines(brains.newDialog()),
                    pipeline.sessionConfig(), pipeline.outputRate(), true, null, c -> {});
        }
        CorpusBenchmark.Report report = CorpusBenchmark.run(clips,
                () -> stack.engines(brains.newDialog()), pipeline.sessionConfig(), pipeline.outputRate(),
                true, out, c -> {
                    if (firstReplyMs[0] < 0 && c.waterfall() != null) firstReplyMs[0] = System.currentTimeMillis() - jvmStart;
                    if (!json) err.printf("%-48s %7s  WER %5.1f%%  %s%n", c.clip(),
                            Double.isNaN(c.endToEndMs()) ? "-" : Math.round(c.endToEndMs()) + " ms", 100 * c.wer().wer(), c.transcript());
                });
        Memory mem = Memory.read();
        BenchFigures figures = BenchFigures.ofCorpus(report);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("transport", "inprocess");
        m.putAll(figures.json());
        report.latencyMs().forEach((k, s) -> {
            if (!k.equals("end_to_end")) m.put(k + "_ms", summary(s));
        });
        m.put("ready_ms", readyMs);
        m.put("rss_peak_mb", mem.peakMb());
        if (warm > 0) m.put("warmup_clips", warm);
        finish(m);
        writeCharts(figures, m, "in process");
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
        if (out != null) o.printf("charts and results.json in %s%n", out);
        return 0;
    }

    /** --turns: the turn-taking benchmark of {@link TurnBenchmark}. */
    private int turns() throws Exception {
        EmbeddedStack stack = Startup.embedded(pipeline.voice);
        Brains brains = Brains.open(brainOptions);
        var setup = new TurnBenchmark.Setup(corpus, limit, turns.modes(), pipeline.sessionConfig(), pipeline.outputRate(),
                () -> stack.engines(brains.newDialog()), stack, pipeline.voice, TurnBenchmark.SEED);
        try {
            return TurnBenchmark.command(setup, json, BenchCommand::loadAverage, spec.commandLine().getOut(), spec.commandLine().getErr());
        } catch (IOException e) {
            throw new UserError("cannot read the corpus: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- the corpus against a server elsewhere

    /** The server of --url, with the bearer token of --auth-token-env on every upgrade. */
    private ServerBenchmark.Target target() {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss") || url.getHost() == null) {
            throw new UserError("invalid setting: --url must be a ws:// or wss:// URL with a host, e.g. ws://127.0.0.1:8080/v1/realtime");
        }
        String token = null;
        if (authTokenEnv != null) {
            token = System.getenv(authTokenEnv);
            if (token == null || token.isBlank()) throw new UserError("--auth-token-env: the environment variable " + authTokenEnv + " is not set");
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        String bearer = token == null ? null : "Bearer " + token.strip();
        return new ServerBenchmark.Target(url, () -> {
            WebSocket.Builder b = http.newWebSocketBuilder();
            return bearer == null ? b : b.header("Authorization", bearer);
        });
    }

    /** The URL as it can be shown: no user info, no query (either may hold a key). */
    private String shownUrl() {
        return ServerBenchmark.shown(url);
    }

    private int remote(List<CorpusManifest.Clip> clips, ServerBenchmark.Target target) throws Exception {
        PrintWriter o = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        int warm = warmup == null ? 1 : warmup;
        String loadBefore = loadAverage();
        ServerBenchmark.Report report;
        boolean[] header = {false};
        try {
            report = ServerBenchmark.runRemote(clips, target, pipeline.outputRate(), warm, note -> {
                if (!json) err.println(note);
            }, c -> {
                if (json) return;
                // after the first clip went through: a server that cannot be reached gets its one-line error alone
                if (!header[0]) err.printf("%-44s %10s  %s%n", "clip", "end to end", "transcript");
                header[0] = true;
                err.printf("%-44s %10s  %s%n", c.clip(), ms(c.webSocket().endToEndMs()), c.webSocket().transcript());
                for (String e : c.webSocket().errors()) err.println("    error: " + e);
            });
        } catch (IOException e) {
            throw new UserError(e.getMessage(), e);
        }
        BenchFigures figures = BenchFigures.ofServer(report);
        int errors = figures.clips().stream().mapToInt(c -> c.errors().size()).sum();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("transport", "websocket");
        m.put("server", shownUrl());
        m.putAll(figures.json());
        m.put("warmup_clips", report.warmupClips());
        m.put("errors", errors);
        m.put("load_average", Map.of("before", loadBefore, "after", loadAverage()));
        finish(m);
        writeCharts(figures, m, shownUrl());
        if (json) {
            o.println(writeJson(m));
            return 0;
        }
        o.printf("%n%d clips (after %d warm-up), %d answered, over the WebSocket to %s; %s%n", figures.clips().size(), report.warmupClips(),
                figures.answered(), shownUrl(), ZonedDateTime.now().withNano(0));
        figures.printTable(o);
        o.printf("errors                 %d%n", errors);
        if (out != null) o.printf("charts and results.json in %s%n", out);
        return 0;
    }

    /** The keys every JSON result ends with; per_clip, the longest, last. */
    private static void finish(Map<String, Object> m) {
        m.put("date", ZonedDateTime.now().toString());
        m.put("cpu_cores", Runtime.getRuntime().availableProcessors());
        Object perClip = m.remove("per_clip");
        if (perClip != null) m.put("per_clip", perClip);
    }

    /** --out: the two charts and the JSON result. */
    private void writeCharts(BenchFigures figures, Map<String, Object> result, String where) throws IOException {
        if (out == null) return;
        Files.writeString(out.resolve("latency.svg"), SvgCharts.latencyCdf(figures, "parley bench: end-to-end latency (" + where + ")"));
        Files.writeString(out.resolve("waterfall.svg"), SvgCharts.waterfall(figures, "parley bench: waterfall per clip (" + where + ")"));
        Files.writeString(out.resolve("results.json"), writeJson(result) + "\n");
    }

    // ---------------------------------------------------------------- the corpus over the WebSocket

    private int server(List<CorpusManifest.Clip> clips) throws Exception {
        PrintWriter o = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        boolean both = transport == Transport.both;
        int warm = warmup == null ? 1 : warmup;
        String loadBefore = loadAverage();
        EmbeddedStack stack = Startup.embedded(pipeline.voice);
        Brains brains = Brains.open(brainOptions);
        quietServerLog();
        if (!json) {
            if (both) err.printf("%-44s %10s %10s %8s %9s %9s %9s  %s%n", "clip", "in process", "websocket", "diff",
                    "lag (in)", "lag (ws)", "ws adds", "transcript (websocket)");
            else err.printf("%-44s %10s %9s %9s  %s%n", "clip", "websocket", "lag", "ws adds", "transcript");
        }
        ServerBenchmark.Report report = ServerBenchmark.run(clips, () -> stack.engines(brains.newDialog()),
                pipeline.sessionConfig(), pipeline.voice, pipeline.outputRate(), both, true, warm,
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
        String loadAfter = loadAverage();
        Memory mem = Memory.read();
        int errors = report.clips().stream().mapToInt(c -> c.webSocket().errors().size()).sum();
        BenchFigures figures = BenchFigures.ofServer(report);
        Map<String, Object> m = new LinkedHashMap<>();
        {
            m.put("transport", transport.name());
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
            m.put("network_round_trip_ms", report.networkMs() == null ? null : summary(report.networkMs()));
            m.put("errors", errors);
            List<Map<String, Object>> turns = new ArrayList<>();
            for (ServerBenchmark.ClipResult c : report.clips()) {
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("clip", c.clip());
                if (both) {
                    t.put("inprocess_ms", round(c.inProcess().endToEndMs()));
                    t.put("inprocess_fed_ms", round(c.inProcess().fedEndToEndMs()));
                }
                t.put("websocket_ms", round(c.webSocket().endToEndMs()));
                if (both) t.put("difference_ms", round(c.differenceMs()));
                Map<String, Object> lag = new LinkedHashMap<>();
                if (both) lag.put("inprocess", round(c.inProcess().inputLagMs()));
                lag.put("websocket", round(c.webSocket().inputLagMs()));
                t.put("input_lag_ms", lag);
                Map<String, Object> added = new LinkedHashMap<>();
                if (both) added.put("inprocess", transport(c.inProcess().transport()));
                added.put("websocket", transport(c.webSocket().transport()));
                t.put("added_by_transport_ms", added);
                t.put("network_ms", round(c.webSocket().networkMs()));
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
        writeCharts(figures, m, "websocket, loopback");
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

    /** The system's load average (1, 5, 15 minutes), to tell a quiet machine from a busy one; "?" off Linux. */
    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static Map<String, Object> transport(ServerBenchmark.Transport t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("input", round(t.inputMs()));
        m.put("output", round(t.outputMs()));
        m.put("total", round(t.totalMs()));
        if (!Double.isNaN(t.firstDeltaAudioMs())) m.put("first_delta_audio", round(t.firstDeltaAudioMs()));
        return m;
    }

    private static Map<String, Object> summaries(Map<String, Percentiles.Summary> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, s) -> out.put(k, summary(s)));
        return out;
    }

    private static void row(PrintWriter o, String name, Percentiles.Summary s) {
        o.printf("%-50s %8.1f %8.1f %8.1f %8.1f %8.1f%n", name, s.p50(), s.p95(), s.p99(), s.max(), s.mean());
    }

    /** The server logs every session it opens and closes; a benchmark opening dozens does not need that on the console. */
    private static void quietServerLog() {
        if (System.getenv("PARLEY_LOG") != null) return;
        if (org.slf4j.LoggerFactory.getLogger("dev.parley.transport.server") instanceof ch.qos.logback.classic.Logger l) {
            l.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    // ---------------------------------------------------------------- idle sessions

    private int idle() throws Exception {
        var parsed = spec.commandLine().getParseResult();
        for (String option : List.of("--transport", "--limit", "--out", "--warmup", "--url", "--auth-token-env")) {
            if (parsed.hasMatchedOption(option)) throw new UserError("--idle-sessions opens idle sessions; it does not go with " + option);
        }
        if (idleSessions < 1) throw new UserError("invalid setting: --idle-sessions must be at least 1");
        if (idleHoldS < 0) throw new UserError("invalid setting: --idle-hold-s must be 0 or more");
        PrintWriter o = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        String loadBefore = loadAverage();
        IdleSessionsBenchmark.Report r = IdleSessionsBenchmark.run(idleSessions, Duration.ofSeconds(idleHoldS), pipeline.voice, note -> {
            if (!json) err.println(note);
        });
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("idle_sessions", r.sessions());
            m.put("created", r.created());
            m.put("answered_after_hold", r.answered());
            m.put("errors", r.errors().size());
            m.put("error_samples", r.errors().subList(0, Math.min(10, r.errors().size())));
            m.put("open_ms", r.openMs());
            m.put("held_ms", r.heldMs());
            m.put("server_cpu_while_held_percent_of_a_core", round(100 * r.holdCpuCores()));
            m.put("close_ms", r.closeMs());
            m.put("sessions_after_close", r.afterClose().sessions());
            Map<String, Object> per = new LinkedHashMap<>();
            per.put("heap", round(r.heapPerSessionKb()));
            per.put("rss", round(r.rssPerSessionKb()));
            per.put("rss_anon", round(r.rssAnonPerSessionKb()));
            per.put("direct", round(r.directPerSessionKb()));
            m.put("per_session_kb", per);
            m.put("heap_left_after_close_kb", round(r.heapLeftAfterCloseKb()));
            Map<String, Object> server = new LinkedHashMap<>();
            server.put("pid", r.serverPid());
            server.put("before", snapshot(r.before()));
            server.put("open", snapshot(r.open()));
            server.put("after_close", snapshot(r.afterClose()));
            m.put("server", server);
            List<Map<String, Object>> top = new ArrayList<>();
            for (IdleSessionsBenchmark.ClassGrowth g : r.topClasses()) {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("class", g.className());
                c.put("instances_per_session", round((double) g.instances() / Math.max(1, r.created())));
                c.put("bytes_per_session", round((double) g.bytes() / Math.max(1, r.created())));
                top.add(c);
            }
            m.put("heap_per_session_by_class", top);
            m.put("load_average", Map.of("before", loadBefore, "after", loadAverage()));
            m.put("date", ZonedDateTime.now().toString());
            m.put("cpu_cores", Runtime.getRuntime().availableProcessors());
            o.println(writeJson(m));
            return r.errors().isEmpty() ? 0 : 1;
        }
        o.printf("%n%d idle sessions asked for, %d created in %d ms, %d answered after %.1f s idle, %d errors; %s, %d cores, Java %s%n",
                r.sessions(), r.created(), r.openMs(), r.answered(), r.heldMs() / 1000.0, r.errors().size(),
                ZonedDateTime.now().withNano(0), Runtime.getRuntime().availableProcessors(), Runtime.version());
        o.printf("load average (1, 5, 15 min) before: %s; after: %s%n", loadBefore, loadAverage());
        for (String e : r.errors().subList(0, Math.min(10, r.errors().size()))) o.println("  error: " + e);
        o.printf("%-34s %12s %12s %12s %14s%n", "server (child JVM, pid " + r.serverPid() + ")", "before", "open", "after close", "per session");
        o.printf("%-34s %9.1f MB %9.1f MB %9.1f MB %11.1f kB%n", "heap used after GC", mb(r.before().heapUsedBytes()),
                mb(r.open().heapUsedBytes()), mb(r.afterClose().heapUsedBytes()), r.heapPerSessionKb());
        o.printf("%-34s %9.1f MB %9.1f MB %9.1f MB %11.1f kB%n", "resident (VmRSS)", r.before().rssKb() / 1024.0,
                r.open().rssKb() / 1024.0, r.afterClose().rssKb() / 1024.0, r.rssPerSessionKb());
        o.printf("%-34s %9.1f MB %9.1f MB %9.1f MB %11.1f kB%n", "resident anonymous (RssAnon)", r.before().rssAnonKb() / 1024.0,
                r.open().rssAnonKb() / 1024.0, r.afterClose().rssAnonKb() / 1024.0, r.rssAnonPerSessionKb());
        o.printf("%-34s %9.1f MB %9.1f MB %9.1f MB %11.1f kB%n", "direct buffers", mb(r.before().directBytes()),
                mb(r.open().directBytes()), mb(r.afterClose().directBytes()), r.directPerSessionKb());
        o.printf("%-34s %.2f %% of a core while the sessions were held%n", "server CPU", 100 * r.holdCpuCores());
        o.printf("%-34s %12d %12d %12d%n", "platform threads", r.before().platformThreads(), r.open().platformThreads(), r.afterClose().platformThreads());
        o.printf("%-34s %12d %12d %12d   (back to 0 in %s)%n", "open sessions (server's count)", r.before().sessions(), r.open().sessions(),
                r.afterClose().sessions(), r.closeMs() < 0 ? "more than 30 s" : r.closeMs() + " ms");
        o.println("heap per session by class (live bytes with the sessions open, less before):");
        for (IdleSessionsBenchmark.ClassGrowth g : r.topClasses()) {
            o.printf("  %9.0f B %7.1f objects  %s%n", (double) g.bytes() / Math.max(1, r.created()),
                    (double) g.instances() / Math.max(1, r.created()), g.className());
        }
        return r.errors().isEmpty() ? 0 : 1;
    }

    private static Map<String, Object> snapshot(IdleSessionsBenchmark.Snapshot s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("heap_used_bytes", s.heapUsedBytes());
        m.put("heap_committed_bytes", s.heapCommittedBytes());
        m.put("direct_bytes", s.directBytes());
        m.put("direct_buffers", s.directBuffers());
        m.put("rss_kb", s.rssKb());
        m.put("rss_anon_kb", s.rssAnonKb());
        m.put("platform_threads", s.platformThreads());
        m.put("sessions", s.sessions());
        m.put("tasks", s.tasks());
        return m;
    }

    private static double mb(long bytes) {
        return bytes / 1048576.0;
    }

    // ---------------------------------------------------------------- output

    private static String writeJson(Object m) throws IOException {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m);
    }

    private static String ms1(double v) {
        return Double.isNaN(v) ? "-" : String.format("%.1f ms", v);
    }

    private static String ms(double v) {
        return Double.isNaN(v) ? "-" : Math.round(v) + " ms";
    }

    private static Map<String, Object> summary(Percentiles.Summary s) {
        return BenchFigures.summary(s);
    }

    private static Map<String, Double> rounded(Map<String, Double> m) {
        Map<String, Double> r = new LinkedHashMap<>();
        m.forEach((k, v) -> r.put(k, round(v)));
        return r;
    }

    private static Double round(double v) {
        return BenchFigures.round(v);
    }

    /** The process's resident memory, from /proc (Linux). */
    record Memory(long nowMb, long peakMb) {
        static Memory read() {
            java.util.Map<String, Long> status = dev.parley.bench.ProcStatus.self();
            return new Memory(mb(status.get("VmRSS")), mb(status.get("VmHWM")));
        }

        private static long mb(Long kb) {
            return kb == null ? -1 : kb / 1024;
        }
    }
}

package dev.parley.cli;

import dev.parley.bench.BenchRun;
import dev.parley.bench.CorpusAgainstServer;
import dev.parley.bench.CorpusInProcess;
import dev.parley.bench.CorpusOverLoopback;
import dev.parley.bench.IdleSessions;
import dev.parley.bench.ProcStatus;
import dev.parley.bench.ServerBenchmark;
import dev.parley.bench.turns.TurnBenchmark;
import dev.parley.bench.turns.TurnMode;
import dev.parley.eval.CorpusManifest;
import dev.parley.embedded.EmbeddedStack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
/** {@code parley bench}: parses the options and runs the one mode they ask for, each a class of {@code dev.parley.bench}. */
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
        PrintWriter o = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        if (intents) {
            // the held-out accuracy of the intent classifier, the settings tried and the time to classify
            dev.parley.dialog.nlu.IntentEvaluation.main(new String[0]);
            return 0;
        }
        if (idleSessions != null) return idle(o, err);
        if (turns != null) return turns(o, err);
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
        BenchRun run = new BenchRun(clips, out, json, warmup, o, err);
        if (target != null) {
            try {
                return CorpusAgainstServer.run(run, target, pipeline.outputRate());
            } catch (UncheckedIOException e) {
                throw new UserError(e.getCause().getMessage(), e.getCause());
            }
        }
        BenchRun.EngineLoader engines = () -> {
            var loaded = StartupLoader.embedded(pipeline.voice, brainOptions);
            EmbeddedStack stack = loaded.stack();
            Brains brains = loaded.brains();
            return () -> stack.engines(brains.newDialog());
        };
        if (transport == Transport.inprocess) return CorpusInProcess.run(run, engines, pipeline.sessionConfig(), pipeline.outputRate());
        quietServerLog();
        return CorpusOverLoopback.run(run, transport == Transport.both, engines, pipeline.sessionConfig(), pipeline.voice, pipeline.outputRate());
    }

    /** --turns: the turn-taking benchmark of {@link TurnBenchmark}. */
    private int turns(PrintWriter o, PrintWriter err) throws Exception {
        var loaded = StartupLoader.embedded(pipeline.voice, brainOptions);
        EmbeddedStack stack = loaded.stack();
        Brains brains = loaded.brains();
        var setup = new TurnBenchmark.Setup(corpus, limit, turns.modes(), pipeline.sessionConfig(), pipeline.outputRate(),
                () -> stack.engines(brains.newDialog()), stack, pipeline.voice, TurnBenchmark.SEED);
        try {
            return TurnBenchmark.command(setup, json, ProcStatus::loadAverage, o, err);
        } catch (IOException e) {
            throw new UserError("cannot read the corpus: " + e.getMessage(), e);
        }
    }

    /** --idle-sessions: what idle sessions cost a server, {@link IdleSessions}. */
    private int idle(PrintWriter o, PrintWriter err) throws Exception {
        var parsed = spec.commandLine().getParseResult();
        for (String option : List.of("--transport", "--limit", "--out", "--warmup", "--url", "--auth-token-env")) {
            if (parsed.hasMatchedOption(option)) throw new UserError("--idle-sessions opens idle sessions; it does not go with " + option);
        }
        if (idleSessions < 1) throw new UserError("invalid setting: --idle-sessions must be at least 1");
        if (idleHoldS < 0) throw new UserError("invalid setting: --idle-hold-s must be 0 or more");
        return IdleSessions.run(idleSessions, Duration.ofSeconds(idleHoldS), pipeline.voice, json, o, err);
    }

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
        return CorpusAgainstServer.target(url, token);
    }

    /** The server logs every session it opens and closes; a benchmark opening dozens does not need that on the console. */
    private static void quietServerLog() {
        if (System.getenv("PARLEY_LOG") != null) return;
        if (org.slf4j.LoggerFactory.getLogger("dev.parley.transport.server") instanceof ch.qos.logback.classic.Logger l) {
            l.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }
}

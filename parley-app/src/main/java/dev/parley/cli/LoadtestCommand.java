package dev.parley.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.bench.ProcStatus;
import dev.parley.bench.load.ClipStream;
import dev.parley.bench.load.FakeEngines;
import dev.parley.bench.load.FakeLatencies;
import dev.parley.bench.load.Latency;
import dev.parley.bench.load.LoadTest;
import dev.parley.bench.load.Ramp;
import dev.parley.eval.CorpusManifest;
import dev.parley.embedded.EmbeddedStack;
import dev.parley.transport.server.ParleyServer;
import dev.parley.transport.server.ServerConfig;
import dev.parley.transport.server.SessionFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "loadtest", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"N synthetic callers at once on a Realtime server, each speaking corpus",
                "clips turn after turn as a microphone would (24 kHz PCM16, 20 ms appends in",
                "real time, then silence until the reply is over, then the next clip).",
                "Reports end-to-end latency p50/p95/p99 (end of speech to the first reply",
                "audio at the caller, dated from the microphone's schedule, so a server",
                "that falls behind is not excused: no coordinated omission), errors (error",
                "events, lost sockets, turns with no reply), and this process's CPU, heap",
                "and resident memory. With --ramp: N = 1, 2, 5, 10, 20, 50, 100, ... up to",
                "--sessions, stopping at the first step over the target, and the largest N",
                "within it (p95 at most --target-p95-ms and no errors).",
                "",
                "--providers fake: scripted engines of fixed latency (a VAD that hears the",
                "manifest's speech times, STT, first token and first audio after --fake-*-ms,",
                "a fixed reply spoken in real time), so what is left is Parley's own",
                "overhead: first reply audio at the caller - the moment the audio that let",
                "the server end the turn had been recorded - the fakes' latencies; that is",
                "end to end - the endpoint wait (from response.done) - the fakes, with the",
                "end of speech where the server's endpointer placed it (speech_stopped).",
                "--providers local: the embedded models and the brain of --brain.",
                "The server runs in this process on loopback, unless --url names one (then",
                "no engines are loaded and CPU and memory are the callers' only)."})
final class LoadtestCommand implements Callable<Integer> {
    enum Providers { fake, local }

    private static final int MAX_SESSIONS = 10_000;

    @Option(names = "--sessions", paramLabel = "N", defaultValue = "10",
            description = "Callers at once (with --ramp, the last step). Default: ${DEFAULT-VALUE}.")
    int sessions;

    @Option(names = "--duration", paramLabel = "S", defaultValue = "30",
            description = "Seconds each step runs; a turn started is finished after it. Default: ${DEFAULT-VALUE}.")
    int duration;

    @Option(names = "--ramp", description = "Step N up from 1 to --sessions and report the largest N within the target.")
    boolean ramp;

    @Option(names = "--providers", paramLabel = "fake|local",
            description = "fake: scripted engines of fixed latency (measures Parley's overhead); local: the embedded models. Default: fake.")
    Providers providers;

    @Option(names = "--url", paramLabel = "ws://HOST:PORT/v1/realtime",
            description = "Load a running server instead of one in this process (its own engines).")
    URI url;

    @Option(names = "--corpus", paramLabel = "DIR", defaultValue = "../shared/corpus/dev",
            description = "Folder with manifest.tsv. Default: ${DEFAULT-VALUE}.")
    Path corpus;

    @Option(names = "--limit", paramLabel = "N", description = "Only the first N clips.")
    Integer limit;

    @Option(names = "--target-p95-ms", paramLabel = "MS",
            description = "The p95 a step must keep: of the overhead with fake providers (default 15), else of end to end (default 1000).")
    Double targetP95Ms;

    @Option(names = "--fake-stt-ms", paramLabel = "MS", defaultValue = "200", description = "Fake STT latency (final transcript). Default: ${DEFAULT-VALUE}.")
    int fakeSttMs;

    @Option(names = "--fake-llm-ms", paramLabel = "MS", defaultValue = "300", description = "Fake LLM latency (first token). Default: ${DEFAULT-VALUE}.")
    int fakeLlmMs;

    @Option(names = "--fake-tts-ms", paramLabel = "MS", defaultValue = "150", description = "Fake TTS latency (first audio of a phrase). Default: ${DEFAULT-VALUE}.")
    int fakeTtsMs;

    @Option(names = "--reply-timeout-s", paramLabel = "S", defaultValue = "15",
            description = "A turn with no reply audio this long after its end of speech is an error. Default: ${DEFAULT-VALUE}.")
    int replyTimeoutS;

    @Option(names = "--json", description = "Print the results as one JSON object (the last line).")
    boolean json;

    @Mixin
    BrainOptions brainOptions;

    @Mixin
    PipelineOptions pipeline;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        if (sessions < 1 || sessions > MAX_SESSIONS) throw new UserError("invalid setting: --sessions must be between 1 and " + MAX_SESSIONS);
        if (duration < 1 || duration > 3600) throw new UserError("invalid setting: --duration must be between 1 and 3600 s");
        if (replyTimeoutS < 1 || replyTimeoutS > 600) throw new UserError("invalid setting: --reply-timeout-s must be between 1 and 600 s");
        if (limit != null && limit < 1) throw new UserError("invalid setting: --limit must be at least 1");
        if (targetP95Ms != null && !(targetP95Ms > 0)) throw new UserError("invalid setting: --target-p95-ms must be above 0");
        if (url != null && providers != null) throw new UserError("--url loads a running server, which has its own engines: drop --providers");
        if (url != null) checkUrl(url);
        Providers p = providers == null ? Providers.fake : providers;
        boolean fakes = url == null && p == Providers.fake;
        FakeLatencies latencies;
        try {
            latencies = new FakeLatencies(fakeSttMs, fakeLlmMs, fakeTtsMs);
        } catch (IllegalArgumentException e) {
            throw new UserError("invalid setting: " + e.getMessage());
        }
        List<ClipStream> clips = clips(corpus, limit);
        double target = targetP95Ms != null ? targetP95Ms : fakes ? 15 : 1000;
        String loadBefore = ProcStatus.loadAverage();

        ParleyServer server = null;
        FakeEngines fakeEngines = null;
        try {
            LoadTest.Target t;
            if (url != null) {
                t = new LoadTest.Target(url, clips, null, Duration.ofSeconds(replyTimeoutS), null);
            } else {
                SessionFactory factory;
                if (fakes) {
                    fakeEngines = new FakeEngines(latencies);
                    factory = fakeEngines;
                } else {
                    if (!json) err.println("loading the embedded models…");
                    var loaded = StartupLoader.embedded(pipeline.voice, brainOptions);
                    EmbeddedStack stack = loaded.stack();
                    Brains brains = loaded.brains();
                    factory = () -> stack.engines(brains.newDialog());
                }
                quietServerLog();
                // every session the test opens is admitted: the load, not the admission limit, is what is measured
                server = ParleyServer.start(ServerConfig.local(0, pipeline.sessionConfig(), pipeline.voice).withMaxSessions(sessions), factory);
                ParleyServer s = server;
                t = new LoadTest.Target(server.realtimeUri(), clips, fakeEngines, Duration.ofSeconds(replyTimeoutS), s::activeSessions);
            }
            String where = url != null ? url.toString() : "in this process on loopback";
            String what = url != null ? "the server's own engines" : fakes
                    ? String.format("fake engines (STT %d ms, LLM first token %d ms, TTS first audio %d ms)", fakeSttMs, fakeLlmMs, fakeTtsMs)
                    : "the embedded models, brain '" + brainOptions.brain + "'";
            PrintWriter table = json ? err : o;
            table.printf("loadtest: %s, server %s; %d clips; %d cores, Java %s; load average %s%n", what, where, clips.size(),
                    Runtime.getRuntime().availableProcessors(), Runtime.version(), loadBefore);
            table.printf("%8s %7s %6s | %-31s | %-31s | %6s %8s %8s%n", "sessions", "turns", "errors", "end to end ms: p50 p95 p99 max",
                    fakes ? "overhead ms: p50 p95 p99 max" : "", "cpu %", "heap MB", "rss MB");
            List<LoadTest.Step> steps = new ArrayList<>();
            for (int n : ramp ? Ramp.steps(sessions) : List.of(sessions)) {
                LoadTest.Step step = LoadTest.run(t, n, Duration.ofSeconds(duration), note -> err.println("  " + note));
                steps.add(step);
                table.printf("%8d %7d %6d | %s | %s | %6.1f %8.0f %8.0f%n", n, step.turns(), step.errors(), row(step.endToEndMs()),
                        fakes ? row(step.overheadMs()) : String.format("%31s", ""), step.usage().cpuProcessPct(), step.usage().heapMb(),
                        step.usage().rssMb());
                for (String e : step.errorSamples().subList(0, Math.min(3, step.errorSamples().size()))) table.println("    error: " + e);
                if (ramp && !step.outcome(fakes).within(target)) break;
            }
            LoadTest.Step last = steps.getLast();
            int best = Ramp.maxWithinTarget(steps.stream().map(s -> s.outcome(fakes)).toList(), target);
            if (json) {
                Map<String, Object> m = figures(last, fakes);
                m.put("providers", url != null ? "remote" : p.name());
                m.put("server", url != null ? url.toString() : "in process, loopback");
                if (fakes) m.put("fake_latencies_ms", Map.of("stt", fakeSttMs, "llm", fakeLlmMs, "tts", fakeTtsMs));
                if (url == null) m.put("endpoint_silence_ms", pipeline.endpointSilenceMs);
                m.put("resources_of", url != null ? "this process only: the callers (the server is remote; its CPU and memory are not known here)"
                        : "this process: the callers and the server");
                m.put("clips", clips.size());
                if (ramp) {
                    m.put("target_p95_ms", target);
                    m.put("target_of", fakes ? "overhead_ms" : "end_to_end_ms");
                    List<Map<String, Object>> st = new ArrayList<>();
                    for (LoadTest.Step s : steps) st.add(figures(s, fakes));
                    m.put("steps", st);
                    m.put("max_sessions_within_target", best);
                }
                m.put("load_average", Map.of("before", loadBefore, "after", ProcStatus.loadAverage()));
                m.put("date", ZonedDateTime.now().toString());
                o.println(new ObjectMapper().writeValueAsString(m));
            } else {
                if (ramp) o.printf("largest N within the target (p95 %s at most %.0f ms, no errors): %d%n", fakes ? "overhead" : "end to end", target, best);
                o.printf("cpu %% is of all %d cores; heap and rss are peaks; they are %s. Load average after: %s%n",
                        Runtime.getRuntime().availableProcessors(), url != null ? "the callers' only (the server is remote)"
                                : "of this process, callers and server together", ProcStatus.loadAverage());
            }
            return 0;
        } finally {
            if (server != null) server.close();
        }
    }

    /** The clips of {@code corpus}'s manifest (the first {@code limit}, when not null), ready to stream. */
    static List<ClipStream> clips(Path corpus, Integer limit) {
        List<CorpusManifest.Clip> list;
        try {
            list = CorpusManifest.read(corpus);
        } catch (IOException e) {
            throw new UserError("cannot read the corpus: " + e.getMessage(), e);
        }
        if (limit != null) list = list.subList(0, Math.min(limit, list.size()));
        if (list.isEmpty()) throw new UserError("the corpus " + corpus + " has no clips");
        List<ClipStream> clips = new ArrayList<>();
        for (CorpusManifest.Clip c : list) {
            if (!(c.speechEndS() > c.speechStartS()) || c.speechStartS() < 0) {
                throw new UserError("the corpus clip " + c.name() + " has no speech span (speech_start_s " + c.speechStartS()
                        + ", speech_end_s " + c.speechEndS() + ")");
            }
            if (!Files.isRegularFile(c.file())) throw new UserError("the corpus clip " + c.file() + " does not exist");
            try {
                clips.add(ClipStream.of(c));
            } catch (IOException | RuntimeException e) {
                throw new UserError("cannot read the corpus clip " + c.file() + ": " + e.getMessage(), e);
            }
        }
        return clips;
    }

    static void checkUrl(URI u) {
        if (u.getScheme() == null || !(u.getScheme().equals("ws") || u.getScheme().equals("wss")) || u.getHost() == null) {
            throw new UserError("invalid setting: --url must be ws://HOST:PORT/v1/realtime or wss://…, not " + u);
        }
    }

    private static Map<String, Object> figures(LoadTest.Step s, boolean fakes) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sessions", s.sessions());
        m.put("turns", s.turns());
        m.put("errors", s.errors());
        m.put("errors_by_kind", s.errorsByKind());
        m.put("error_samples", s.errorSamples());
        m.put("end_to_end_ms", latency(s.endToEndMs()));
        if (fakes) {
            m.put("overhead_ms", latency(s.overheadMs()));
            m.put("overhead_below_zero_turns", s.negativeOverheadTurns());
        }
        Map<String, Object> w = new LinkedHashMap<>();
        s.waterfallMs().forEach((k, v) -> w.put(k, latency(v)));
        m.put("waterfall_ms", w);
        m.put("cpu_cores", Runtime.getRuntime().availableProcessors());
        m.put("cpu_process_pct", round(s.usage().cpuProcessPct()));
        double cores = s.usage().cpuProcessCores();
        m.put("cpu_process_cores", Double.isNaN(cores) ? null : Math.round(cores * 100) / 100.0);
        m.put("machine_cpu_pct", round(s.usage().machineCpuPct()));
        m.put("heap_mb", round(s.usage().heapMb()));
        m.put("rss_mb", round(s.usage().rssMb()));
        m.put("duration_s", s.durationS());
        m.put("wall_s", round(s.wallS()));
        if (s.sessionsLeftOpen() >= 0) m.put("sessions_left_open", s.sessionsLeftOpen());
        return m;
    }

    private static Map<String, Object> latency(Latency l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("p50", round(l.p50()));
        m.put("p95", round(l.p95()));
        m.put("p99", round(l.p99()));
        m.put("max", round(l.max()));
        return m;
    }

    private static Double round(double v) {
        return Double.isNaN(v) ? null : Math.round(v * 10) / 10.0;
    }

    private static String row(Latency l) {
        return String.format("%7s %7s %7s %7s", ms(l.p50()), ms(l.p95()), ms(l.p99()), ms(l.max()));
    }

    private static String ms(double v) {
        return Double.isNaN(v) ? "-" : String.format("%.1f", v);
    }

    /** The server logs every session it opens and closes; hundreds of callers do not need that on the console. */
    static void quietServerLog() {
        if (System.getenv("PARLEY_LOG") != null) return;
        for (String name : List.of("dev.parley.transport", "dev.parley.transport.server", "dev.parley.transport.realtime")) {
            if (org.slf4j.LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger l) l.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }
}

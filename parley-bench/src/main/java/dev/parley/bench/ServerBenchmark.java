package dev.parley.bench;

import dev.parley.audio.PcmAudio;
import dev.parley.audio.Resampler;
import dev.parley.audio.WavFile;
import dev.parley.eval.CorpusManifest;
import dev.parley.eval.Percentiles;
import dev.parley.eval.WordErrorRate;
import dev.parley.latency.Waterfall;
import dev.parley.session.SessionConfig;
import dev.parley.session.SessionEvent;
import dev.parley.session.VoiceSession;
import dev.parley.recording.FileConversation;
import dev.parley.transport.server.ParleyServer;
import dev.parley.transport.server.ServerConfig;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The corpus through the WebSocket, against the same corpus in process: what the Realtime transport adds to a turn.
 *
 * <p>A {@link ParleyServer} runs in this JVM on loopback, with the same engines the in-process path uses, so the two
 * paths share the models, the JIT's work and the clock, and differ only by the transport. Every clip is resampled to
 * 24 kHz PCM16 once and cut into appends of 20 ms, as a browser sends it; the WebSocket client streams them in real
 * time, then silence, until the reply is done. The in-process path feeds the very same 24 kHz chunks to a
 * {@link VoiceSession} (the same audio, so the same endpoints and transcripts). For each clip the two paths run one
 * after the other, in alternating order, so what the machine is doing at the time weighs on both alike.
 *
 * <p>End to end is measured the same way on both paths, on the timeline of a microphone: the clip's first sample is
 * "recorded" at the instant its stream starts, and every later one that much later, whether or not the pipeline keeps
 * up. It runs from the clip's real end of speech (the manifest's {@code speech_end_s}) on that timeline to the first
 * reply audio: in process, handed to the output; over the WebSocket, the first {@code response.output_audio.delta}
 * received by the client. The client runs in the server's JVM, so its own work (base64, JSON) counts against the
 * WebSocket path. It reports {@code parley.playback.started} the moment a reply's first audio arrives, so the server's
 * {@code parley.latency} gives the round trip through the socket that it measured.
 *
 * <p>Input lag: how far behind the microphone the pipeline was when it ended the user's turn, i.e. from the instant
 * the audio that decided the endpoint had been recorded to the instant the endpoint was announced (in process: the
 * session's {@code SpeechStopped}; WebSocket: {@code input_audio_buffer.speech_stopped} received by the client).
 * Parley's waterfall cannot show it (it dates the end of speech back from the decision by the silence waited for), and
 * the in-process figure of {@code parley bench}, which dates the end of speech by when its chunk was fed, hides it too
 * ({@link Leg#fedEndToEndMs}).
 *
 * <p>What the transport adds ({@link Transport}): the two paths run seconds apart, and the pipeline's own time for
 * the same audio varies from one run to the next by more than a socket costs on loopback, so the end-to-end difference
 * per clip cannot tell a few milliseconds. Each session's engines are therefore decorated ({@link EngineProbe}) to
 * stamp the edges of the pipeline, and the transport is timed between them within one run: input, from the audio
 * that decided the endpoint recorded to the VAD starting on it; output, from the reply's first audio leaving the
 * pipeline to its arrival at the client. In process the same figures are the control (about 0).
 *
 * <p>This class runs the paths and sums them up; the client's side of a WebSocket leg (dialling, streaming, reading
 * the events) is {@link WebSocketLeg}.
 */
public final class ServerBenchmark {
    /** The rate a browser client sends and receives. */
    public static final int CLIENT_RATE = 24_000;
    private static final int CHUNK_MS = 20;
    private static final int CHUNK = CLIENT_RATE * CHUNK_MS / 1000;
    private static final long CHUNK_NANOS = CHUNK_MS * 1_000_000L;
    /** Input samples (at the client's rate) per VAD frame of 512 samples at 16 kHz. */
    private static final int FRAME_INPUT_SAMPLES = 512 * CLIENT_RATE / PcmAudio.PIPELINE_RATE;
    /** Input samples the session's resampler needs beyond an output sample before it produces it. */
    private static final int LOOKAHEAD = new Resampler(CLIENT_RATE, PcmAudio.PIPELINE_RATE).lookahead();

    /**
     * One path's figures for a clip.
     *
     * @param endToEndMs    from the real end of speech (on the microphone's timeline) to the first reply audio; NaN
     *                      when no reply followed it
     * @param inputLagMs    how far behind the microphone the pipeline was at the endpoint of the answered turn
     * @param fedEndToEndMs in process: end to end as {@code parley bench} counts it (from when the chunk holding the
     *                      end of speech was fed); else NaN
     * @param waterfallMs   Parley's waterfall of that reply (WebSocket: from {@code response.done.response.metadata})
     * @param networkMs     WebSocket: the round trip the server measured ({@code parley.latency} {@code network_ms}); else NaN
     * @param transport     what the transport added to the answered turn
     * @param errors        WebSocket: {@code error} events and connection failures
     */
    public record Leg(String transcript, WordErrorRate.Result wer, double endToEndMs, double inputLagMs, double fedEndToEndMs,
                      Map<String, Double> waterfallMs, double networkMs, Transport transport, int turns, List<String> errors) {}

    /**
     * What the path's transport added to the answered turn, measured apart from the pipeline's own work (see
     * {@link EngineProbe}); NaN where it could not be told.
     *
     * @param inputMs  from when the audio that decided the endpoint had been recorded (or the pipeline was done with
     *                 the audio before it, if later) to the VAD starting on it
     * @param outputMs from the reply's first audio leaving the pipeline (TTS, then the session's output stage) to its
     *                 arrival: the WebSocket client receiving it; in process, handing it to the sink (0 by definition)
     * @param firstDeltaAudioMs WebSocket: how much audio the first {@code response.output_audio.delta} carried; else NaN
     */
    public record Transport(double inputMs, double outputMs, double firstDeltaAudioMs) {
        static final Transport UNKNOWN = new Transport(Double.NaN, Double.NaN, Double.NaN);

        public double totalMs() {
            return inputMs + outputMs;
        }
    }

    /** A clip through one or both paths (null for a path not run). */
    public record ClipResult(String clip, String language, String reference, Leg inProcess, Leg webSocket) {
        /** WebSocket minus in process, NaN unless both answered. */
        public double differenceMs() {
            if (inProcess == null || webSocket == null) return Double.NaN;
            return webSocket.endToEndMs() - inProcess.endToEndMs();
        }
    }

    /**
     * The clips and their summaries. {@code endToEndMs}: {@code inprocess}, {@code websocket}, {@code difference}
     * (per clip), {@code inprocess_fed} (as {@code parley bench} counts it); {@code inputLagMs}: per path;
     * {@code transportMs}: per path, {@code input}, {@code output} and {@code total} of {@link Transport};
     * {@code waterfallMs}: per path, the stages of {@link Waterfall#stagesMs()}; {@code networkMs}: the socket round
     * trip, or null without the WebSocket path.
     */
    public record Report(List<ClipResult> clips, Map<String, Percentiles.Summary> endToEndMs,
                         Map<String, Percentiles.Summary> inputLagMs, Map<String, Map<String, Percentiles.Summary>> transportMs,
                         Map<String, Map<String, Percentiles.Summary>> waterfallMs, Percentiles.Summary networkMs,
                         Map<String, WordErrorRate.Result> wer, int warmupClips) {}

    private ServerBenchmark() {
    }

    /**
     * @param inProcess run the in-process path
     * @param webSocket run the WebSocket path
     * @param warmup    clips run first on each path and not counted (the first turns of a process are slower)
     * @param notes     told what is going on (warm-up)
     * @param progress  told each clip's result
     */
    public static Report run(List<CorpusManifest.Clip> clips, Supplier<VoiceSession.Engines> engines, SessionConfig config,
                             String voice, int outputRate, boolean inProcess, boolean webSocket, int warmup,
                             Consumer<String> notes, Consumer<ClipResult> progress) throws IOException, InterruptedException {
        if (!inProcess && !webSocket) throw new IllegalArgumentException("no path to run");
        List<ClipResult> results = new ArrayList<>();
        int warm = Math.min(warmup, clips.size());
        AtomicReference<EngineProbe> serverProbe = new AtomicReference<>();
        try (ParleyServer server = !webSocket ? null : ParleyServer.start(ServerConfig.local(0, config, voice), () -> {
            EngineProbe probe = new EngineProbe();
            serverProbe.set(probe);
            return probe.wrap(engines.get());
        })) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            Target uri = server == null ? null : new Target(server.realtimeUri(), http::newWebSocketBuilder);
            for (int i = 0; i < warm; i++) {
                notes.accept("warm-up (not counted): " + clips.get(i).name());
                PcmAudio audio = clientAudio(clips.get(i));
                if (inProcess) inProcessLeg(clips.get(i), audio, engines, config, outputRate);
                if (webSocket) WebSocketLeg.run(clips.get(i), audio, uri, serverProbe, outputRate);
            }
            for (int i = 0; i < clips.size(); i++) {
                CorpusManifest.Clip clip = clips.get(i);
                PcmAudio audio = clientAudio(clip);
                Leg in = null, ws = null;
                // alternate which path goes first, so a trend in the machine's load does not favour one
                if (i % 2 == 1 && webSocket) ws = WebSocketLeg.run(clip, audio, uri, serverProbe, outputRate);
                if (inProcess) in = inProcessLeg(clip, audio, engines, config, outputRate);
                if (ws == null && webSocket) ws = WebSocketLeg.run(clip, audio, uri, serverProbe, outputRate);
                ClipResult r = new ClipResult(clip.name(), clip.language(), clip.transcript(), in, ws);
                results.add(r);
                progress.accept(r);
            }
            if (server != null) waitForNoSessions(server);
        }
        return summarise(results, warm);
    }

    /**
     * A Realtime server to dial: its URL and a fresh {@link WebSocket.Builder} per session (with whatever headers the
     * server needs, e.g. {@code Authorization}). {@code parleyExtensions} starts true and turns false for good when the
     * server answers Parley's {@code parley.playback.started} with an error (a server other than Parley).
     */
    public record Target(URI uri, Supplier<WebSocket.Builder> dial, AtomicBoolean parleyExtensions) {
        public Target(URI uri, Supplier<WebSocket.Builder> dial) {
            this(uri, dial, new AtomicBoolean(true));
        }
    }

    /**
     * The corpus against a Realtime server that runs elsewhere (any server speaking OpenAI's Realtime protocol): no
     * server and no engines in this process. Only the WebSocket path runs; what the transport adds and the input lag
     * cannot be told (no probes on the server's engines), and the stages come from the server's waterfall in
     * {@code response.done} if it sends one (Parley does; others leave them absent).
     */
    public static Report runRemote(List<CorpusManifest.Clip> clips, Target target, int outputRate, int warmup,
                                   Consumer<String> notes, Consumer<ClipResult> progress) throws IOException, InterruptedException {
        List<ClipResult> results = new ArrayList<>();
        int warm = Math.min(warmup, clips.size());
        AtomicReference<EngineProbe> noProbe = new AtomicReference<>();
        for (int i = 0; i < warm; i++) {
            notes.accept("warm-up (not counted): " + clips.get(i).name());
            WebSocketLeg.run(clips.get(i), clientAudio(clips.get(i)), target, noProbe, outputRate);
        }
        for (CorpusManifest.Clip clip : clips) {
            ClipResult r = new ClipResult(clip.name(), clip.language(), clip.transcript(), null,
                    WebSocketLeg.run(clip, clientAudio(clip), target, noProbe, outputRate));
            results.add(r);
            progress.accept(r);
        }
        return summarise(results, warm);
    }

    /**
     * The clip as a browser would send it: mono PCM16 at 24 kHz, padded with silence to whole chunks of 20 ms, so that
     * on both paths every chunk lasts 20 ms and a sample's place in the input is its time on the microphone's clock.
     */
    static PcmAudio clientAudio(CorpusManifest.Clip clip) throws IOException {
        PcmAudio audio = WavFile.read(clip.file());
        PcmAudio at24 = audio.sampleRate() == CLIENT_RATE ? audio : Resampler.convert(audio, CLIENT_RATE);
        int whole = (at24.length() + CHUNK - 1) / CHUNK * CHUNK;
        return new PcmAudio(Arrays.copyOf(at24.samples(), whole), CLIENT_RATE);
    }

    // ---------------------------------------------------------------- in process

    static Leg inProcessLeg(CorpusManifest.Clip clip, PcmAudio audio, Supplier<VoiceSession.Engines> engines, SessionConfig config,
                            int outputRate) throws IOException, InterruptedException {
        Path out = Files.createTempFile("parley-bench", ".wav");
        Map<Integer, long[]> stopped = new ConcurrentHashMap<>(); // turn -> {when announced, where the speech ended (ms)}
        EngineProbe probe = new EngineProbe();
        try {
            FileConversation.Result r = FileConversation.run(probe.wrap(engines.get()), config, audio, out, outputRate, true, event -> {
                if (event instanceof SessionEvent.SpeechStopped s) stopped.put(s.turn(), new long[]{System.nanoTime(), s.endMs()});
            });
            CorpusBenchmark.ClipResult fed = CorpusBenchmark.measure(clip, r);
            long origin = origin(r.input(), (audio.length() + CHUNK - 1) / CHUNK);
            long speechEnd = origin + (long) (clip.speechEndS() * 1e9);
            FileConversation.Turn answer = origin < 0 ? null : r.turns().stream()
                    .filter(t -> t.waterfall() != null && t.waterfall().firstAudioOut() > speechEnd).findFirst().orElse(null);
            double e2e = answer == null ? Double.NaN : (answer.waterfall().firstAudioOut() - speechEnd) / 1e6;
            double lag = Double.NaN;
            Transport transport = Transport.UNKNOWN;
            if (answer != null && stopped.containsKey(answer.number())) {
                long[] s = stopped.get(answer.number());
                Waterfall w = answer.waterfall();
                int frame = decidingFrame(s[1] + w.endpointMs());
                lag = (s[0] - frameRecorded(origin, frame)) / 1e6;
                transport = transport(probe, origin, frame, w.firstAudioOut(), w.outMs(), Double.NaN);
            }
            return new Leg(fed.transcript(), fed.wer(), e2e, lag, fed.endToEndMs(),
                    answer == null ? Map.of() : answer.waterfall().stagesMs(), Double.NaN, transport, fed.turns(), List.of());
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /**
     * The start of the microphone's timeline of an in-process run: each chunk was fed once its 20 ms had been
     * "recorded", or later when the pipeline was behind, so the earliest of (fed − its offset) is the origin.
     */
    static long origin(dev.parley.recording.FileInput input, int chunks) {
        long origin = Long.MAX_VALUE;
        for (int i = 0; i < chunks; i++) {
            long at = input.timeOf((i + 0.5) * CHUNK_MS / 1000.0); // mid-chunk: no rounding at the borders
            if (at >= 0) origin = Math.min(origin, at - (long) ((i + 0.5) * CHUNK_NANOS));
        }
        return origin == Long.MAX_VALUE ? -1 : origin;
    }

    /** The VAD frame (0-based) that ends {@code decidedAtMs} into the input: the frame whose end decided the endpoint. */
    static int decidingFrame(double decidedAtMs) {
        return (int) Math.round(decidedAtMs * PcmAudio.PIPELINE_RATE / 1000.0 / 512) - 1;
    }

    /**
     * When the input chunk that completed VAD frame {@code n} had been recorded, on the timeline that starts at
     * {@code origin}: the frame ends at input sample (n + 1) × 768 (24 kHz), and the resampler needs its look-ahead
     * beyond that.
     */
    static long frameRecorded(long origin, int n) {
        long needed = (long) (n + 1) * FRAME_INPUT_SAMPLES + LOOKAHEAD;
        return origin + (needed + CHUNK - 1) / CHUNK * CHUNK_NANOS;
    }

    /**
     * What the transport added: input, from the deciding frame's audio recorded (or the input thread free, if later)
     * to the VAD starting on it; output, from the first reply audio out of the pipeline (its first TTS audio after the
     * decision plus the session's output stage, {@code outMs}) to {@code arrived}.
     */
    static Transport transport(EngineProbe probe, long origin, int frame, long arrived, double outMs, double firstDeltaAudioMs) {
        if (probe == null) return Transport.UNKNOWN;
        long[] f = probe.frame(frame);
        if (f == null) return Transport.UNKNOWN;
        double input = (f[0] - Math.max(frameRecorded(origin, frame), f[1])) / 1e6;
        long tts = probe.firstTtsAudioAfter(f[0]);
        double output = tts < 0 || Double.isNaN(outMs) ? Double.NaN : (arrived - tts) / 1e6 - outMs;
        return new Transport(input, output, firstDeltaAudioMs);
    }

    /** A server's URL as messages may show it: without user info or query, either of which may hold a key. */
    public static String shown(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    private static void waitForNoSessions(ParleyServer server) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.activeSessions() > 0 && System.nanoTime() < deadline) Thread.sleep(20);
    }

    // ---------------------------------------------------------------- summaries

    static Report summarise(List<ClipResult> results, int warmup) {
        Map<String, List<Double>> e2e = new LinkedHashMap<>();
        Map<String, List<Double>> lag = new LinkedHashMap<>();
        Map<String, Map<String, List<Double>>> transport = new LinkedHashMap<>();
        Map<String, Map<String, List<Double>>> stages = new LinkedHashMap<>();
        List<Double> network = new ArrayList<>();
        Map<String, List<WordErrorRate.Result>> wer = new LinkedHashMap<>();
        for (ClipResult c : results) {
            Map<String, Leg> legs = new LinkedHashMap<>();
            if (c.inProcess() != null) legs.put("inprocess", c.inProcess());
            if (c.webSocket() != null) legs.put("websocket", c.webSocket());
            for (Map.Entry<String, Leg> path : legs.entrySet()) {
                Leg leg = path.getValue();
                add(e2e, path.getKey(), leg.endToEndMs());
                add(lag, path.getKey(), leg.inputLagMs());
                Map<String, List<Double>> t = transport.computeIfAbsent(path.getKey(), k -> new LinkedHashMap<>());
                add(t, "input", leg.transport().inputMs());
                add(t, "output", leg.transport().outputMs());
                add(t, "total", leg.transport().totalMs());
                Map<String, List<Double>> byStage = stages.computeIfAbsent(path.getKey(), k -> new LinkedHashMap<>());
                if (!Double.isNaN(leg.endToEndMs())) leg.waterfallMs().forEach((k, v) -> add(byStage, k, v));
                if (c.language().equals("en")) wer.computeIfAbsent(path.getKey(), k -> new ArrayList<>()).add(leg.wer());
            }
            if (legs.size() == 2) add(e2e, "difference", c.differenceMs());
            if (c.inProcess() != null) add(e2e, "inprocess_fed", c.inProcess().fedEndToEndMs());
            if (c.webSocket() != null && !Double.isNaN(c.webSocket().networkMs())) network.add(c.webSocket().networkMs());
        }
        Map<String, Map<String, Percentiles.Summary>> transportSummary = new LinkedHashMap<>();
        transport.forEach((path, m) -> transportSummary.put(path, summaries(m)));
        Map<String, Map<String, Percentiles.Summary>> stageSummary = new LinkedHashMap<>();
        stages.forEach((path, m) -> stageSummary.put(path, summaries(m)));
        Map<String, WordErrorRate.Result> werSummary = new LinkedHashMap<>();
        wer.forEach((k, v) -> werSummary.put(k, WordErrorRate.sum(v)));
        return new Report(List.copyOf(results), summaries(e2e), summaries(lag), transportSummary, stageSummary,
                network.isEmpty() ? null : summary(network), werSummary, warmup);
    }

    private static void add(Map<String, List<Double>> series, String key, double v) {
        List<Double> list = series.computeIfAbsent(key, k -> new ArrayList<>());
        if (!Double.isNaN(v)) list.add(v);
    }

    private static Map<String, Percentiles.Summary> summaries(Map<String, List<Double>> series) {
        Map<String, Percentiles.Summary> m = new LinkedHashMap<>();
        series.forEach((k, v) -> m.put(k, summary(v)));
        return m;
    }

    private static Percentiles.Summary summary(List<Double> v) {
        return Percentiles.of(v.stream().mapToDouble(Double::doubleValue).toArray());
    }
}

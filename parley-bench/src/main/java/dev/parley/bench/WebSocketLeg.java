package dev.parley.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.audio.PcmAudio;
import dev.parley.eval.CorpusManifest;
import dev.parley.eval.WordErrorRate;
import dev.parley.transport.realtime.client.RealtimeClient;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static dev.parley.bench.ServerBenchmark.CLIENT_RATE;

/**
 * One clip over the WebSocket, as a browser client sends it (see {@link ServerBenchmark}): dial the server, fit the
 * session ({@code session.update}), stream the clip's 20 ms chunks on the microphone's timeline and then silence
 * until the server has said everything about it, and measure what the client saw.
 */
final class WebSocketLeg {
    private static final int CHUNK_MS = 20;
    private static final int CHUNK = CLIENT_RATE * CHUNK_MS / 1000;
    private static final long CHUNK_NANOS = CHUNK_MS * 1_000_000L;
    /** Silence streamed after a clip at most, while a turn or a reply is open. */
    private static final long TAIL_LIMIT_MS = 30_000;
    /** The server has said everything about a clip once it has been quiet this long with no turn or reply open. */
    private static final long QUIET_NANOS = 300_000_000L;
    /** With no reply after the end of speech, silence is streamed this long after the clip before the server is given up on. */
    private static final long UNANSWERED_NANOS = 3_000_000_000L;
    private static final List<String> STAGES = List.of("end_to_end", "endpoint", "stt", "dialog", "tts", "out");

    private WebSocketLeg() {
    }

    static ServerBenchmark.Leg run(CorpusManifest.Clip clip, PcmAudio audio, ServerBenchmark.Target target, AtomicReference<EngineProbe> probes,
                            int outputRate) throws IOException, InterruptedException {
        String uri = ServerBenchmark.shown(target.uri());
        Conversation conv = new Conversation(target.parleyExtensions());
        RealtimeClient c;
        try {
            c = RealtimeClient.connect(target.dial().get(), target.uri(), conv::on).get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IOException("could not connect to " + uri + ": " + connectFailure(e.getCause()), e);
        } catch (TimeoutException e) {
            throw new IOException("could not connect to " + uri + ": no answer within 20 s", e);
        }
        conv.client = c;
        try {
            RealtimeClient.Event created = c.await("session.created", Duration.ofSeconds(30));
            if (created == null) throw new IOException("no session.created from " + uri);
            EngineProbe probe = probes.get(); // this session's: sessions are opened one at a time
            ObjectNode update = sessionUpdate(created.json().path("session"), outputRate);
            if (update != null) {
                c.send(update);
                RealtimeClient.Event answer;
                do {
                    answer = c.next(Duration.ofSeconds(30));
                } while (answer != null && !answer.type().equals("session.updated") && !answer.type().equals("error"));
                if (answer == null) throw new IOException("no session.updated from " + uri);
                if (answer.type().equals("error")) {
                    throw new IOException("the server refused the session.update " + update.path("session") + ": "
                            + answer.json().at("/error/message").asText());
                }
            }
            short[] samples = audio.samples();
            int chunks = (samples.length + CHUNK - 1) / CHUNK;
            // the microphone's timeline: chunk i has been recorded at origin + (i + 1) * 20 ms and is sent then
            long origin = System.nanoTime();
            for (int i = 0; i < chunks; i++) {
                pace(origin + (i + 1) * CHUNK_NANOS);
                c.append(Arrays.copyOfRange(samples, i * CHUNK, Math.min(samples.length, (i + 1) * CHUNK)));
            }
            short[] silence = new short[CHUNK];
            long speechEnd = origin + (long) (clip.speechEndS() * 1e9), clipEnd = origin + chunks * CHUNK_NANOS;
            for (long i = 0; i < TAIL_LIMIT_MS / CHUNK_MS && c.isOpen() && !conv.settled(System.nanoTime(), speechEnd, clipEnd); i++) {
                pace(origin + (chunks + i + 1) * CHUNK_NANOS);
                c.append(silence);
            }
            return conv.measure(clip, origin, c, probe);
        } finally {
            c.close();
        }
    }

    /** A refused upgrade says its HTTP status (401: the token); nothing of the request (its headers) is repeated. */
    private static String connectFailure(Throwable t) {
        if (t instanceof java.net.http.WebSocketHandshakeException h) return "the server refused the WebSocket with HTTP " + h.getResponse().statusCode();
        if (t instanceof java.net.ConnectException) return "connection refused";
        if (t instanceof java.net.http.HttpTimeoutException) return "no answer within 10 s";
        if (t != null && t.getMessage() == null && t.getCause() != null) return connectFailure(t.getCause());
        return t == null || t.getMessage() == null ? "the connection failed" : t.getMessage();
    }

    /**
     * The {@code session.update} the benchmark needs, or null when the session as created already fits: PCM16 at
     * 24 kHz in (the GA default, sent anyway when the server shows another), the output rate asked for, and the
     * transcription of the user's speech, without which there is no word error rate (OpenAI's default is off; then
     * {@code whisper-1} is asked for, the model its reference documents for {@code audio.input.transcription}).
     * GA shape, with {@code "type":"realtime"} as OpenAI requires it.
     */
    static ObjectNode sessionUpdate(JsonNode session, int outputRate) {
        ObjectNode update = RealtimeClient.event("session.update");
        ObjectNode s = update.putObject("session").put("type", "realtime");
        ObjectNode audio = s.putObject("audio");
        JsonNode in = session.at("/audio/input"), out = session.at("/audio/output");
        boolean needed = false;
        if (in.path("format").isObject() && (!"audio/pcm".equals(in.at("/format/type").asText()) || in.at("/format/rate").asInt(CLIENT_RATE) != CLIENT_RATE)) {
            audio.withObject("input").putObject("format").put("type", "audio/pcm").put("rate", CLIENT_RATE);
            needed = true;
        }
        boolean transcriptionOff = in.isObject() ? in.path("transcription").isNull()
                : session.has("input_audio_transcription") && session.path("input_audio_transcription").isNull();
        if (transcriptionOff) {
            audio.withObject("input").putObject("transcription").put("model", "whisper-1");
            needed = true;
        }
        int rate = out.at("/format/rate").asInt(CLIENT_RATE);
        if (outputRate != rate) {
            audio.putObject("output").putObject("format").put("type", "audio/pcm").put("rate", outputRate);
            needed = true;
        }
        return needed ? update : null;
    }

    private static void pace(long due) {
        for (long left; (left = due - System.nanoTime()) > 0; ) LockSupport.parkNanos(left);
    }

    /** What the client saw of one session, as the events arrive. */
    private static final class Conversation {
        /** The id prefix of the benchmark's {@code parley.playback.started}, to know an error it caused. */
        private static final String PLAYBACK_ID = "evt_bench_playback_";
        volatile RealtimeClient client;
        private final AtomicBoolean parleyExtensions;

        Conversation(AtomicBoolean parleyExtensions) {
            this.parleyExtensions = parleyExtensions;
        }

        private int speechStarted, speechStopped, responsesCreated, responsesDone;
        private long lastEvent = System.nanoTime();
        private final Map<String, Long> firstAudio = new LinkedHashMap<>();
        private final Map<String, Integer> firstDeltaBytes = new HashMap<>();
        private final Map<String, JsonNode> done = new HashMap<>();
        private final Map<String, Double> network = new HashMap<>();
        /** speech_stopped events: {arrival, audio_end_ms}, in order. */
        private final List<long[]> stops = new ArrayList<>();
        private final List<String> transcripts = new ArrayList<>();
        private final List<String> errors = new ArrayList<>();

        synchronized void on(RealtimeClient.Event e) {
            lastEvent = e.arrivedNanos();
            JsonNode j = e.json();
            switch (e.type()) {
                case "input_audio_buffer.speech_started" -> speechStarted++;
                case "input_audio_buffer.speech_stopped" -> {
                    speechStopped++;
                    stops.add(new long[]{e.arrivedNanos(), j.path("audio_end_ms").asLong()});
                }
                case "response.created" -> responsesCreated++;
                case "response.done" -> {
                    responsesDone++;
                    done.put(j.at("/response/id").asText(), j.path("response"));
                }
                case "response.output_audio.delta" -> {
                    String id = j.path("response_id").asText();
                    if (firstAudio.putIfAbsent(id, e.arrivedNanos()) == null) {
                        firstDeltaBytes.put(id, j.path("delta").asText().length() / 4 * 3);
                        if (!parleyExtensions.get()) return;
                        // the reply's first audio is "playing" now: tell the server, as the browser client does
                        ObjectNode started = RealtimeClient.event("parley.playback.started").put("event_id", PLAYBACK_ID + id).put("response_id", id)
                                .put("item_id", j.path("item_id").asText()).put("buffered_ms", 0).put("output_latency_ms", 0);
                        RealtimeClient c = client;
                        Thread.ofVirtual().start(() -> {
                            try {
                                c.send(started);
                            } catch (RuntimeException ex) {
                                note("playback report failed: " + ex.getMessage());
                            }
                        });
                    }
                }
                case "parley.latency" -> network.put(j.path("response_id").asText(), j.at("/waterfall/network_ms").asDouble());
                case "conversation.item.input_audio_transcription.completed" -> transcripts.add(j.path("transcript").asText());
                case "error" -> {
                    // a server without Parley's extension refuses the playback report: not an error of the run
                    if (j.at("/error/event_id").asText().startsWith(PLAYBACK_ID)) parleyExtensions.set(false);
                    else errors.add(j.at("/error/code").asText() + ": " + j.at("/error/message").asText());
                }
                case "client.closed", "client.failed" -> errors.add(e.type() + " " + j);
                default -> {
                }
            }
        }

        private synchronized void note(String error) {
            errors.add(error);
        }

        /**
         * No user turn and no reply open, nothing heard for a while, and a reply came after the end of speech (or the
         * clip ended seconds ago: a server far behind the microphone may not have said a word yet): the clip is done.
         */
        synchronized boolean settled(long now, long speechEnd, long clipEnd) {
            boolean answered = firstAudio.values().stream().anyMatch(t -> t > speechEnd);
            return speechStarted == speechStopped && responsesCreated == responsesDone && now - lastEvent >= QUIET_NANOS
                    && (answered || now - clipEnd >= UNANSWERED_NANOS);
        }

        synchronized ServerBenchmark.Leg measure(CorpusManifest.Clip clip, long origin, RealtimeClient c, EngineProbe probe) {
            if (c.failure() != null && errors.stream().noneMatch(s -> s.startsWith("client."))) errors.add("client failed: " + c.failure());
            String transcript = String.join(" ", transcripts.stream().filter(t -> !t.isBlank()).toList());
            long speechEnd = origin + (long) (clip.speechEndS() * 1e9);
            // the reply to the whole utterance: the first one whose audio arrived after the real end of speech
            String answer = null;
            long answerAt = 0;
            for (Map.Entry<String, Long> f : firstAudio.entrySet()) {
                if (f.getValue() > speechEnd) {
                    answer = f.getKey();
                    answerAt = f.getValue();
                    break;
                }
            }
            double e2e = answer == null ? Double.NaN : (answerAt - speechEnd) / 1e6;
            Map<String, Double> waterfall = new LinkedHashMap<>();
            JsonNode response = answer == null ? null : done.get(answer);
            if (response != null && response.path("metadata").isObject()) {
                for (String stage : STAGES) {
                    JsonNode v = response.path("metadata").path("latency_" + stage + "_ms");
                    if (!v.isMissingNode()) waterfall.put(stage, Double.parseDouble(v.asText()));
                }
            }
            // the endpoint of the answered turn: the last speech_stopped before its audio
            double lag = Double.NaN;
            ServerBenchmark.Transport transport = ServerBenchmark.Transport.UNKNOWN;
            long[] stop = null;
            for (long[] s : stops) if (answer != null && s[0] <= answerAt) stop = s;
            if (stop != null && waterfall.containsKey("endpoint")) {
                int frame = ServerBenchmark.decidingFrame(stop[1] + waterfall.get("endpoint"));
                lag = (stop[0] - ServerBenchmark.frameRecorded(origin, frame)) / 1e6;
                transport = ServerBenchmark.transport(probe, origin, frame, answerAt, waterfall.getOrDefault("out", Double.NaN),
                        firstDeltaBytes.getOrDefault(answer, 0) / 2.0 / CLIENT_RATE * 1000);
            }
            double net = answer == null ? Double.NaN : network.getOrDefault(answer, Double.NaN);
            return new ServerBenchmark.Leg(transcript, WordErrorRate.compute(clip.transcript(), transcript), e2e, lag, Double.NaN, waterfall, net,
                    transport, responsesCreated, List.copyOf(errors));
        }
    }
}

package dev.parley.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.transport.realtime.client.RealtimeClient;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One synthetic caller: a WebSocket session that speaks corpus clips turn after turn as a microphone would, and
 * times each reply.
 *
 * <p>The microphone: from the moment the session is created, a chunk of 20 ms (24 kHz PCM16) is due every 20 ms
 * without a gap, chunk {@code k} at {@code origin + (k + 1) × 20 ms}: a clip, then silence until the reply to it is
 * over ({@code response.done}), then the next clip (round robin over the corpus, each caller from its own place).
 *
 * <p>Coordinated omission: every instant is dated from that schedule, never from when the caller managed to send. A
 * caller that fell behind (a send that waited on a busy server, a stalled thread) sends what is overdue at once
 * and keeps the schedule, and a turn's end of speech is still where the schedule put it, so a stall counts in full
 * against every turn it delayed, as a person who kept talking would have felt it.
 *
 * <p>A turn is answered by the first {@code response.output_audio.delta} that arrives after its end of speech (the
 * manifest's {@code speech_end_s} on the schedule), of a reply not begun before the turn (a late answer to an earlier
 * turn does not count): end to end runs from there to that delta's arrival. A turn with
 * no reply within the reply timeout, a reply that never finishes, an {@code error} event and a socket that closes
 * under the caller are counted as errors, never thrown; after a lost socket the caller reconnects if time is left.
 *
 * <p>Bounded: no clip starts unless its last chunk is due before the deadline; a turn started is finished (its reply
 * waited for, within the timeouts) rather than cut, so the slowest turns are not the ones dropped; the socket is
 * closed on the way out, whatever happened.
 */
final class Caller implements Runnable {
    static final long CHUNK_NANOS = ClipStream.CHUNK_MS * 1_000_000L;
    /** A reply that started is given this long to finish ({@code response.done}). */
    static final long DONE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);

    private final URI uri;
    private final HttpClient http;
    private final List<ClipStream> clips;
    private final ScriptedSessions fakes;
    private final long startAt, deadline, replyTimeoutNanos;
    private final StepRecorder recorder;
    private int nextClip;

    /**
     * @param firstClip where in the corpus this caller starts
     * @param fakes     the fake engines this caller's session must be driven by (in this process or a child JVM), or null
     * @param startAt   when to connect ({@link System#nanoTime()}), to spread the callers out
     * @param deadline  when to stop starting turns
     */
    Caller(URI uri, HttpClient http, List<ClipStream> clips, int firstClip, ScriptedSessions fakes, long startAt, long deadline,
           Duration replyTimeout, StepRecorder recorder) {
        this.uri = uri;
        this.http = http;
        this.clips = clips;
        this.nextClip = firstClip;
        this.fakes = fakes;
        this.startAt = startAt;
        this.deadline = deadline;
        this.replyTimeoutNanos = replyTimeout.toNanos();
        this.recorder = recorder;
    }

    @Override
    public void run() {
        pace(startAt);
        while (System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
            if (session()) return;
            LockSupport.parkNanos(500_000_000L); // lost: a breath before reconnecting
        }
    }

    /** One connection, turn after turn until the deadline; false when it was lost before. */
    private boolean session() {
        CallerScript script = new CallerScript();
        Watch watch = new Watch((code, message) -> recorder.error("error_event", code + ": " + message));
        RealtimeClient client;
        try {
            Callable<RealtimeClient> open = () -> {
                RealtimeClient c = RealtimeClient.connect(http, uri, watch::on).get(CONNECT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                if (c.await("session.created", CONNECT_TIMEOUT) == null) {
                    c.close();
                    throw new IOException("no session.created within " + CONNECT_TIMEOUT.toSeconds() + " s");
                }
                return c;
            };
            client = fakes == null ? open.call() : fakes.connect(script, open);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            recorder.error("connect", String.valueOf(e.getCause() == null ? e : e.getCause()));
            return false;
        }
        try (RealtimeClient c = client) {
            long origin = System.nanoTime();
            long chunk = 0;
            while (true) {
                ClipStream clip = clips.get(nextClip % clips.size());
                if (origin + (chunk + clip.chunks()) * CHUNK_NANOS > deadline) return true;
                nextClip++;
                long clipStart = chunk;
                script.play(clipStart * ClipStream.CHUNK_MS, clip.clip().speechStartS(), clip.clip().speechEndS(), clip.clip().transcript());
                long speechEnd = origin + clipStart * CHUNK_NANOS + (long) (clip.clip().speechEndS() * 1e9);
                watch.begin(speechEnd);
                for (String append : clip.appends()) {
                    if (!send(c, watch, append, origin + ++chunk * CHUNK_NANOS)) return false;
                }
                // listen, with the microphone open on silence, until the reply is over
                while (true) {
                    Watch.Turn t = watch.turn();
                    if (t.closed() != null) {
                        recorder.error("closed", t.closed());
                        return false;
                    }
                    if (t.done()) {
                        answered(t, speechEnd, origin);
                        break;
                    }
                    long now = System.nanoTime();
                    if (t.firstAudio() == 0 && now - speechEnd > replyTimeoutNanos) {
                        recorder.error("no_reply", clip.clip().name() + ": no reply audio within " + replyTimeoutNanos / 1_000_000 + " ms of the end of speech");
                        break;
                    }
                    if (t.firstAudio() != 0 && now - t.firstAudio() > DONE_TIMEOUT_NANOS) {
                        recorder.error("no_response_done", clip.clip().name() + ": the reply did not finish within " + DONE_TIMEOUT_NANOS / 1_000_000_000 + " s");
                        break;
                    }
                    if (Thread.currentThread().isInterrupted()) return true;
                    if (!send(c, watch, ClipStream.SILENCE, origin + ++chunk * CHUNK_NANOS)) return false;
                }
            }
        }
    }

    private void answered(Watch.Turn t, long speechEnd, long origin) {
        double e2e = (t.firstAudio() - speechEnd) / 1e6;
        double overhead = Double.NaN;
        if (fakes != null) {
            Double endpoint = t.waterfall().get("endpoint");
            if (endpoint == null || t.audioEndMs() < 0) {
                recorder.error("no_waterfall", "a reply without the endpoint stage or speech_stopped, so no overhead");
            } else {
                overhead = Overhead.overheadMs((t.firstAudio() - origin) / 1e6, t.audioEndMs(), endpoint, fakes.latencies().totalMs());
            }
        }
        recorder.answered(e2e, overhead, t.waterfall());
    }

    /** Sends one chunk when it is due (at once when overdue); false when the socket is gone. */
    private boolean send(RealtimeClient c, Watch watch, String append, long due) {
        pace(due);
        try {
            c.send(append);
        } catch (IllegalStateException e) {
            if (Thread.currentThread().isInterrupted()) return false;
            String closed = watch.turn().closed();
            recorder.error("closed", closed != null ? closed : String.valueOf(e.getMessage()));
            return false;
        }
        c.drain(); // the events were read as they came (Watch); nothing waits for them in the inbox
        return true;
    }

    private static void pace(long due) {
        for (long left; (left = due - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(left);
            if (Thread.currentThread().isInterrupted()) return;
        }
    }

    /** What the server said about the current turn, from the client's receiving thread. */
    static final class Watch {
        /**
         * @param firstAudio  arrival of the answer's first audio ({@link System#nanoTime()}), 0 before
         * @param audioEndMs  where the server placed the end of speech (the last {@code speech_stopped} before the
         *                    answer), -1 when unknown
         * @param done        the answer's {@code response.done} arrived
         * @param waterfall   its {@code latency_*_ms} metadata, stage → ms
         * @param closed      why the socket is gone, or null
         */
        record Turn(long firstAudio, long audioEndMs, boolean done, Map<String, Double> waterfall, String closed) {}

        private final StepRecorderSink errors;
        /** Replies under way, and those of them begun before the current turn (a late answer to an earlier one). */
        private final Set<String> inFlight = new HashSet<>(), stale = new HashSet<>();
        private long speechEnd = Long.MAX_VALUE;
        private long lastAudioEndMs = -1;
        private String answer;
        private Turn turn = new Turn(0, -1, false, Map.of(), null);

        Watch(StepRecorderSink errors) {
            this.errors = errors;
        }

        synchronized void begin(long speechEndNanos) {
            speechEnd = speechEndNanos;
            answer = null;
            lastAudioEndMs = -1;
            stale.addAll(inFlight);
            turn = new Turn(0, -1, false, Map.of(), turn.closed());
        }

        synchronized Turn turn() {
            return turn;
        }

        synchronized void on(RealtimeClient.Event e) {
            JsonNode j = e.json();
            switch (e.type()) {
                case "input_audio_buffer.speech_stopped" -> lastAudioEndMs = j.path("audio_end_ms").asLong(-1);
                case "response.created" -> inFlight.add(j.path("response").path("id").asText());
                case "response.output_audio.delta" -> {
                    if (answer == null && e.arrivedNanos() > speechEnd && !stale.contains(j.path("response_id").asText())) {
                        answer = j.path("response_id").asText();
                        turn = new Turn(e.arrivedNanos(), lastAudioEndMs, false, Map.of(), turn.closed());
                    }
                }
                case "response.done" -> {
                    JsonNode r = j.path("response");
                    inFlight.remove(r.path("id").asText());
                    stale.remove(r.path("id").asText());
                    if (answer != null && answer.equals(r.path("id").asText())) {
                        Map<String, Double> w = new LinkedHashMap<>();
                        r.path("metadata").properties().forEach(f -> {
                            String k = f.getKey();
                            if (k.startsWith("latency_") && k.endsWith("_ms")) {
                                try {
                                    w.put(k.substring(8, k.length() - 3), Double.parseDouble(f.getValue().asText()));
                                } catch (NumberFormatException ignored) {
                                    // not a figure: left out
                                }
                            }
                        });
                        turn = new Turn(turn.firstAudio(), turn.audioEndMs(), true, Map.copyOf(w), turn.closed());
                    }
                }
                case "client.closed", "client.failed" -> turn = new Turn(turn.firstAudio(), turn.audioEndMs(), turn.done(), turn.waterfall(),
                        e.type().equals("client.closed") ? "the server closed the socket (" + j.path("code").asInt() + " " + j.path("reason").asText() + ")"
                                : "the connection failed: " + j.path("error").asText());
                case "error" -> {
                    errors.error(j.path("error").path("code").asText("error"), j.path("error").path("message").asText());
                }
                default -> {
                }
            }
        }
    }

    /** Where a watch reports {@code error} events. */
    @FunctionalInterface
    interface StepRecorderSink {
        void error(String code, String message);
    }
}

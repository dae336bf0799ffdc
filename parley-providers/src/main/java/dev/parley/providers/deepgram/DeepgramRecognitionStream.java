package dev.parley.providers.deepgram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.failover.ProviderEvents;
import dev.parley.failover.ProviderTiming;
import dev.parley.providers.http.HttpErrors;
import dev.parley.stt.RecognitionStream;
import dev.parley.stt.Transcript;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * One utterance streamed to Deepgram's live endpoint on its own WebSocket, opened (asynchronously) when the stream
 * is.
 *
 * <p><b>Sending.</b> {@link #accept} never waits for the network: each chunk becomes one binary frame (linear16,
 * little-endian) appended to a chain of {@code java.net.http.WebSocket} sends, each started when the one before has
 * completed (the JDK allows one outstanding send), so frames go out in order once the handshake is done. Control
 * messages are text frames on the same chain: {@code {"type":"KeepAlive"}} when nothing was sent for
 * {@link DeepgramConfig#keepAliveInterval()} (Deepgram closes a socket with {@code NET-0001} after 10 s without
 * audio or KeepAlive and asks for one every 3 to 5 s), {@code {"type":"Finalize"}} and {@code {"type":"CloseStream"}}
 * at {@link #finish()}.
 *
 * <p><b>Receiving</b> (the documented server messages): {@code Results} ({@code channel.alternatives[0].transcript},
 * {@code .confidence}, {@code .words[].confidence}, {@code is_final}, {@code speech_final}, {@code from_finalize}),
 * {@code UtteranceEnd}, {@code SpeechStarted} (informational), {@code Metadata} (Deepgram's answer to
 * {@code CloseStream}, sent just before it closes). The partial is the finalized segments of this utterance followed
 * by the latest interim result. {@link #endOfTurn()} turns true on a {@code speech_final} result or an
 * {@code UtteranceEnd}, once words were heard.
 *
 * <p><b>Finishing.</b> {@code Finalize} then {@code CloseStream} are sent back to back. Deepgram answers Finalize
 * with a final result marked {@code from_finalize: true}, but documents that this answer "is not guaranteed if there
 * is no significant amount of audio data to process"; CloseStream makes it process what is left, send its
 * {@code Metadata} and close. So the utterance is done at the first of: the {@code from_finalize} result, the
 * {@code Metadata}, the server's close; waiting longer than {@link DeepgramConfig#sttFirstByteTimeout()} for it is a
 * failure. The time reported as {@code ProviderTiming("deepgram","stt",…)} runs from the moment the Finalize frame
 * was handed to the socket to that answer.
 *
 * <p><b>Failures</b> (a refused handshake, a close or error from Deepgram before CloseStream, a dropped socket) are
 * remembered; the next {@link #accept} or {@link #finish()} throws them as a {@link DeepgramException}, so the
 * fallback recogniser can take over early. {@link #close()} (barge-in) drops unsent audio, sends CloseStream and
 * aborts the socket at once.
 */
final class DeepgramRecognitionStream implements RecognitionStream, WebSocket.Listener {
    private static final Logger log = LoggerFactory.getLogger(DeepgramRecognitionStream.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String KEEP_ALIVE = "{\"type\":\"KeepAlive\"}";
    static final String FINALIZE = "{\"type\":\"Finalize\"}";
    static final String CLOSE_STREAM = "{\"type\":\"CloseStream\"}";
    /** At most this much audio may wait for the network (30 s): past it Deepgram is not keeping up. */
    private static final long MAX_QUEUED_BYTES = 30L * DeepgramConfig.STT_SAMPLE_RATE * 2;
    private static final String WHAT = "speech recognition";

    private final DeepgramConfig config;
    private final ProviderEvents events;
    private final ScheduledExecutorService timer;
    private final CompletableFuture<WebSocket> socket;
    private final CompletableFuture<Void> answered = new CompletableFuture<>();
    private final AtomicReference<DeepgramException> failure = new AtomicReference<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final TextMessages texts = new TextMessages();
    private final ScheduledFuture<?> keepAlive;

    private final Object lock = new Object();
    private CompletableFuture<WebSocket> tail;
    private final StringBuilder finals = new StringBuilder();
    private String interim = "";
    private double confidenceSum;
    private int confidenceCount;
    private boolean wordsHeard;

    private volatile long lastSendNanos = System.nanoTime();
    private volatile long finalizeSentNanos;
    private volatile long answeredNanos;
    private volatile boolean endOfTurn;
    private volatile boolean closeStreamSent;
    private volatile boolean closed;

    DeepgramRecognitionStream(HttpClient http, DeepgramConfig config, ProviderEvents events,
                              ScheduledExecutorService timer) {
        this.config = config;
        this.events = events;
        this.timer = timer;
        this.socket = SocketOpener.open(http, config, config.listenUrl(), this, WHAT);
        synchronized (lock) {
            tail = socket;
        }
        socket.whenComplete((ws, t) -> {
            if (t != null) {
                fail(t);
            }
        });
        long period = Math.max(50, config.keepAliveInterval().toMillis() / 4);
        keepAlive = timer.scheduleAtFixedRate(this::keepAliveTick, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public String accept(short[] pcm, int offset, int length) {
        if (closed) {
            return "";
        }
        throwIfFailed();
        if (length > 0) {
            byte[] bytes = new byte[length * 2];
            for (int i = 0; i < length; i++) {
                short s = pcm[offset + i];
                bytes[2 * i] = (byte) s;
                bytes[2 * i + 1] = (byte) (s >> 8);
            }
            if (queuedBytes.addAndGet(bytes.length) > MAX_QUEUED_BYTES) {
                fail(new DeepgramException("Deepgram is not taking audio fast enough: more than 30 seconds "
                        + "wait to be sent."));
                throwIfFailed();
            }
            send(ws -> ws.sendBinary(ByteBuffer.wrap(bytes), true), bytes.length, true);
        }
        return partial();
    }

    @Override
    public boolean endOfTurn() {
        return endOfTurn;
    }

    @Override
    public Transcript finish() {
        if (closed) {
            throw new IllegalStateException("the recognition stream is closed");
        }
        keepAlive.cancel(false);
        try {
            throwIfFailed();
            boolean connected = socket.isDone();
            closeStreamSent = true;
            send(ws -> ws.sendText(FINALIZE, true).thenApply(w -> {
                finalizeSentNanos = System.nanoTime();
                return w;
            }), 0, false);
            send(ws -> ws.sendText(CLOSE_STREAM, true), 0, false);
            long waitMs = config.sttFirstByteTimeout().toMillis()
                    + (connected ? 0 : config.connectTimeout().toMillis() + config.maxRetryAfter().toMillis());
            try {
                answered.get(waitMs, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                fail(new DeepgramException("Deepgram did not return the final transcript within "
                        + DeepgramErrors.seconds(config.sttFirstByteTimeout()) + "."));
            } catch (ExecutionException e) {
                // the failure is recorded
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail(new DeepgramException("interrupted while waiting for Deepgram's final transcript"));
            }
            throwIfFailed();
            long sent = finalizeSentNanos;
            if (sent != 0) {
                events.timing(new ProviderTiming("deepgram", "stt", Math.max(0, answeredNanos - sent)));
            }
            synchronized (lock) {
                return new Transcript(finals.toString(), confidenceCount == 0
                        ? (finals.isEmpty() ? 0.0 : 1.0) : confidenceSum / confidenceCount);
            }
        } finally {
            closed = true;
            shutDown(false);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        keepAlive.cancel(false);
        shutDown(true);
    }

    /** The finalized segments of this utterance, then the latest interim result. */
    private String partial() {
        synchronized (lock) {
            if (interim.isEmpty()) {
                return finals.toString();
            }
            return finals.isEmpty() ? interim : finals + " " + interim;
        }
    }

    /**
     * Ends the socket. After a finish: CloseStream is out, so a normal close follows it and the connection is
     * aborted if Deepgram has not closed it within a second. On barge-in: unsent audio is dropped (the chain skips
     * it once {@link #closed} is set), CloseStream is sent, and the connection is aborted as soon as it left (or
     * after half a second).
     */
    private void shutDown(boolean bargeIn) {
        CompletableFuture<WebSocket> last;
        if (bargeIn) {
            closeStreamSent = true;
            last = send(ws -> ws.sendText(CLOSE_STREAM, true), 0, false);
        } else {
            last = send(ws -> ws.sendClose(WebSocket.NORMAL_CLOSURE, ""), 0, false);
        }
        long graceMs = bargeIn ? 500 : 1000;
        last.orTimeout(graceMs, TimeUnit.MILLISECONDS).whenComplete((ws, t) -> {
            if (bargeIn) {
                socket.thenAccept(WebSocket::abort);
            } else {
                socket.thenAccept(s -> {
                    try {
                        timer.schedule(s::abort, graceMs, TimeUnit.MILLISECONDS);
                    } catch (RejectedExecutionException e) {
                        s.abort();
                    }
                });
            }
        });
        if (!answered.isDone()) {
            answered.completeExceptionally(new DeepgramException("the recognition stream was closed"));
        }
    }

    /** Appends a send to the chain; audio ({@code skipWhenClosed}) is dropped once the stream is closed. */
    private CompletableFuture<WebSocket> send(Function<WebSocket, CompletionStage<WebSocket>> op, long bytes,
                                              boolean skipWhenClosed) {
        lastSendNanos = System.nanoTime();
        synchronized (lock) {
            CompletableFuture<WebSocket> next = tail.thenCompose(ws -> skipWhenClosed && closed
                    ? CompletableFuture.completedFuture(ws) : op.apply(ws));
            next.whenComplete((ws, t) -> {
                if (bytes > 0) {
                    queuedBytes.addAndGet(-bytes);
                }
                if (t != null && !closed) {
                    fail(t);
                }
            });
            tail = next;
            return next;
        }
    }

    private void keepAliveTick() {
        if (closed || closeStreamSent || failure.get() != null || !socket.isDone()) {
            return;
        }
        if (System.nanoTime() - lastSendNanos >= config.keepAliveInterval().toNanos()) {
            send(ws -> ws.sendText(KEEP_ALIVE, true), 0, true);
        }
    }

    private void throwIfFailed() {
        DeepgramException e = failure.get();
        if (e != null) {
            throw new DeepgramException(e.getMessage(), e);
        }
    }

    private void fail(Throwable t) {
        Throwable cause = HttpErrors.unwrap(t);
        DeepgramException e = cause instanceof DeepgramException d ? d
                : new DeepgramException("The Deepgram speech recognition stream broke off ("
                + (cause instanceof IOException ? "connection lost" : cause.getClass().getSimpleName()) + ").",
                cause);
        if (failure.compareAndSet(null, e)) {
            log.debug("deepgram stt failed: {}", e.getMessage());
        }
        answered.completeExceptionally(e);
    }

    private void answer() {
        if (!answered.isDone()) {
            answeredNanos = System.nanoTime();
            answered.complete(null);
        }
    }

    // ---- WebSocket.Listener: called by the HTTP client, one message at a time ----

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        String message = texts.add(data, last);
        if (message != null) {
            try {
                handle(message);
            } catch (RuntimeException e) {
                log.debug("deepgram stt: unreadable message ignored ({})", e.toString());
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        if (closeStreamSent) {
            answer();
        } else if (!closed) {
            fail(new DeepgramException(DeepgramErrors.closedEarly(statusCode, reason, config, WHAT)));
        }
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        if (!closed || !answered.isDone()) {
            fail(error);
        }
    }

    private void handle(String message) throws RuntimeException {
        JsonNode json;
        try {
            json = JSON.readTree(message);
        } catch (IOException e) {
            log.debug("deepgram stt: a message that is not JSON was ignored");
            return;
        }
        switch (json.path("type").asText("")) {
            case "Results" -> results(json);
            case "UtteranceEnd" -> {
                synchronized (lock) {
                    if (wordsHeard) {
                        endOfTurn = true;
                    }
                }
            }
            case "Metadata" -> {
                if (closeStreamSent) {
                    answer();
                }
            }
            case "Error" -> fail(new DeepgramException("Deepgram reported an error: " + DeepgramErrors.shorten(
                    dev.parley.providers.http.Redactor.redact(DeepgramErrors.firstText(json, "description",
                            "err_msg", "message", "reason"), config.apiKey()))));
            default -> {
                // SpeechStarted, Warning and anything newer: nothing to do
            }
        }
    }

    private void results(JsonNode json) {
        JsonNode alt = json.path("channel").path("alternatives").path(0);
        String transcript = alt.path("transcript").asText("").strip();
        boolean isFinal = json.path("is_final").asBoolean(false);
        boolean speechFinal = json.path("speech_final").asBoolean(false);
        synchronized (lock) {
            if (isFinal) {
                if (!transcript.isEmpty()) {
                    if (!finals.isEmpty()) {
                        finals.append(' ');
                    }
                    finals.append(transcript);
                    JsonNode words = alt.path("words");
                    if (words.isArray() && !words.isEmpty()) {
                        for (JsonNode w : words) {
                            confidenceSum += w.path("confidence").asDouble(1.0);
                            confidenceCount++;
                        }
                    } else {
                        confidenceSum += alt.path("confidence").asDouble(1.0);
                        confidenceCount++;
                    }
                }
                interim = "";
            } else {
                interim = transcript;
            }
            if (!transcript.isEmpty()) {
                wordsHeard = true;
            }
            if (speechFinal && wordsHeard) {
                endOfTurn = true;
            }
        }
        if (json.path("from_finalize").asBoolean(false) && closeStreamSent) {
            answer();
        }
    }
}

package dev.parley.providers.deepgram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.audio.PcmAudio;
import dev.parley.failover.ProviderEvents;
import dev.parley.failover.ProviderTiming;
import dev.parley.providers.http.HttpErrors;
import dev.parley.providers.http.Redactor;
import dev.parley.tts.TtsException;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One open Aura WebSocket ({@code /v1/speak}), used by one phrase at a time: {@code {"type":"Speak","text":…}},
 * then {@code {"type":"Flush"}}; binary linear16 frames come back until {@code {"type":"Flushed",
 * "sequence_id":…}}. Cancelling sends {@code {"type":"Clear"}} and waits briefly for {@code {"type":"Cleared"}},
 * after which the socket is clean and may speak the next phrase. {@code {"type":"Close"}} ends it. Deepgram's
 * {@code Warning} and {@code Error} messages ({@code description}, or the SDKs' {@code warn_msg}/{@code err_msg})
 * fail the phrase. The listener hands everything to the phrase in progress through a queue, so the phrase's thread
 * alone delivers audio, watches {@code cancelled} and keeps the deadlines.
 */
final class SpeakSocket implements WebSocket.Listener {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String FLUSH = "{\"type\":\"Flush\"}";
    static final String CLEAR = "{\"type\":\"Clear\"}";
    static final String CLOSE = "{\"type\":\"Close\"}";
    /** How long a cancelled phrase waits for {@code Cleared} before giving the socket up. */
    private static final long CLEARED_WAIT_MS = 500;
    private static final long POLL_MS = 20;
    private static final String WHAT = "speech synthesis";

    /** What the listener saw. */
    private sealed interface Event {
    }

    private record Audio(byte[] bytes) implements Event {
    }

    private record Message(String type, JsonNode json) implements Event {
    }

    private record Closed(int code, String reason) implements Event {
    }

    private record Failed(Throwable error) implements Event {
    }

    /** How a phrase ended. */
    enum Outcome {
        /** Flushed (or Cleared after a cancel): the socket may be reused. */
        CLEAN,
        /** Cancelled, and Deepgram did not confirm Cleared in time: the socket was given up. */
        ABANDONED
    }

    /** The socket was found dead before any audio of the phrase arrived: another socket may speak it. */
    static final class Stale extends Exception {
        Stale(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final DeepgramConfig config;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final TextMessages texts = new TextMessages();
    private volatile WebSocket ws;
    private volatile boolean dead;

    private SpeakSocket(DeepgramConfig config) {
        this.config = config;
    }

    /** Opens a socket, waiting at most the connect timeout (plus one 429 wait). */
    static SpeakSocket open(HttpClient http, DeepgramConfig config) throws TtsException {
        SpeakSocket s = new SpeakSocket(config);
        CompletableFuture<WebSocket> cf = SocketOpener.open(http, config, config.speakUrl(), s, WHAT);
        long waitMs = config.connectTimeout().toMillis() + config.maxRetryAfter().toMillis() + 1000;
        try {
            s.ws = cf.get(waitMs, TimeUnit.MILLISECONDS);
            return s;
        } catch (ExecutionException e) {
            Throwable t = HttpErrors.unwrap(e);
            throw new TtsException(t instanceof DeepgramException ? t.getMessage()
                    : "Cannot open the Deepgram voice socket (" + t.getClass().getSimpleName() + ").", t);
        } catch (TimeoutException e) {
            cf.thenAccept(WebSocket::abort);
            throw new TtsException("Could not connect to Deepgram at " + config.serverName() + " within "
                    + DeepgramErrors.seconds(config.connectTimeout()) + ".", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cf.thenAccept(WebSocket::abort);
            throw new TtsException("Interrupted while connecting to Deepgram.", e);
        }
    }

    boolean usable() {
        return !dead && ws != null && !ws.isOutputClosed() && !ws.isInputClosed();
    }

    /**
     * Speaks {@code text}, delivering audio to {@code out} as frames arrive, until Flushed; stops early once
     * {@code cancelled} says so.
     *
     * @throws Stale        when the socket turned out dead before any audio (only worth retrying on a reused one)
     * @throws TtsException on any other failure; the socket is then aborted
     */
    Outcome speak(String text, Consumer<PcmAudio> out, BooleanSupplier cancelled, ProviderEvents providerEvents)
            throws TtsException, Stale {
        events.clear();
        ObjectNode speak = JSON.createObjectNode().put("type", "Speak").put("text", text);
        long flushSent;
        try {
            sendText(speak.toString());
            sendText(FLUSH);
            flushSent = System.nanoTime();
        } catch (TtsException e) {
            abort();
            throw new Stale(e.getMessage(), e.getCause());
        }
        boolean audioSeen = false;
        int carry = -1;
        long lastEvent = flushSent;
        try {
            while (true) {
                if (cancelled.getAsBoolean()) {
                    return clear();
                }
                Event e = events.poll(POLL_MS, TimeUnit.MILLISECONDS);
                long now = System.nanoTime();
                if (e == null) {
                    if (!audioSeen && now - flushSent > config.ttsFirstByteTimeout().toNanos()) {
                        abort();
                        throw new TtsException("Deepgram did not start speaking within "
                                + DeepgramErrors.seconds(config.ttsFirstByteTimeout()) + ".", null);
                    }
                    if (audioSeen && now - lastEvent > config.idleTimeout().toNanos()) {
                        abort();
                        throw new TtsException("Deepgram's voice stream stalled: nothing came for "
                                + DeepgramErrors.seconds(config.idleTimeout()) + ".", null);
                    }
                    continue;
                }
                lastEvent = now;
                switch (e) {
                    case Audio a -> {
                        if (!audioSeen) {
                            audioSeen = true;
                            providerEvents.timing(new ProviderTiming("deepgram", "tts", now - flushSent));
                        }
                        carry = deliver(a.bytes(), carry, out);
                    }
                    case Message m -> {
                        switch (m.type()) {
                            case "Flushed" -> {
                                return Outcome.CLEAN;
                            }
                            case "Warning", "Error" -> {
                                abort();
                                throw new TtsException("Deepgram reported " + (m.type().equals("Error")
                                        ? "an error" : "a problem") + ": " + said(m.json()), null);
                            }
                            default -> {
                                // Metadata (at open), a late Cleared: nothing to do
                            }
                        }
                    }
                    case Closed c -> {
                        dead = true;
                        String msg = DeepgramErrors.closedEarly(c.code(), c.reason(), config, WHAT);
                        abort();
                        if (!audioSeen) {
                            throw new Stale(msg, null);
                        }
                        throw new TtsException(msg, null);
                    }
                    case Failed f -> {
                        abort();
                        String msg = "The Deepgram voice stream broke off ("
                                + (f.error() instanceof IOException ? "connection lost"
                                : f.error().getClass().getSimpleName()) + ").";
                        if (!audioSeen) {
                            throw new Stale(msg, f.error());
                        }
                        throw new TtsException(msg, f.error());
                    }
                }
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            abort();
            return Outcome.ABANDONED;
        }
    }

    /** Sends Clear and waits briefly for Cleared, dropping the audio still on its way. */
    private Outcome clear() throws InterruptedException {
        try {
            sendText(CLEAR);
        } catch (TtsException e) {
            abort();
            return Outcome.ABANDONED;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLEARED_WAIT_MS);
        while (true) {
            long left = deadline - System.nanoTime();
            Event e = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
            if (e == null) {
                abort();
                return Outcome.ABANDONED;
            }
            if (e instanceof Message m && m.type().equals("Cleared")) {
                return Outcome.CLEAN;
            }
            if (e instanceof Closed || e instanceof Failed) {
                abort();
                return Outcome.ABANDONED;
            }
        }
    }

    /** Delivers whole samples, keeping an odd trailing byte for the next frame; returns the new carry. */
    private static int deliver(byte[] bytes, int carry, Consumer<PcmAudio> out) {
        byte[] b = bytes;
        if (carry >= 0) {
            b = new byte[bytes.length + 1];
            b[0] = (byte) carry;
            System.arraycopy(bytes, 0, b, 1, bytes.length);
        }
        int even = b.length & ~1;
        if (even > 0) {
            out.accept(PcmAudio.fromLittleEndianBytes(b, 0, even, DeepgramConfig.TTS_SAMPLE_RATE));
        }
        return even < b.length ? b[b.length - 1] & 0xff : -1;
    }

    private String said(JsonNode json) {
        String text = DeepgramErrors.firstText(json, "description", "err_msg", "warn_msg", "message");
        String code = DeepgramErrors.firstText(json, "code", "err_code", "warn_code");
        String s = text.isEmpty() ? (code.isEmpty() ? "no details" : code) : (code.isEmpty() ? text
                : text + " (" + code + ")");
        return DeepgramErrors.shorten(Redactor.redact(s, config.apiKey()));
    }

    private void sendText(String text) throws TtsException {
        WebSocket s = ws;
        try {
            s.sendText(text, true).get(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | RuntimeException e) {
            dead = true;
            throw new TtsException("The Deepgram voice socket is closed.", HttpErrors.unwrap(e));
        } catch (TimeoutException e) {
            dead = true;
            throw new TtsException("Deepgram is not reading: a message could not be sent within "
                    + DeepgramErrors.seconds(config.connectTimeout()) + ".", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            dead = true;
            throw new TtsException("Interrupted while sending to Deepgram.", e);
        }
    }

    /** Sends Close (Deepgram's documented way to end the socket) and a close frame, then drops the connection. */
    void close() {
        WebSocket s = ws;
        if (s == null) {
            return;
        }
        dead = true;
        try {
            s.sendText(CLOSE, true)
                    .thenCompose(w -> w.sendClose(WebSocket.NORMAL_CLOSURE, ""))
                    .orTimeout(1, TimeUnit.SECONDS)
                    .whenComplete((w, t) -> s.abort());
        } catch (RuntimeException e) {
            s.abort();
        }
    }

    void abort() {
        dead = true;
        WebSocket s = ws;
        if (s != null) {
            s.abort();
        }
    }

    // ---- WebSocket.Listener ----

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] b = new byte[data.remaining()];
        data.get(b);
        if (b.length > 0) {
            events.add(new Audio(b));
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        String text = texts.add(data, last);
        if (text != null) {
            try {
                JsonNode json = JSON.readTree(text);
                if (json != null && json.isObject()) {
                    events.add(new Message(json.path("type").asText(""), json));
                }
            } catch (IOException e) {
                // not JSON: ignored
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        dead = true;
        events.add(new Closed(statusCode, reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        dead = true;
        events.add(new Failed(error));
    }
}

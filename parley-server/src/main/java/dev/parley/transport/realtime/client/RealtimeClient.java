package dev.parley.transport.realtime.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A client of the OpenAI Realtime protocol (as Parley serves it, see {@code docs/realtime-protocol.md}) over
 * {@code java.net.http}, as a benchmark and the server's tests need it: every server event is stamped with the instant
 * its last fragment arrived (before it is parsed), handed to an optional observer on the receiving thread (for
 * immediate reactions), and queued for {@link #await} / {@link #next}. Sends are serialised, so the thread that
 * streams audio and an observer that answers an event can both send.
 *
 * <p>It lives in parley-server's main code, not its tests, so that the benchmark ({@code parley bench}) and the
 * server's tests drive a server through one client. It holds no credentials: a caller that needs
 * {@code Authorization} sets it on the {@link WebSocket.Builder} it passes to {@link #connect(WebSocket.Builder, URI, Consumer)}.
 */
public final class RealtimeClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A server event and when it arrived ({@link System#nanoTime()}). */
    public record Event(long arrivedNanos, String type, JsonNode json) {}

    private final LinkedBlockingQueue<Event> inbox = new LinkedBlockingQueue<>();
    private final List<Event> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ReentrantLock sending = new ReentrantLock();
    private final Consumer<Event> observer;
    private volatile WebSocket socket;
    private volatile int closeCode = -1;
    private volatile Throwable failure;

    private RealtimeClient(Consumer<Event> observer) {
        this.observer = observer;
    }

    /**
     * Opens a connection; the future completes once the WebSocket is open (before {@code session.created}).
     *
     * @param observer told every event as it arrives, on the client's receiving thread (must be quick), or null
     */
    public static CompletableFuture<RealtimeClient> connect(HttpClient http, URI uri, Consumer<Event> observer) {
        return connect(http.newWebSocketBuilder(), uri, observer);
    }

    /**
     * Opens a connection with a builder the caller has set up (headers such as {@code Authorization}, subprotocols);
     * a connect timeout of 10 s is set on it.
     *
     * @param observer told every event as it arrives, on the client's receiving thread (must be quick), or null
     */
    public static CompletableFuture<RealtimeClient> connect(WebSocket.Builder builder, URI uri, Consumer<Event> observer) {
        RealtimeClient c = new RealtimeClient(observer);
        return builder.connectTimeout(Duration.ofSeconds(10)).buildAsync(uri, c.listener())
                .thenApply(ws -> {
                    c.socket = ws;
                    return c;
                });
    }

    private WebSocket.Listener listener() {
        return new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    long now = System.nanoTime();
                    Event e;
                    try {
                        JsonNode json = JSON.readTree(text.toString());
                        e = new Event(now, json.path("type").asText(), json);
                    } catch (Exception ex) {
                        e = new Event(now, "client.unparseable", JSON.createObjectNode().put("text", text.toString()));
                    }
                    text.setLength(0);
                    if (e.type().equals("error")) errors.add(e);
                    if (observer != null) {
                        try {
                            observer.accept(e);
                        } catch (RuntimeException ex) {
                            failure = ex;
                        }
                    }
                    inbox.add(e);
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                closeCode = statusCode;
                inbox.add(new Event(System.nanoTime(), "client.closed", JSON.createObjectNode().put("code", statusCode).put("reason", reason)));
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                failure = error;
                inbox.add(new Event(System.nanoTime(), "client.failed", JSON.createObjectNode().put("error", error.toString())));
            }
        };
    }

    /** Sends one event and waits until the socket took it. */
    public void send(String json) {
        sending.lock();
        try {
            socket.sendText(json, true).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending", e);
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not send an event: " + e, e);
        } finally {
            sending.unlock();
        }
    }

    public void send(ObjectNode event) {
        send(event.toString());
    }

    /** A new client event of {@code type}, to fill in and {@link #send(ObjectNode)}. */
    public static ObjectNode event(String type) {
        return JSON.createObjectNode().put("type", type);
    }

    /** One {@code input_audio_buffer.append} of PCM16 samples (at the session's input rate). */
    public void append(short[] samples) {
        byte[] b = new byte[samples.length * 2];
        for (int i = 0; i < samples.length; i++) {
            b[2 * i] = (byte) samples[i];
            b[2 * i + 1] = (byte) (samples[i] >> 8);
        }
        send("{\"type\":\"input_audio_buffer.append\",\"audio\":\"" + Base64.getEncoder().encodeToString(b) + "\"}");
    }

    /** The next event of {@code type} (the ones before it are taken too), or null after {@code timeout}. */
    public Event await(String type, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Event e = left <= 0 ? null : inbox.poll(left, TimeUnit.NANOSECONDS);
            if (e == null) return null;
            if (e.type().equals(type)) return e;
        }
    }

    /**
     * The next event received (whatever its type), or null after {@code timeout}. Besides the server's events there
     * are the client's own: {@code client.closed} (the server closed: {@code code}, {@code reason}),
     * {@code client.failed} ({@code error}) and {@code client.unparseable} ({@code text}).
     */
    public Event next(Duration timeout) throws InterruptedException {
        return inbox.poll(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
    }

    /** Every event received and not yet taken. */
    public List<Event> drain() {
        List<Event> events = new ArrayList<>();
        inbox.drainTo(events);
        return events;
    }

    /** Every {@code error} event received so far (whether or not it was taken). */
    public List<Event> errorEvents() {
        return List.copyOf(errors);
    }

    public boolean isOpen() {
        WebSocket ws = socket;
        return ws != null && !ws.isInputClosed() && !ws.isOutputClosed() && closeCode < 0 && failure == null;
    }

    /** The connection itself, for what the protocol has no method for (binary frames, an abort without close). */
    public WebSocket socket() {
        return socket;
    }

    /** The close code the server sent, or -1. */
    public int closeCode() {
        return closeCode;
    }

    /** What went wrong on the connection (or in the observer), or null. */
    public Throwable failure() {
        return failure;
    }

    /** Sends a close frame and lets go of the connection without waiting for the server's. */
    @Override
    public void close() {
        WebSocket ws = socket;
        if (ws == null) return;
        sending.lock();
        try {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the connection is going anyway
        } finally {
            sending.unlock();
            ws.abort();
        }
    }
}

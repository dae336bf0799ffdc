package dev.parley.providers.deepgram;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;

import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * A fake Deepgram on a real local socket: MockWebServer upgrades each scripted request to a WebSocket whose
 * {@link Peer} records everything the client sent (text and binary frames, its close, a dropped connection) and
 * lets the test answer, optionally automatically through a reaction to each text message.
 */
final class FakeDeepgram implements AutoCloseable {
    final MockWebServer server = new MockWebServer();

    FakeDeepgram() throws IOException {
        server.start();
    }

    /** The base URL to configure: {@code http://127.0.0.1:port}. */
    String baseUrl() {
        String u = server.url("/").toString();
        return u.substring(0, u.length() - 1);
    }

    /** Scripts the next connection as an accepted WebSocket answered by the returned peer. */
    Peer accept() {
        return accept((peer, text) -> { });
    }

    /** Same, with {@code reaction} called for each text message the client sends. */
    Peer accept(BiConsumer<Peer, String> reaction) {
        Peer p = new Peer(reaction);
        server.enqueue(new MockResponse.Builder().webSocketUpgrade(p).build());
        return p;
    }

    /** Scripts the next connection as an accepted WebSocket whose handshake answer waits {@code delayMs}. */
    Peer acceptSlowly(long delayMs) {
        Peer p = new Peer((peer, text) -> { });
        server.enqueue(new MockResponse.Builder().headersDelay(delayMs, TimeUnit.MILLISECONDS)
                .webSocketUpgrade(p).build());
        return p;
    }

    /** Scripts the next connection as a refused handshake. */
    void refuse(int code, String body, String... headers) {
        MockResponse.Builder b = new MockResponse.Builder().code(code).body(body)
                .addHeader("Content-Type", "application/json");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.addHeader(headers[i], headers[i + 1]);
        }
        server.enqueue(b.build());
    }

    RecordedRequest takeRequest() throws InterruptedException {
        RecordedRequest r = server.takeRequest(10, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("no request reached the fake within 10 s");
        }
        return r;
    }

    /**
     * Drops every connection without a close frame (MockWebServer closes its sockets; okhttp's server-side
     * {@code cancel()} cannot be used, it has no call to cancel).
     */
    void dropConnections() {
        server.close();
    }

    @Override
    public void close() {
        server.close();
    }

    /** A text frame, binary frame, close or failure the client caused. */
    sealed interface Seen {
    }

    record Text(String text) implements Seen {
    }

    record Binary(ByteString bytes) implements Seen {
    }

    record Closing(int code, String reason) implements Seen {
    }

    record Failure(String what) implements Seen {
    }

    /** The server end of one socket. */
    static final class Peer extends WebSocketListener {
        final BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
        private final BiConsumer<Peer, String> reaction;
        private final java.util.concurrent.CompletableFuture<WebSocket> socket =
                new java.util.concurrent.CompletableFuture<>();

        Peer(BiConsumer<Peer, String> reaction) {
            this.reaction = reaction;
        }

        boolean opened() {
            return socket.isDone();
        }

        WebSocket socket() {
            return socket.orTimeout(10, TimeUnit.SECONDS).join();
        }

        void send(String text) {
            socket().send(text);
        }

        void send(byte[] bytes) {
            socket().send(ByteString.of(bytes));
        }

        /** Closes with a close frame, as Deepgram does after CloseStream or on an error. */
        void closeWith(int code, String reason) {
            socket().close(code, reason);
        }


        /** The next thing seen, waiting up to 10 s. */
        Seen next() throws InterruptedException {
            Seen s = seen.poll(10, TimeUnit.SECONDS);
            if (s == null) {
                throw new AssertionError("the client sent nothing within 10 s");
            }
            return s;
        }

        /** The next text frame, skipping binary frames; fails on a close or a failure first. */
        String nextText() throws InterruptedException {
            while (true) {
                Seen s = next();
                if (s instanceof Text t) {
                    return t.text();
                }
                if (!(s instanceof Binary)) {
                    throw new AssertionError("expected a text frame, got " + s);
                }
            }
        }

        /** Waits until the client closed or dropped the connection; returns what was seen then. */
        Seen awaitEnd() throws InterruptedException {
            while (true) {
                Seen s = next();
                if (s instanceof Closing || s instanceof Failure) {
                    return s;
                }
            }
        }

        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            socket.complete(webSocket);
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            seen.add(new Text(text));
            reaction.accept(this, text);
        }

        @Override
        public void onMessage(WebSocket webSocket, ByteString bytes) {
            seen.add(new Binary(bytes));
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            seen.add(new Closing(code, reason));
            webSocket.close(1000, null);
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable t, Response response) {
            seen.add(new Failure(t.getClass().getSimpleName()));
        }
    }
}

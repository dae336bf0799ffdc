package dev.parley.embedded.models;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A local HTTP server on 127.0.0.1 serving canned responses and counting requests. */
final class TestServer implements AutoCloseable {

    /** How to answer one path. */
    @FunctionalInterface
    interface Behaviour {
        void handle(HttpExchange exchange, CountDownLatch release) throws IOException, InterruptedException;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, Behaviour> routes = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);

    TestServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            try (exchange) {
                Behaviour behaviour = routes.get(exchange.getRequestURI().getPath());
                if (behaviour == null) {
                    exchange.sendResponseHeaders(404, -1);
                } else {
                    behaviour.handle(exchange, release);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // the client went away (e.g. after a stall); nothing to do
            }
        });
        server.start();
    }

    /** Base URL, e.g. {@code http://127.0.0.1:12345}. */
    URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    int requests() {
        return requests.get();
    }

    TestServer route(String path, Behaviour behaviour) {
        routes.put(path, behaviour);
        return this;
    }

    /** Serves {@code body} with status 200, in chunks with an optional pause between them. */
    static Behaviour ok(byte[] body, long pauseMillisPerChunk) {
        return (exchange, release) -> {
            exchange.sendResponseHeaders(200, body.length);
            OutputStream out = exchange.getResponseBody();
            int chunk = 8 * 1024;
            for (int off = 0; off < body.length; off += chunk) {
                out.write(body, off, Math.min(chunk, body.length - off));
                out.flush();
                if (pauseMillisPerChunk > 0) {
                    Thread.sleep(pauseMillisPerChunk);
                }
            }
        };
    }

    static Behaviour ok(byte[] body) {
        return ok(body, 0);
    }

    static Behaviour status(int code) {
        return (exchange, release) -> {
            byte[] page = ("<h1>" + code + "</h1>").getBytes();
            exchange.sendResponseHeaders(code, page.length);
            exchange.getResponseBody().write(page);
        };
    }

    /** Announces the full length, sends {@code sent} bytes, then hangs until the server closes. */
    static Behaviour stall(byte[] body, int sent) {
        return (exchange, release) -> {
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body, 0, sent);
            exchange.getResponseBody().flush();
            release.await(30, TimeUnit.SECONDS);
        };
    }

    /** Announces the full length, sends {@code sent} bytes, then drops the connection. */
    static Behaviour truncate(byte[] body, int sent) {
        return (exchange, release) -> {
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body, 0, sent);
            exchange.getResponseBody().flush();
            // closing with bytes missing makes the server close the connection
        };
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}

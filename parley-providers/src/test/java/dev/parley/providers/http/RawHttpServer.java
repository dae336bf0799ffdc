package dev.parley.providers.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/1.1 server on a real loopback socket whose every byte a test scripts: for the cases a higher-level fake
 * cannot play (a body that pauses for a given time, a connection cut in the middle of a chunk, a client that must be
 * seen closing its connection). Each accepted request is parsed (request line, headers, a Content-Length body) and
 * recorded, then handed with its {@link Exchange} to the next queued {@link Handler}, on its own thread.
 */
public final class RawHttpServer implements AutoCloseable {

    /** A recorded request. Header names are lower case. */
    public record Request(String method, String target, Map<String, String> headers, String body) {
    }

    /** Scripts one response. */
    @FunctionalInterface
    public interface Handler {
        void handle(Request request, Exchange exchange) throws Exception;
    }

    private final ServerSocket server;
    private final BlockingQueue<Handler> handlers = new LinkedBlockingQueue<>();
    private final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    private final ConcurrentLinkedQueue<Socket> sockets = new ConcurrentLinkedQueue<>();
    private final Semaphore hangUps = new Semaphore(0);
    private final AtomicInteger connections = new AtomicInteger();
    private final Thread acceptor;

    public RawHttpServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofPlatform().daemon().name("raw-http-accept").start(this::acceptLoop);
    }

    /** {@code http://127.0.0.1:port} and {@code path}. */
    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + path);
    }

    public void enqueue(Handler handler) {
        handlers.add(handler);
    }

    /** The next recorded request, waiting up to 5 s. */
    public Request takeRequest() throws InterruptedException {
        Request r = requests.poll(5, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("no request arrived within 5 s");
        }
        return r;
    }

    /**
     * Waits until the client has closed a connection (at any point: before, during or after its request), counting
     * each closed connection once; false if none closed within {@code limit}.
     */
    public boolean awaitClientHangUp(Duration limit) throws InterruptedException {
        return hangUps.tryAcquire(limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** How many connections the client opened so far. */
    public int connections() {
        return connections.get();
    }

    /** How many requests are recorded and not yet taken. */
    public int pendingRequests() {
        return requests.size();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                sockets.add(s);
                connections.incrementAndGet();
                Thread.ofVirtual().name("raw-http-conn").start(() -> serve(s));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        boolean clientClosed = false;
        Exchange exchange = null;
        try (socket) {
            InputStream in = socket.getInputStream();
            while (true) {
                Request request = readRequest(in);
                if (request == null) {
                    clientClosed = true;
                    return;
                }
                requests.add(request);
                Handler h = handlers.poll();
                exchange = new Exchange(socket);
                if (h == null) {
                    exchange.status(500, "text/plain");
                    exchange.chunk("no response scripted");
                    exchange.end();
                } else {
                    h.handle(request, exchange);
                }
                if (exchange.closed) {
                    clientClosed = !exchange.aborted;
                    return;
                }
            }
        } catch (Exception e) {
            // a read or write failed: the client went away, unless the script cut the connection itself
            clientClosed = exchange == null || !exchange.aborted;
        } finally {
            if (clientClosed && !server.isClosed()) {
                hangUps.release();
            }
        }
    }

    private static Request readRequest(InputStream in) throws IOException {
        String line = readLine(in);
        if (line == null || line.isEmpty()) {
            return null;
        }
        String[] parts = line.split(" ");
        Map<String, String> headers = new LinkedHashMap<>();
        String h;
        while ((h = readLine(in)) != null && !h.isEmpty()) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).strip().toLowerCase(Locale.ROOT), h.substring(colon + 1).strip());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        return new Request(parts[0], parts[1], headers, new String(body, StandardCharsets.UTF_8));
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }

    /** The response side of one request: a chunked body written piece by piece. */
    public static final class Exchange {
        private final Socket socket;
        private final OutputStream out;
        private boolean closed;
        private boolean aborted;

        Exchange(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
        }

        /** Status line and headers of a chunked response of {@code contentType}, plus {@code extraHeaders}. */
        public void status(int code, String contentType, String... extraHeaders) throws IOException {
            StringBuilder sb = new StringBuilder("HTTP/1.1 ").append(code).append(' ').append(reason(code))
                    .append("\r\nContent-Type: ").append(contentType).append("\r\nTransfer-Encoding: chunked\r\n");
            for (String header : extraHeaders) {
                sb.append(header).append("\r\n");
            }
            write(sb.append("\r\n").toString());
        }

        /** One chunk holding {@code text}, flushed. */
        public void chunk(String text) throws IOException {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            write(Integer.toHexString(bytes.length) + "\r\n");
            out.write(bytes);
            write("\r\n");
        }

        /** The last chunk: the body is complete, the connection stays open for the next request. */
        public void end() throws IOException {
            write("0\r\n\r\n");
        }

        /** Raw bytes, flushed (a chunk header without its data, for a cut in the middle of a chunk). */
        public void raw(String text) throws IOException {
            write(text);
        }

        /** Cuts the connection at once (TCP reset), whatever was being sent. */
        public void abort() throws IOException {
            closed = true;
            aborted = true;
            socket.setSoLinger(true, 0);
            socket.close();
        }

        /**
         * Waits until the client closes its side of the connection: true when it did (the read saw the end of
         * stream or a reset) within {@code limit}, false if it kept the connection open.
         */
        public boolean awaitClientClose(Duration limit) throws IOException {
            socket.setSoTimeout((int) limit.toMillis());
            try {
                int c = socket.getInputStream().read();
                closed = true;
                return c == -1;
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                closed = true;
                return true; // reset by the client
            }
        }

        /** Whether writing to the client now fails (tries a few times: the first write after a close may pass). */
        public boolean writeFails() {
            try {
                for (int i = 0; i < 50; i++) {
                    chunk(": keep-alive\n\n");
                    Thread.sleep(10);
                }
                return false;
            } catch (IOException e) {
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        private void write(String s) throws IOException {
            out.write(s.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        private static String reason(int code) {
            return switch (code) {
                case 200 -> "OK";
                case 401 -> "Unauthorized";
                case 404 -> "Not Found";
                case 429 -> "Too Many Requests";
                case 500 -> "Internal Server Error";
                case 503 -> "Service Unavailable";
                default -> "Status";
            };
        }
    }
}

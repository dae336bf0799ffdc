package dev.parley.transport.server;

import dev.parley.session.VoiceSession;
import dev.parley.transport.bridge.BridgeSettings;
import dev.parley.transport.bridge.RealtimeBridge;
import dev.parley.transport.realtime.Ids;
import dev.parley.transport.realtime.RealtimeSession;
import dev.parley.transport.realtime.SessionSettings;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Header;
import io.javalin.http.HttpStatus;
import io.javalin.http.staticfiles.Location;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Parley's server: the browser client at {@code /}, the OpenAI Realtime protocol on the WebSocket
 * {@code /v1/realtime} (one independent {@link RealtimeSession} per connection, or in bridge mode one
 * {@link RealtimeBridge} to OpenAI's Realtime API per connection), {@code /healthz} and {@code /metrics}. HTTP and
 * HTTPS (with {@link ServerConfig#tls()}) on one port.
 */
public final class ParleyServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ParleyServer.class);
    static final String SUBPROTOCOL = "realtime";
    private static final String KEY_PROTOCOL_PREFIX = "openai-insecure-api-key.";

    private final ServerConfig config;
    private final SessionFactory sessions;
    /** Bridge mode's settings, or null: each connection runs Parley's own pipeline. */
    private final BridgeSettings bridge;
    private final ServerMetrics metrics = new ServerMetrics();
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    private final Javalin app;

    /** A WebSocket and its session (or, in bridge mode, its bridge; the other is null). */
    private record Connection(RealtimeSession session, RealtimeBridge bridge, Inbound inbound, Outbound outbound, long openedNanos) {}

    private ParleyServer(ServerConfig config, SessionFactory sessions, BridgeSettings bridge) {
        this.config = config;
        this.sessions = sessions;
        this.bridge = bridge;
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.concurrency.useVirtualThreads = true;
            if (config.tls() == null) {
                cfg.jetty.host = config.host();
                cfg.jetty.port = config.port();
            } else {
                cfg.jetty.modifyServer(server -> server.setConnectors(new org.eclipse.jetty.server.Connector[0]));
                cfg.jetty.addConnector((server, http) -> TlsConnector.https(server, http, config.tls(), config.host(), config.port()));
            }
            cfg.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = "/web";
                files.location = Location.CLASSPATH;
                files.headers = Map.of(Header.CACHE_CONTROL, "no-cache");
            });
            cfg.jetty.modifyWebSocketServletFactory(ws -> {
                // Messages up to four times the event limit are read whole and answered with an error event;
                // anything larger closes the connection (1009) rather than being buffered.
                ws.setMaxTextMessageSize(Math.max(64 * 1024, (long) config.maxEventChars() * 4));
                ws.setMaxBinaryMessageSize(64 * 1024);
                ws.setIdleTimeout(Duration.ofMillis(config.idleTimeoutMs()));
            });
            cfg.routes.get("/healthz", ctx -> ctx.json(Map.of("status", "ok", "sessions", metrics.activeSessions())));
            cfg.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
            cfg.routes.wsBeforeUpgrade("/v1/realtime", this::beforeUpgrade);
            cfg.routes.ws("/v1/realtime", this::realtime);
        });
    }

    /** Starts a server; returns once it listens. */
    public static ParleyServer start(ServerConfig config, SessionFactory sessions) {
        ParleyServer s = new ParleyServer(config, sessions, null);
        s.app.start();
        log.info("listening on {} (browser client at {})", s.realtimeUri(), s.uri());
        return s;
    }

    /**
     * Starts a server in bridge mode: each WebSocket on {@code /v1/realtime} is relayed to its own session on OpenAI's
     * Realtime API (see {@link RealtimeBridge}); {@code config.pipeline()} and {@code config.voice()} are not used.
     */
    public static ParleyServer startBridge(ServerConfig config, BridgeSettings bridge) {
        ParleyServer s = new ParleyServer(config, () -> {
            throw new IllegalStateException("a bridge server makes no pipeline sessions");
        }, java.util.Objects.requireNonNull(bridge, "bridge"));
        s.app.start();
        log.info("listening on {} (bridged to {})", s.realtimeUri(), bridge.upstream());
        return s;
    }

    public int port() {
        return ((ServerConnector) app.jettyServer().server().getConnectors()[0]).getLocalPort();
    }

    /** The browser client's address. */
    public URI uri() {
        return URI.create((config.tls() == null ? "http" : "https") + "://" + hostForUri() + ":" + port() + "/");
    }

    /** The WebSocket's address. */
    public URI realtimeUri() {
        return URI.create((config.tls() == null ? "ws" : "wss") + "://" + hostForUri() + ":" + port() + "/v1/realtime");
    }

    private String hostForUri() {
        String h = config.host();
        if (h.equals("0.0.0.0") || h.equals("::")) return "localhost";
        return h.contains(":") ? "[" + h + "]" : h;
    }

    public int activeSessions() {
        return metrics.activeSessions();
    }

    public ServerMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        app.stop();
        for (Connection c : connections.values()) end(c);
        connections.clear();
    }

    // ---------------------------------------------------------------- WebSocket

    private void beforeUpgrade(Context ctx) {
        String offered = ctx.header(Header.SEC_WEBSOCKET_PROTOCOL);
        if (config.authToken() != null && !authorised(ctx.header(Header.AUTHORIZATION), offered)) {
            log.info("refused a WebSocket from {}: no valid bearer token", ctx.ip());
            ctx.header(Header.WWW_AUTHENTICATE, "Bearer");
            ctx.status(HttpStatus.UNAUTHORIZED).json(Map.of("error", Map.of("type", "invalid_request_error",
                    "code", "invalid_api_key", "message", "this server needs a valid bearer token (--auth-token)")));
            ctx.skipRemainingHandlers();
            return;
        }
        // Browsers offer subprotocols (realtime, and the key); one must be accepted or the browser drops the socket.
        if (offered != null && Arrays.stream(offered.split(",")).map(String::trim).anyMatch(SUBPROTOCOL::equals)) {
            ctx.header(Header.SEC_WEBSOCKET_PROTOCOL, SUBPROTOCOL);
        }
    }

    private boolean authorised(String authorization, String protocols) {
        byte[] expected = config.authToken().getBytes(StandardCharsets.UTF_8);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                && MessageDigest.isEqual(expected, authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8))) {
            return true;
        }
        if (protocols != null) {
            for (String p : protocols.split(",")) {
                p = p.trim();
                if (p.startsWith(KEY_PROTOCOL_PREFIX)
                        && MessageDigest.isEqual(expected, p.substring(KEY_PROTOCOL_PREFIX.length()).getBytes(StandardCharsets.UTF_8))) {
                    return true;
                }
            }
        }
        return false;
    }

    private void realtime(WsConfig ws) {
        ws.onConnect(ctx -> {
            String id = Ids.next("sess");
            ctx.attribute("parley.session", id);
            MDC.put("session", id);
            try {
                open(ctx, id);
            } finally {
                MDC.remove("session");
            }
        });
        ws.onMessage(ctx -> withSession(ctx, c -> {
            try {
                c.inbound().accept(ctx.message());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        ws.onBinaryMessage(ctx -> withSession(ctx, c -> {
            if (c.bridge() != null) c.bridge().onBinary();
            else c.session().onBinary();
        }));
        ws.onClose(ctx -> close(ctx, "closed " + ctx.status() + (ctx.reason() == null ? "" : " " + ctx.reason())));
        ws.onError(ctx -> close(ctx, "failed: " + ctx.error()));
    }

    private void open(WsContext ctx, String id) {
        if (bridge != null) {
            openBridge(ctx, id);
            return;
        }
        VoiceSession.Engines engines;
        try {
            engines = sessions.newSession();
        } catch (RuntimeException e) {
            log.error("could not start a session", e);
            ctx.closeSession(1011, "could not start a session: " + e.getMessage());
            return;
        }
        Outbound outbound = new Outbound(ctx.session, id, config.maxQueuedEvents(), 10_000);
        String model = ctx.queryParam("model") == null ? "parley" : ctx.queryParam("model");
        RealtimeSession session = new RealtimeSession(id, engines, config.pipeline(),
                SessionSettings.defaults(model, config.voice(), config.pipeline()), outbound, metrics, System::nanoTime,
                executor(id), new RealtimeSession.Limits(config.maxEventChars()));
        // 500 events: 10 s of 20 ms appends waiting to be heard before the socket's reads wait too
        Inbound inbound = new Inbound(id, 500, session::onMessage);
        connections.put(id, new Connection(session, null, inbound, outbound, System.nanoTime()));
        metrics.sessionOpened();
        ctx.enableAutomaticPings(30, TimeUnit.SECONDS);
        log.info("session opened from {} (model {})", ctx.session.getRemoteSocketAddress() instanceof InetSocketAddress a
                ? a.getAddress().getHostAddress() : "?", model);
        session.start();
    }

    /** Bridge mode: the connection's own upstream session, client events relayed in order by the inbound thread. */
    private void openBridge(WsContext ctx, String id) {
        Outbound outbound = new Outbound(ctx.session, id, config.maxQueuedEvents(), 10_000);
        RealtimeBridge b = new RealtimeBridge(id, bridge, outbound, metrics);
        Inbound inbound = new Inbound(id, 500, b::onClientMessage);
        connections.put(id, new Connection(null, b, inbound, outbound, System.nanoTime()));
        metrics.sessionOpened();
        ctx.enableAutomaticPings(30, TimeUnit.SECONDS);
        log.info("bridged session opened to {}", bridge.upstream());
        b.start();
    }

    private void withSession(WsContext ctx, java.util.function.Consumer<Connection> action) {
        String id = ctx.attribute("parley.session");
        Connection c = id == null ? null : connections.get(id);
        if (c == null) return;
        MDC.put("session", id);
        try {
            action.accept(c);
        } finally {
            MDC.remove("session");
        }
    }

    private void close(WsContext ctx, String how) {
        String id = ctx.attribute("parley.session");
        Connection c = id == null ? null : connections.remove(id);
        if (c == null) return;
        MDC.put("session", id);
        try {
            end(c);
            log.info("session {} after {} s", how, (System.nanoTime() - c.openedNanos()) / 1_000_000_000L);
        } finally {
            MDC.remove("session");
        }
    }

    private void end(Connection c) {
        c.inbound().close();
        try {
            c.inbound().awaitEnd(5_000); // the event being handled, if any, finishes before the session closes
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (c.session() != null) c.session().close();
        if (c.bridge() != null) c.bridge().close();
        c.outbound().close();
        metrics.sessionClosed();
    }

    /** Runs a session's reply tasks on virtual threads that log with its id, counted in the metrics. */
    private Executor executor(String sessionId) {
        return task -> {
            metrics.taskStarted();
            Thread.ofVirtual().name("parley-" + sessionId).start(() -> {
                MDC.put("session", sessionId);
                try {
                    task.run();
                } finally {
                    MDC.clear();
                    metrics.taskEnded();
                }
            });
        };
    }
}

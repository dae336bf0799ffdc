package dev.parley.transport.server;

import dev.parley.session.VoiceSession;
import dev.parley.transport.bridge.BridgeSettings;
import dev.parley.transport.bridge.RealtimeBridge;
import dev.parley.transport.realtime.Ids;
import dev.parley.transport.realtime.RealtimeSession;
import dev.parley.transport.twilio.TwilioCall;
import dev.parley.transport.twilio.TwilioEndpoints;
import dev.parley.transport.realtime.SessionSettings;
import dev.parley.transport.rest.RestEndpoints;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Header;
import io.javalin.http.HttpStatus;
import io.javalin.http.staticfiles.Location;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Parley's server: the browser client at {@code /}, the OpenAI Realtime protocol on the WebSocket
 * {@code /v1/realtime} (one independent {@link RealtimeSession} per connection, or in bridge mode one
 * {@link RealtimeBridge} to OpenAI's Realtime API per connection), the engines as OpenAI-compatible REST services
 * ({@link RestEndpoints}: transcriptions, speech, chat completions), {@code /healthz} (liveness), {@code /readyz}
 * (readiness: 503 once draining) and {@code /metrics}. HTTP and HTTPS (with {@link ServerConfig#tls()}) on one port.
 *
 * <p>A conversation lives on the instance that accepted its WebSocket, so an instance that is going away
 * {@linkplain #drain(Duration) drains}: it refuses new WebSockets (503) and reports itself not ready, so a load
 * balancer sends new conversations elsewhere, lets the live ones run to their end, and closes those still open when
 * the drain timeout passes with 1001 (going away), which tells a client to connect again (to another instance).
 */
public final class ParleyServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ParleyServer.class);

    private final ServerConfig config;
    private final SessionFactory sessions;
    /** Bridge mode's settings, or null: each connection runs Parley's own pipeline. */
    private final BridgeSettings bridge;
    private final ServerMetrics metrics = new ServerMetrics();
    private final Access access;
    private final TwilioEndpoints twilio;
    /** The most sessions served at once: further WebSockets are refused with 503. */
    private final int sessionLimit;
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    private final Javalin app;

    /** A WebSocket and its session (or, in bridge mode, its bridge; the other is null). */
    /** One WebSocket and what serves it: a Realtime session, a bridge to OpenAI, or a phone call. */
    private record Connection(WsContext socket, RealtimeSession session, RealtimeBridge bridge, TwilioCall call,
                              Inbound inbound, Outbound outbound, long openedNanos) {}

    /** Close code 1001 (RFC 6455 §7.4.1): the endpoint is going away, e.g. a server shutting down. */
    public static final int GOING_AWAY = 1001;

    private volatile boolean draining;
    /** Signalled whenever a connection ends, for {@link #drain(Duration)}. */
    private final Object ended = new Object();

    private ParleyServer(ServerConfig config, SessionFactory sessions, BridgeSettings bridge) {
        this.config = config;
        this.sessions = sessions;
        this.bridge = bridge;
        this.access = new Access(config.authToken());
        this.twilio = new TwilioEndpoints(config.twilioAuthToken(), access.required());
        this.sessionLimit = config.sessionLimit();
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
                // Above the event limit (checked by the session, which answers with an error event) up to the hard
                // limit, messages are read whole and answered; larger ones are answered and closed (1009), not
                // buffered: MeasuredListener reads in parts and enforces the hard limit (Jetty's own, twice it, is a
                // guard that is never reached first).
                ws.setMaxTextMessageSize(2 * config.budget().hardTextLimit());
                ws.setMaxBinaryMessageSize(2 * config.budget().hardBinaryLimit());
                ws.addMapping("/v1/realtime", (req, resp) -> {
                    Object javalins = ws.getMapping("/").createWebSocket(req, resp);
                    return javalins instanceof Session.Listener l ? new MeasuredListener(l, config.budget().hardTextLimit(),
                            config.budget().hardBinaryLimit(), this::overHardLimit) : javalins;
                });
                ws.setIdleTimeout(Duration.ofMillis(config.idleTimeoutMs()));
            });
            cfg.routes.get("/healthz", ctx -> ctx.json(Map.of("status", "ok", "sessions", metrics.activeSessions())));
            cfg.routes.get("/readyz", this::readiness);
            cfg.routes.get("/metrics", this::metrics);
            RestEndpoints.register(cfg.routes, bridge == null ? sessions::newSession : null, access::allowsBearer,
                    config.rest());
            cfg.routes.wsBeforeUpgrade("/v1/realtime", this::beforeUpgrade);
            cfg.routes.ws("/v1/realtime", this::realtime);
            if (bridge == null) { // phone calls run on the pipeline
                twilio.register(cfg.routes);
                cfg.routes.wsBeforeUpgrade(TwilioEndpoints.STREAM, this::beforeCallUpgrade);
                cfg.routes.ws(TwilioEndpoints.STREAM, this::call);
            }
        });
    }

    /** Starts a server; returns once it listens. */
    public static ParleyServer start(ServerConfig config, SessionFactory sessions) {
        ParleyServer s = new ParleyServer(config, sessions, null);
        s.app.start();
        log.info("listening on {} (browser client at {}); at most {} sessions of {} MiB each", s.realtimeUri(), s.uri(),
                s.sessionLimit, config.budget().bytesPerSession() >> 20);
        s.warnIfOpen();
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
        s.warnIfOpen();
        return s;
    }

    /** Anyone who can reach a non-loopback address can talk (and spend the server's engines) without a token. */
    private void warnIfOpen() {
        if (!access.required() && !Access.loopback(config.host())) {
            log.warn("serving on {} without an auth token: anyone who can reach it may use it (set --auth-token)", config.host());
        }
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

    /** True once {@link #drain(Duration)} has begun: new WebSockets are refused and {@code /readyz} answers 503. */
    public boolean draining() {
        return draining;
    }

    /**
     * Stops taking new conversations and waits up to {@code timeout} for the live ones to end by themselves; those
     * still open then are closed with {@link #GOING_AWAY}. HTTP keeps being served ({@code /healthz} stays 200) until
     * {@link #close()}. Safe to call more than once.
     *
     * @return true if every conversation had ended by itself before the timeout
     */
    public boolean drain(Duration timeout) throws InterruptedException {
        if (!draining) {
            draining = true;
            metrics.draining(true);
            log.info("draining: refusing new sessions; waiting up to {} s for {} live session(s)", timeout.toSeconds(),
                    connections.size());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (ended) {
            for (long left; !connections.isEmpty() && (left = deadline - System.nanoTime()) > 0; ) {
                TimeUnit.NANOSECONDS.timedWait(ended, left);
            }
        }
        if (connections.isEmpty()) {
            log.info("drained: every session has ended");
            return true;
        }
        log.info("drain timeout: closing {} live session(s) with {}", connections.size(), GOING_AWAY);
        for (Connection c : connections.values()) {
            try {
                c.socket().closeSession(GOING_AWAY, "server shutting down; connect again");
            } catch (RuntimeException e) {
                log.debug("could not close a session cleanly: {}", e.toString());
            }
        }
        // the close handshakes end the sessions (onClose); a client that does not answer is dropped by close()
        long closeDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        synchronized (ended) {
            for (long left; !connections.isEmpty() && (left = closeDeadline - System.nanoTime()) > 0; ) {
                TimeUnit.NANOSECONDS.timedWait(ended, left);
            }
        }
        return false;
    }

    /** {@link #drain(Duration) Drains} for {@link ServerConfig#drainTimeout()}, then {@linkplain #close() stops}. */
    public void shutdown() {
        try {
            drain(config.drainTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            close();
        }
    }

    @Override
    public void close() {
        app.stop();
        // a session whose socket's close is being handled concurrently is ended there, not twice
        connections.forEach((id, c) -> {
            if (connections.remove(id, c)) end(c);
        });
    }

    // ---------------------------------------------------------------- WebSocket

    private void readiness(Context ctx) {
        if (draining) {
            ctx.status(HttpStatus.SERVICE_UNAVAILABLE).json(Map.of("status", "draining", "sessions", metrics.activeSessions()));
        } else {
            ctx.json(Map.of("status", "ready", "sessions", metrics.activeSessions()));
        }
    }

    /** Prometheus metrics: behind the bearer token when one is configured (they tell how busy the server is). */
    private void metrics(Context ctx) {
        if (!access.allowsBearer(ctx.header(Header.AUTHORIZATION))) {
            ctx.header(Header.WWW_AUTHENTICATE, "Bearer");
            ctx.status(HttpStatus.UNAUTHORIZED).json(Map.of("error", Map.of("type", "invalid_request_error", "code", "invalid_api_key",
                    "message", "/metrics needs the server's bearer token (--auth-token)")));
            return;
        }
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
    }

    private void beforeUpgrade(Context ctx) {
        if (draining) {
            log.info("refused a WebSocket from {}: the server is draining", ctx.ip());
            ctx.header(Header.RETRY_AFTER, "1");
            refuse(ctx, HttpStatus.SERVICE_UNAVAILABLE, "server_error", "server_draining",
                    "this server is shutting down and takes no new sessions; connect again to reach another instance");
            return;
        }
        String offered = ctx.header(Header.SEC_WEBSOCKET_PROTOCOL);
        if (access.required() && !access.allowsSocket(ctx.header(Header.AUTHORIZATION), offered)) {
            log.info("refused a WebSocket from {}: no valid bearer token", ctx.ip());
            ctx.header(Header.WWW_AUTHENTICATE, "Bearer");
            refuse(ctx, HttpStatus.UNAUTHORIZED, "invalid_request_error", "invalid_api_key",
                    "this server needs a valid bearer token (--auth-token)");
            return;
        }
        if (bridge == null && connections.size() >= sessionLimit) {
            log.warn("refused a WebSocket from {}: {} sessions, the most this server takes", ctx.ip(), sessionLimit);
            ctx.header(Header.RETRY_AFTER, "5");
            refuse(ctx, HttpStatus.SERVICE_UNAVAILABLE, "server_error", "server_full", "this server serves at most "
                    + sessionLimit + " sessions at once (each may hold " + (config.budget().bytesPerSession() >> 20)
                    + " MiB of its heap); try again later or connect to another instance");
            return;
        }
        // Browsers offer subprotocols (realtime, and the key); realtime must be accepted or the browser drops the
        // socket. Only realtime is ever echoed: never the subprotocol that carries the token.
        ctx.res().setHeader(Header.SEC_WEBSOCKET_PROTOCOL, Access.offersRealtime(offered) ? Access.SUBPROTOCOL : null);
    }

    /**
     * Answers an upgrade request with an error instead of a WebSocket. The body is written to the servlet response
     * directly: Javalin does not write a result set before an upgrade.
     */
    private static void refuse(Context ctx, HttpStatus status, String type, String code, String message) {
        ctx.skipRemainingHandlers();
        ctx.status(status);
        byte[] body = ctx.jsonMapper().toJsonString(Map.of("error", Map.of("type", type, "code", code, "message", message)), Map.class)
                .getBytes(StandardCharsets.UTF_8);
        try {
            ctx.res().setContentType("application/json");
            ctx.res().setContentLength(body.length);
            ctx.res().getOutputStream().write(body);
            ctx.res().flushBuffer();
        } catch (java.io.IOException e) {
            log.debug("could not send the refusal: {}", e.toString());
        }
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
        ws.onMessage(ctx -> withSession(ctx, c -> Limits.text(c.inbound(), c.session(), ctx.message(), config.maxEventChars())));
        ws.onBinaryMessage(ctx -> withSession(ctx, c -> {
            if (c.bridge() != null) c.bridge().onBinary();
            else Limits.binary(c.inbound(), c.session());
        }));
        ws.onClose(ctx -> close(ctx, "closed " + ctx.status() + (ctx.reason() == null ? "" : " " + ctx.reason())));
        ws.onError(ctx -> close(ctx, "failed: " + ctx.error()));
    }

    /** A message over the socket's hard limit: answered, then the connection closes with 1009. */
    private void overHardLimit(Session socket, String what) {
        for (Connection c : connections.values()) {
            if (c.socket().session == socket) {
                Limits.overHardLimit(c.inbound(), c.outbound(), what);
                return;
            }
        }
        socket.close(1009, "message too large", Callback.NOOP);
    }

    private void open(WsContext ctx, String id) {
        if (bridge != null) {
            openBridge(ctx, id);
            return;
        }
        if (connections.size() >= sessionLimit) { // upgrades admitted together, past the check before them
            ctx.closeSession(1013, "server full: at most " + sessionLimit + " sessions; try again later");
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
        Outbound outbound = new Outbound(ctx.session, id, config.maxQueuedEvents(), config.budget().maxQueuedChars(), 10_000);
        String model = ctx.queryParam("model") == null ? "parley" : ctx.queryParam("model");
        RealtimeSession session = new RealtimeSession(id, engines, config.pipeline(),
                SessionSettings.defaults(model, config.voice(), config.pipeline()), outbound, metrics, System::nanoTime,
                executor(id), config.budget());
        // 500 events: 10 s of 20 ms appends waiting to be heard before the socket's reads wait too
        Inbound inbound = new Inbound(id, 500, config.maxEventChars(), session::onMessage);
        connections.put(id, new Connection(ctx, session, null, null, inbound, outbound, System.nanoTime()));
        metrics.sessionOpened();
        ctx.enableAutomaticPings(30, TimeUnit.SECONDS);
        log.info("session opened from {} (model {})", ctx.session.getRemoteSocketAddress() instanceof InetSocketAddress a
                ? a.getAddress().getHostAddress() : "?", model);
        session.start();
    }

    /** Twilio's stream upgrade: as a Realtime one (draining, full), with Twilio's signature instead of the bearer token. */
    private void beforeCallUpgrade(Context ctx) {
        String refusal = draining ? "this server is shutting down" : connections.size() >= sessionLimit ? "this server is full" : null;
        if (refusal != null) {
            ctx.header(Header.RETRY_AFTER, "5");
            refuse(ctx, HttpStatus.SERVICE_UNAVAILABLE, "server_error", "server_unavailable", refusal);
        } else if ((refusal = twilio.upgradeRefusal(ctx)) != null) {
            log.warn("refused a Twilio stream from {}: {}", ctx.ip(), refusal);
            refuse(ctx, HttpStatus.FORBIDDEN, "invalid_request_error", "invalid_signature", refusal);
        }
    }

    /** A phone call's Media Stream: Twilio's messages, in order on the connection's inbound thread, to its call. */
    private void call(WsConfig ws) {
        ws.onConnect(ctx -> {
            String id = Ids.next("call");
            ctx.attribute("parley.session", id);
            Outbound outbound = new Outbound(ctx.session, id, config.maxQueuedEvents(), config.budget().maxQueuedChars(), 10_000);
            TwilioCall call = new TwilioCall(sessions::newSession, config.pipeline(), outbound, executor(id), System::nanoTime);
            Inbound inbound = new Inbound(id, 500, config.maxEventChars(), call::onMessage);
            connections.put(id, new Connection(ctx, null, null, call, inbound, outbound, System.nanoTime()));
            metrics.sessionOpened();
            log.info("phone call stream {} opened", id);
        });
        ws.onMessage(ctx -> withSession(ctx, c -> Limits.text(c.inbound(), null, ctx.message(), config.maxEventChars())));
        ws.onClose(ctx -> close(ctx, "closed " + ctx.status()));
        ws.onError(ctx -> close(ctx, "failed: " + ctx.error()));
    }

    /** Bridge mode: the connection's own upstream session, client events relayed in order by the inbound thread. */
    private void openBridge(WsContext ctx, String id) {
        Outbound outbound = new Outbound(ctx.session, id, config.maxQueuedEvents(), config.budget().maxQueuedChars(), 10_000);
        RealtimeBridge b = new RealtimeBridge(id, bridge, outbound, metrics);
        Inbound inbound = new Inbound(id, 500, config.maxEventChars(), b::onClientMessage);
        connections.put(id, new Connection(ctx, null, b, null, inbound, outbound, System.nanoTime()));
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
            synchronized (ended) {
                ended.notifyAll();
            }
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
        if (c.call() != null) c.call().close();
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

package dev.parley.transport.rest;

import dev.parley.session.VoiceSession;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Semaphore;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Registers the REST endpoints on a server's routes and runs each request: the bearer token first (when the server
 * has one: 401 without it), then at most {@link RestLimits#maxInFlight()} requests at once (503 with
 * {@code Retry-After} beyond), then the endpoint; an {@link ApiError} becomes its status and OpenAI's error JSON,
 * anything unforeseen a 500 with the same shape (logged, its details not sent).
 */
public final class RestEndpoints {
    private static final Logger log = LoggerFactory.getLogger(RestEndpoints.class);

    public static final String TRANSCRIPTIONS = "/v1/audio/transcriptions";
    public static final String SPEECH = "/v1/audio/speech";
    public static final String CHAT_COMPLETIONS = "/v1/chat/completions";
    public static final String MODELS = "/v1/models";

    /** An endpoint's work, which may throw. */
    @FunctionalInterface
    interface Endpoint {
        void handle(Context ctx) throws Exception;
    }

    private final Predicate<String> allowsBearer;
    private final Semaphore inFlight;

    private RestEndpoints(Predicate<String> allowsBearer, int maxInFlight) {
        this.allowsBearer = allowsBearer;
        this.inFlight = new Semaphore(maxInFlight);
    }

    /**
     * Adds the endpoints to {@code routes}.
     *
     * @param engines      makes the engines of one request (as of one conversation), or null when the server has
     *                     none (bridge mode: the endpoints answer 503)
     * @param allowsBearer whether a request's {@code Authorization} header (null when absent) may proceed
     */
    public static void register(RoutesConfig routes, Supplier<VoiceSession.Engines> engines, Predicate<String> allowsBearer,
                                RestLimits limits) {
        RestEndpoints rest = new RestEndpoints(allowsBearer, limits.maxInFlight());
        routes.post(TRANSCRIPTIONS, rest.guard(new Transcriptions(engines, limits)::handle));
        routes.post(SPEECH, rest.guard(new Speech(engines, limits)::handle));
        routes.post(CHAT_COMPLETIONS, rest.guard(new ChatCompletions(engines, limits)::handle));
        routes.get(MODELS, rest.guard(new Models()::handle));
        for (String path : new String[]{TRANSCRIPTIONS, SPEECH, CHAT_COMPLETIONS}) {
            routes.get(path, rest.guard(ctx -> {
                ctx.header("Allow", "POST");
                throw new ApiError(405, ApiError.INVALID_REQUEST, null, "method_not_allowed", ctx.path() + " takes POST");
            }));
        }
    }

    private Handler guard(Endpoint endpoint) {
        return ctx -> {
            long start = System.nanoTime();
            try {
                if (!allowsBearer.test(ctx.header("Authorization"))) {
                    ctx.header("WWW-Authenticate", "Bearer");
                    throw new ApiError(401, ApiError.INVALID_REQUEST, null, "invalid_api_key",
                            "this server needs its bearer token (Authorization: Bearer …, the server's --auth-token)");
                }
                if (!inFlight.tryAcquire()) {
                    ctx.header("Retry-After", "1");
                    throw ApiError.unavailable("server_busy", "this server is serving as many requests as it takes at "
                            + "once; try again shortly");
                }
                try {
                    endpoint.handle(ctx);
                } finally {
                    inFlight.release();
                }
            } catch (ApiError e) {
                answer(ctx, e);
            } catch (java.io.IOException e) { // the client's body broke off, or it went away
                log.info("{} {}: the request could not be read: {}", ctx.method(), ctx.path(), e.toString());
                answer(ctx, ApiError.badRequest(null, "unreadable_body", "the request body could not be read"));
            } catch (Exception e) {
                log.error("{} {} failed", ctx.method(), ctx.path(), e);
                answer(ctx, new ApiError(500, ApiError.SERVER_ERROR, null, "internal_error",
                        "the server failed to handle the request"));
            } finally {
                log.debug("{} {} -> {} in {} ms", ctx.method(), ctx.path(), ctx.res().getStatus(),
                        (System.nanoTime() - start) / 1_000_000);
            }
        };
    }

    private static void answer(Context ctx, ApiError e) {
        if (ctx.res().isCommitted()) {
            log.debug("{} {}: {} after the response began", ctx.method(), ctx.path(), e.toString());
            return;
        }
        if (e.status() >= 500) log.warn("{} {}: {}", ctx.method(), ctx.path(), e.toString());
        else log.info("{} {}: {}", ctx.method(), ctx.path(), e.toString());
        ctx.status(e.status()).contentType("application/json").result(e.json().toString());
    }
}

package dev.parley.providers.http;

import java.net.http.HttpClient;
import java.util.Objects;
import java.util.function.Function;

/**
 * What a provider's engine (a recogniser, a synthesizer) is made of: its config and the HTTP client it sends with,
 * and whether that client is its own. An engine given only its config builds its own client and shuts it down when
 * it closes; one given a client leaves it open for whoever owns it.
 *
 * @param config   the engine's config
 * @param http     the client it sends with
 * @param ownsHttp whether closing the engine shuts the client down
 * @param <C>      the config's type
 */
public record EngineClient<C>(C config, HttpClient http, boolean ownsHttp) {

    public EngineClient {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(http, "http");
    }

    /** {@code config} with a client of its own, made by {@code newClient} from it. */
    public static <C> EngineClient<C> owning(C config, Function<? super C, HttpClient> newClient) {
        return new EngineClient<>(config, newClient.apply(config), true);
    }

    /** {@code config} with {@code http}, which someone else owns and closes. */
    public static <C> EngineClient<C> sharing(C config, HttpClient http) {
        return new EngineClient<>(config, http, false);
    }

    /** Shuts the client down at once when it is the engine's own; leaves a shared one alone. */
    public void shutdownNow() {
        if (ownsHttp) {
            http.shutdownNow();
        }
    }

    /** Shuts the client down gracefully (requests in flight finish) when it is the engine's own. */
    public void shutdown() {
        if (ownsHttp) {
            http.shutdown();
        }
    }
}

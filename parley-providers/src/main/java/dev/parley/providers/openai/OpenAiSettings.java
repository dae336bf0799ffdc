package dev.parley.providers.openai;

import dev.parley.providers.http.RetryPolicy;
import dev.parley.providers.http.Secret;

import java.net.URI;
import java.time.Duration;

/**
 * What the chat and the speech configs have in common: the server and its key, and the timeouts and retries of a
 * call. {@link OpenAiEnvironment} reads them from the environment; {@link SharedFields} lets the withers change them.
 *
 * @param <C> the config's own type
 */
interface OpenAiSettings<C extends OpenAiSettings<C>> {
    URI baseUrl();

    Secret apiKey();

    String apiKeyEnv();

    Duration connectTimeout();

    Duration firstByteTimeout();

    Duration idleTimeout();

    RetryPolicy retry();

    C withApiKeyEnv(String name);

    C withBaseUrl(String url);

    C withApiKey(Secret key);

    /**
     * The shared fields of a config, open to change: what its withers change before a new config is made of them
     * (its own fields are added by a subclass).
     */
    abstract class SharedFields {
        URI baseUrl;
        Secret apiKey;
        String apiKeyEnv;
        Duration connectTimeout, firstByteTimeout, idleTimeout;
        RetryPolicy retry;

        SharedFields(OpenAiSettings<?> c) {
            baseUrl = c.baseUrl();
            apiKey = c.apiKey();
            apiKeyEnv = c.apiKeyEnv();
            connectTimeout = c.connectTimeout();
            firstByteTimeout = c.firstByteTimeout();
            idleTimeout = c.idleTimeout();
            retry = c.retry();
        }

        /** Parses {@code url} as the base URL, keeping the key out of the message when it is not one. */
        void baseUrl(String url) {
            baseUrl = OpenAiConfigValues.parseBaseUrl(url, apiKey);
        }

        void timeouts(Duration connect, Duration firstByte, Duration idle) {
            connectTimeout = connect;
            firstByteTimeout = firstByte;
            idleTimeout = idle;
        }
    }
}

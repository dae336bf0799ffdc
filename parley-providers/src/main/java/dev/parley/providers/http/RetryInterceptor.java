package dev.parley.providers.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;

/**
 * Sends the request again when it failed before its response began with a {@linkplain ApiException#retryable()
 * retryable} failure (a refused or reset connection, a 408, 429 or 5xx), per the {@link RetryPolicy}, honouring the
 * server's {@code Retry-After}. Once a 2xx response began, the chain has returned: nothing is received twice.
 */
public final class RetryInterceptor implements Interceptor {
    private static final Logger log = LoggerFactory.getLogger(RetryInterceptor.class);

    private final RetryPolicy policy;

    RetryInterceptor(RetryPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    @Override
    public Response intercept(Chain chain) throws ApiException, InterruptedException {
        Duration waited = Duration.ZERO;
        for (int retry = 0; ; retry++) {
            try {
                return chain.proceed(chain.request());
            } catch (ApiException failure) {
                if (!failure.retryable() || retry >= policy.maxRetries()) {
                    throw failure;
                }
                Duration delay = failure.retryAfter().orElse(policy.backoff(retry));
                if (waited.plus(delay).compareTo(policy.maxTotalWait()) > 0) {
                    throw failure;
                }
                // the failure's message is redacted already (Redaction is further down the chain)
                log.info("{} failed ({}); retry {} of {} in {} ms", Redactor.redactUrl(chain.request().uri()),
                        failure.getMessage(), retry + 1, policy.maxRetries(), delay.toMillis());
                if (!chain.pause(delay)) {
                    throw failure; // closed meanwhile: the exchange ends quietly
                }
                waited = waited.plus(delay);
            }
        }
    }
}

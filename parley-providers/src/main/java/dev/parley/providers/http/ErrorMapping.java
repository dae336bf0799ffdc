package dev.parley.providers.http;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Turns what came back other than a 2xx response into an {@link ApiException} by {@link HttpErrors}: an error
 * status with (the start of) its body, or the exception that came instead of a response. A 2xx passes through.
 */
final class ErrorMapping implements Interceptor {
    private final Duration connectTimeout;
    private final Clock clock;

    ErrorMapping(Duration connectTimeout, Clock clock) {
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Response intercept(Chain chain) throws ApiException, InterruptedException {
        Response r = chain.proceed(chain.request());
        if (r.failure() != null) {
            throw HttpErrors.fromSendFailure(r.failure(), connectTimeout);
        }
        if (!r.successful()) {
            throw HttpErrors.fromResponse(r.status(), r.headers(), r.body(), clock.instant());
        }
        return r;
    }
}

package dev.parley.providers.http;

import java.time.Duration;
import java.util.Objects;

/**
 * When a request that failed before its response began is tried again: at most {@code maxRetries} more times,
 * waiting {@code initialBackoff} and then twice as long each time (at most {@code maxBackoff}), or as long as the
 * server's {@code Retry-After} asks; never waiting more than {@code maxTotalWait} in all. A server that asks for a
 * longer wait than what is left of that budget gets no retry at all: the caller fails at once and can say when to
 * try again. The doubling has no jitter: one voice session sends one request at a time, there is no herd.
 */
public record RetryPolicy(int maxRetries, Duration initialBackoff, Duration maxBackoff, Duration maxTotalWait) {

    public RetryPolicy {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(maxTotalWait, "maxTotalWait");
        if (maxRetries < 0 || maxRetries > 10) {
            throw new IllegalArgumentException("maxRetries must be 0 to 10, not " + maxRetries);
        }
        if (initialBackoff.isNegative() || maxBackoff.isNegative() || maxTotalWait.isNegative()) {
            throw new IllegalArgumentException("retry durations must not be negative");
        }
    }

    /** Two retries, 0.5 s then 1 s (up to 4 s), at most 10 s of waiting in all: a spoken reply cannot wait longer. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(2, Duration.ofMillis(500), Duration.ofSeconds(4), Duration.ofSeconds(10));
    }

    /** Never retry. */
    public static RetryPolicy none() {
        return new RetryPolicy(0, Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }

    /** The wait before retry number {@code retry} (0 for the first retry) when the server did not say. */
    public Duration backoff(int retry) {
        Duration d = initialBackoff;
        for (int i = 0; i < retry && d.compareTo(maxBackoff) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(maxBackoff) <= 0 ? d : maxBackoff;
    }
}

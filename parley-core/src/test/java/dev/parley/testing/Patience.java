package dev.parley.testing;

import org.awaitility.core.ConditionFactory;

import java.time.Duration;
import java.util.concurrent.Callable;

import static org.awaitility.Awaitility.await;

/**
 * How long a test waits for something another thread does. A ceiling, not a pace: a passing test returns as soon as
 * the condition holds, so the ceiling costs nothing, but it must cover a machine running other builds, a JIT warming
 * up and a GC pause on two starved cores, which 5 s did not (issue 13: tests that failed only on a busy machine).
 * Tests synchronise on latches and conditions with this ceiling; they never sleep to let another thread get ahead.
 */
public final class Patience {
    /** The ceiling in seconds, for APIs that take a count and a unit ({@code latch.await(CEILING_SECONDS, SECONDS)}). */
    public static final long CEILING_SECONDS = 60;
    /** The same ceiling as a Duration. */
    public static final Duration CEILING = Duration.ofSeconds(CEILING_SECONDS);

    private Patience() {
    }

    /** Awaitility with the ceiling, polling often (the conditions are cheap) and on the test's own thread. */
    public static ConditionFactory patiently() {
        return await().atMost(CEILING).pollInterval(Duration.ofMillis(5)).pollInSameThread();
    }

    /** Waits, up to the ceiling, until {@code condition} holds; fails the test if it never does. */
    public static void until(Callable<Boolean> condition) {
        patiently().until(condition);
    }
}

package dev.parley.failover;

import dev.parley.testing.ManualScheduler;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** An outage remembered until a background probe finds the provider back, probing with exponential backoff. */
class OutageTest {
    private final ManualScheduler timers = new ManualScheduler();
    private final AtomicBoolean back = new AtomicBoolean();
    private final AtomicInteger probes = new AtomicInteger();
    private final Outage outage = new Outage(() -> 0, Duration.ofSeconds(5), Duration.ofSeconds(60), timers, () -> {
        probes.incrementAndGet();
        return back.get();
    });

    @Test
    void aProbedOutageLastsUntilTheProbeSucceedsAndProbesBackOffFromFiveToSixtySeconds() {
        assertThat(outage.active()).isFalse();
        outage.failed();
        assertThat(outage.active()).isTrue();
        timers.advance(Duration.ofMillis(4999));
        assertThat(probes).hasValue(0);
        timers.advance(Duration.ofMillis(1));
        assertThat(probes).as("first probe at 5 s").hasValue(1);
        assertThat(outage.backoff()).isEqualTo(Duration.ofSeconds(10));
        timers.advance(Duration.ofSeconds(10 + 20 + 40));
        assertThat(probes).as("at 15, 35 and 75 s").hasValue(4);
        assertThat(outage.backoff()).as("capped").isEqualTo(Duration.ofSeconds(60));
        assertThat(outage.active()).as("still down: no turn tries it").isTrue();
        back.set(true);
        timers.advance(Duration.ofSeconds(60));
        assertThat(probes).hasValue(5);
        assertThat(outage.active()).isFalse();
        assertThat(outage.backoff()).isEqualTo(Duration.ofSeconds(5));
        assertThat(timers.pending()).as("no probe while the provider is up").isZero();
    }

    @Test
    void anotherFailureWhileDownDoesNotScheduleASecondProbe() {
        outage.failed();
        outage.failed();
        assertThat(timers.pending()).isEqualTo(1);
    }

    @Test
    void aProbeThatThrowsCountsAsDown() {
        Outage o = new Outage(() -> 0, Duration.ofSeconds(5), Duration.ofSeconds(60), timers, () -> {
            throw new java.io.IOException("connection refused");
        });
        o.failed();
        timers.advance(Duration.ofSeconds(5));
        assertThat(o.active()).isTrue();
    }

    @Test
    void withoutAProbeATurnRetriesAfterTheBackoffWhichDoublesOnEachFailedRetry() {
        AtomicLong now = new AtomicLong();
        Outage o = new Outage(now::get, Duration.ofSeconds(5), Duration.ofSeconds(60), null, null);
        o.failed();
        now.set(4_999_000_000L);
        assertThat(o.active()).isTrue();
        now.set(5_000_000_000L);
        assertThat(o.active()).as("a turn may try it").isFalse();
        o.failed();
        now.addAndGet(9_999_000_000L);
        assertThat(o.active()).isTrue();
        now.addAndGet(1_000_000L);
        assertThat(o.active()).isFalse();
        o.recovered();
        assertThat(o.backoff()).isEqualTo(Duration.ofSeconds(5));
    }
}

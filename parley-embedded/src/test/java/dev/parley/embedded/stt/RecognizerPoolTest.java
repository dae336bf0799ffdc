package dev.parley.embedded.stt;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecognizerPoolTest {
    private final AtomicLong now = new AtomicLong();
    private final AtomicInteger made = new AtomicInteger();
    private final List<String> closed = new ArrayList<>();
    private final RecognizerPool<String> pool = new RecognizerPool<>(() -> "r" + made.incrementAndGet(), closed::add, 3,
            Duration.ofMinutes(5), now::get);

    @Test
    void theMostRecentlyGivenBackIsTakenFirst() throws Exception {
        String a = pool.take(), b = pool.take();
        pool.giveBack(a);
        pool.giveBack(b);
        assertThat(pool.take()).isEqualTo(b);
        assertThat(pool.take()).isEqualTo(a);
        assertThat(pool.take()).as("none kept: a new one").isEqualTo("r3");
        assertThat(closed).isEmpty();
    }

    @Test
    void beyondTheLimitTheLeastRecentlyUsedAreClosed() throws Exception {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 5; i++) out.add(pool.take());
        out.forEach(pool::giveBack);
        assertThat(pool.idle()).isEqualTo(3);
        assertThat(closed).containsExactly("r1", "r2");
    }

    @Test
    void theOnesUnusedForLongAreClosedButTheLastIsKept() throws Exception {
        String a = pool.take(), b = pool.take(), c = pool.take();
        pool.giveBack(a);
        now.addAndGet(Duration.ofMinutes(3).toNanos());
        pool.giveBack(b);
        pool.giveBack(c);
        now.addAndGet(Duration.ofMinutes(3).toNanos()); // a: 6 min unused, b and c: 3 min

        assertThat(pool.take()).isEqualTo(c);
        assertThat(closed).containsExactly("r1");
        now.addAndGet(Duration.ofMinutes(10).toNanos());
        pool.giveBack(c); // b is stale now; c was just used
        assertThat(closed).containsExactly("r1", "r2");
        now.addAndGet(Duration.ofMinutes(60).toNanos());
        assertThat(pool.take()).as("the last one stays warm however long it waited").isEqualTo(c);
    }

    @Test
    void afterCloseEverythingKeptIsClosedAndWhatComesBackToo() throws Exception {
        String a = pool.take(), b = pool.take();
        pool.giveBack(a);
        pool.close();
        assertThat(closed).containsExactly("r1");
        pool.giveBack(b);
        assertThat(closed).containsExactly("r1", "r2");
        assertThatThrownBy(pool::take).isInstanceOf(IllegalStateException.class);
    }
}

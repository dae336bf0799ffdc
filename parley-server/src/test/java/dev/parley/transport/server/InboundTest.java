package dev.parley.transport.server;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The inbound queue holds at most its budget of text, and nothing an event does ends its thread. */
class InboundTest {
    @Test
    void theSocketWaitsWhileTheQueuedTextIsOverBudgetAndAFailureDoesNotEndTheReader() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> handled = new CopyOnWriteArrayList<>();
        try (Inbound in = new Inbound("test", 100, 100, (text, nanos) -> {
            if (text.equals("boom")) throw new OutOfMemoryError("simulated");
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            handled.add(text);
        })) {
            in.accept("a".repeat(60)); // being handled: holds 60 of the 100
            Thread socket = Thread.ofPlatform().start(() -> {
                try {
                    in.accept("b".repeat(60)); // would make 120: waits
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> socket.getState() == Thread.State.WAITING);
            release.countDown();
            socket.join(Duration.ofSeconds(10));
            assertThat(socket.isAlive()).isFalse();
            in.accept("boom");
            in.accept("after");
            await().atMost(Duration.ofSeconds(10)).until(() -> handled.contains("after"));
            assertThat(handled).containsExactly("a".repeat(60), "b".repeat(60), "after");
        }
    }
}

package dev.parley.embedded.tts;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RenderThreadsTest {
    private final RenderThreads threads = new RenderThreads(1, "test-render");

    @Test
    void blocksReachTheCallerInOrderOnItsOwnThreadFromAPlatformThread() throws Exception {
        AtomicReference<Thread> renderer = new AtomicReference<>();
        List<Short> got = new ArrayList<>();
        List<Thread> deliveredOn = new ArrayList<>();
        threads.run((Consumer<short[]> out, BooleanSupplier stop) -> {
            renderer.set(Thread.currentThread());
            for (short i = 0; i < 5; i++) out.accept(new short[] {i});
        }, b -> {
            got.add(b[0]);
            deliveredOn.add(Thread.currentThread());
        }, () -> false);

        assertThat(got).containsExactly((short) 0, (short) 1, (short) 2, (short) 3, (short) 4);
        assertThat(deliveredOn).containsOnly(Thread.currentThread());
        assertThat(renderer.get().isVirtual()).isFalse();
        assertThat(renderer.get().getName()).startsWith("test-render-");
    }

    @Test
    void aCancelledCallReturnsAndTheRenderIsToldToStop() throws Exception {
        AtomicBoolean cancelled = new AtomicBoolean();
        CountDownLatch stopped = new CountDownLatch(1);
        List<short[]> got = new ArrayList<>();
        threads.run((Consumer<short[]> out, BooleanSupplier stop) -> {
            out.accept(new short[1]);
            while (!stop.getAsBoolean()) Thread.onSpinWait(); // a render that goes on until it is told
            stopped.countDown();
        }, b -> {
            got.add(b);
            cancelled.set(true);
        }, cancelled::get);

        assertThat(got).hasSize(1);
        assertThat(stopped.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void whatTheRenderThrowsReachesTheCaller() {
        assertThatThrownBy(() -> threads.run((Consumer<short[]> out, BooleanSupplier stop) -> {
            throw new java.io.IOException("no voice data");
        }, b -> { }, () -> false)).isInstanceOf(java.io.IOException.class).hasMessage("no voice data");
    }

    @Test
    void aFailingConsumerStopsTheRenderAndItsFailureIsThrown() throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        assertThatThrownBy(() -> threads.run((Consumer<short[]> out, BooleanSupplier stop) -> {
            out.accept(new short[1]);
            while (!stop.getAsBoolean()) Thread.onSpinWait();
            stopped.countDown();
        }, b -> {
            throw new IllegalStateException("sink closed");
        }, () -> false)).isInstanceOf(IllegalStateException.class).hasMessage("sink closed");
        assertThat(stopped.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void theNextRenderRunsAfterAStoppedOne() throws Exception {
        AtomicBoolean cancelled = new AtomicBoolean(true);
        threads.run((Consumer<short[]> out, BooleanSupplier stop) -> out.accept(new short[1]), b -> { }, cancelled::get);
        List<short[]> got = new ArrayList<>();
        threads.run((Consumer<short[]> out, BooleanSupplier stop) -> out.accept(new short[] {7}), got::add, () -> false);
        assertThat(got).hasSize(1);
    }
}

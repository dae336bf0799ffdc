package dev.parley.embedded.tts;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Runs long CPU-bound renders (a phrase through the vocoder) on a few platform threads, first come first served, and
 * hands their blocks back to the caller's thread in order. Sessions run on virtual threads, which the JVM does not
 * preempt: a render that ran on one would hold a carrier thread for the whole phrase and leave the other sessions'
 * audio waiting (measured: `loadtest --providers local --sessions 8` took STT p50 from 90 to 608 ms and the output
 * stage from 0.1 to 355 ms). On platform threads the operating system shares the cores between them and the carriers.
 *
 * <p>The render never waits for its caller: blocks queue up (a phrase's worth at most), so a caller that plays in real
 * time does not keep a render thread from the next phrase.
 */
final class RenderThreads {
    /** A render: puts its blocks into {@code out}, and stops early (returning) once {@code stop} says so. */
    interface Render<B> {
        void run(Consumer<B> out, BooleanSupplier stop) throws Exception;
    }

    private static final Object END = new Object();

    private record Failed(Throwable cause) {}

    private final ExecutorService threads;

    RenderThreads(int count, String name) {
        this.threads = Executors.newFixedThreadPool(count, Thread.ofPlatform().name(name + "-", 1).daemon(true).factory());
    }

    /**
     * Runs {@code render} on a render thread and gives its blocks to {@code out} on this thread; returns at its end, or
     * as soon as {@code cancelled} (the render stops at its next block), and throws what the render or {@code out}
     * threw.
     */
    @SuppressWarnings("unchecked") // the queue holds only the render's blocks and the two markers
    <B> void run(Render<B> render, Consumer<B> out, BooleanSupplier cancelled) throws Exception {
        LinkedBlockingQueue<Object> blocks = new LinkedBlockingQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        threads.execute(() -> {
            try {
                render.run(blocks::add, () -> stop.get() || cancelled.getAsBoolean());
                blocks.add(END);
            } catch (Throwable t) {
                blocks.add(new Failed(t));
            }
        });
        try {
            while (true) {
                Object next = blocks.take();
                if (next == END) return;
                if (next instanceof Failed f) {
                    if (f.cause() instanceof Exception e) throw e;
                    throw (Error) f.cause();
                }
                if (cancelled.getAsBoolean()) {
                    stop.set(true);
                    return;
                }
                out.accept((B) next);
            }
        } catch (InterruptedException e) {
            stop.set(true);
            Thread.currentThread().interrupt();
            throw e;
        } catch (RuntimeException e) { // out failed: nobody wants the rest
            stop.set(true);
            throw e;
        }
    }
}

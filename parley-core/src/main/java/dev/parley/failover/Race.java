package dev.parley.failover;

import dev.parley.dialog.Scheduler;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A primary provider and its fallback racing for one answer (a transcript, a reply's first words, a phrase's first
 * audio) within a {@link TurnBudget}: the primary starts at once; the fallback starts when the primary fails, or when
 * it has not answered after {@link TurnBudget#hedgeAfterNanos()}. The first answer wins; the loser is told through
 * {@link #lost(Side)} (its cancellation flag) and its late answer goes to a discard hook, so a stalled request never
 * holds up the turn: it ends by its own timeout on its own (virtual) thread. Timers run on a {@link Scheduler}, so a
 * test moves time by hand.
 *
 * @param <T> the answer
 */
public final class Race<T> {
    /** Which attempt. */
    public enum Side { PRIMARY, FALLBACK }

    /**
     * One side's work: it hands its first answer to {@code answer} (and may go on working afterwards: a voice goes on
     * speaking the phrase), or throws.
     */
    @FunctionalInterface
    public interface Attempt<T> {
        void run(Consumer<T> answer) throws Exception;
    }

    /** The answer that won, and whose it is. */
    public record Win<T>(Side side, T value) {}

    private final Attempt<T> primary, fallback;
    private final Consumer<T> discard;
    private final CompletableFuture<Win<T>> won = new CompletableFuture<>();
    private final CompletableFuture<Void> primaryDone = new CompletableFuture<>(), fallbackDone = new CompletableFuture<>();
    private final AtomicBoolean fallbackStarted = new AtomicBoolean();
    private final Scheduler.Cancellable hedge;
    private final CompletableFuture<Void> deadline = new CompletableFuture<>();
    private final Scheduler.Cancellable deadlineTimer;
    private volatile boolean abandoned;
    private volatile Throwable primaryFailedFirst;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();

    private Race(Attempt<T> primary, Attempt<T> fallback, Consumer<T> discard, TurnBudget budget, Scheduler timers) {
        this.primary = primary;
        this.fallback = fallback;
        this.discard = discard;
        long hedgeAfter = budget.hedgeAfterNanos();
        long left = budget.remainingNanos();
        this.hedge = hedgeAfter == Long.MAX_VALUE ? () -> { } : timers.schedule(Duration.ofNanos(hedgeAfter), this::startFallback);
        this.deadlineTimer = left == Long.MAX_VALUE ? () -> { } : timers.schedule(Duration.ofNanos(left), () -> deadline.complete(null));
    }

    /**
     * Starts the race: the primary now, the fallback when the primary fails or on the hedge timer.
     *
     * @param discard gets an answer that came too late (to close a stream the loser opened)
     */
    public static <T> Race<T> start(Attempt<T> primary, Attempt<T> fallback, Consumer<T> discard, TurnBudget budget,
                                    Scheduler timers) {
        Race<T> r = new Race<>(primary, fallback, discard, budget, timers);
        r.launch(Side.PRIMARY);
        return r;
    }

    /** Whether {@code side} has lost (the other answered first, or the race was abandoned): it should stop. */
    public boolean lost(Side side) {
        if (abandoned) return true;
        Win<T> w = won.getNow(null);
        return w != null && w.side() != side;
    }

    /** Whether the fallback was started (a failure or the hedge timer). */
    public boolean fallbackStarted() {
        return fallbackStarted.get();
    }

    /**
     * Why the primary failed before anyone answered; null when it did not (it was slow, or it failed only after it
     * lost, when the winner closed it).
     */
    public Throwable primaryFailure() {
        return primaryFailedFirst;
    }

    /** Completes when {@code side}'s attempt returns; exceptionally with its failure. */
    public CompletableFuture<Void> done(Side side) {
        return side == Side.PRIMARY ? primaryDone : fallbackDone;
    }

    /**
     * Waits for the winning answer.
     *
     * @param untilDeadline give up when the budget is spent (returns null); false: wait for an answer however long
     * @return the winner; null at the deadline, or once {@linkplain #abandon() abandoned}
     * @throws Exception the fallback's failure, the primary's suppressed in it, when both failed before answering
     */
    public Win<T> await(boolean untilDeadline) throws Exception {
        CompletableFuture<Void> bothFailed = CompletableFuture.allOf(primaryDone, fallbackDone);
        CompletableFuture<?> any = untilDeadline ? CompletableFuture.anyOf(won, bothFailed, deadline, stopped)
                : CompletableFuture.anyOf(won, bothFailed, stopped);
        try {
            any.get();
        } catch (ExecutionException e) {
            // a side failed: look at the others below
        }
        Win<T> w = abandoned ? null : won.getNow(null);
        if (w != null) {
            finishTimers();
            return w;
        }
        if (!abandoned && primaryDone.isDone() && fallbackDone.isDone()) {
            finishTimers();
            Throwable f = fallbackDone.isCompletedExceptionally() ? cause(fallbackDone) : new IllegalStateException("no answer");
            Throwable p = primaryDone.isCompletedExceptionally() ? cause(primaryDone) : null;
            if (p != null && p != f) f.addSuppressed(p);
            throw f instanceof Exception e ? e : new RuntimeException(f);
        }
        return null; // the deadline
    }

    /** Stops the race: both sides have lost, and timers that have not fired never will. */
    public void abandon() {
        abandoned = true;
        finishTimers();
        stopped.complete(null);
    }

    private void finishTimers() {
        hedge.cancel();
        deadlineTimer.cancel();
    }

    private void startFallback() {
        if (abandoned || won.isDone() || !fallbackStarted.compareAndSet(false, true)) return;
        launch(Side.FALLBACK);
    }

    private void launch(Side side) {
        Attempt<T> attempt = side == Side.PRIMARY ? primary : fallback;
        CompletableFuture<Void> done = done(side);
        Thread.ofVirtual().name("parley-race-" + side.name().toLowerCase(java.util.Locale.ROOT)).start(() -> {
            AtomicBoolean answered = new AtomicBoolean();
            try {
                attempt.run(value -> {
                    if (answered.compareAndSet(false, true)) answer(side, value);
                });
                if (answered.compareAndSet(false, true)) answer(side, null); // done without a word: that is its answer
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
            if (side == Side.PRIMARY && done.isCompletedExceptionally() && !won.isDone()) {
                primaryFailedFirst = cause(done);
                startFallback();
            }
        });
    }

    private void answer(Side side, T value) {
        if ((abandoned || !won.complete(new Win<>(side, value))) && value != null) discard.accept(value);
    }

    private static Throwable cause(CompletableFuture<?> f) {
        try {
            f.join();
            return null;
        } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException e) {
            return e.getCause() == null ? e : e.getCause();
        }
    }
}

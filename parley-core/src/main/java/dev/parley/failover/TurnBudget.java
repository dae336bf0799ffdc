package dev.parley.failover;

import java.util.function.LongSupplier;

/**
 * The time one turn has to get its first audio to the user, counted from the end of their speech, shared by the STT,
 * the brain and the voice. Each stage's own timeout is far longer than the turn can wait (a stalled provider cost 22 s
 * to the first audio when they ran out one after another), so a stage that has not answered by a share of what is
 * left ({@link #hedgeAfterNanos()}) starts its fallback alongside and takes whichever answers first
 * ({@link Race}). A spent budget hedges at once: the fallback starts alongside the provider. Once the first audio
 * has gone out ({@link #met()}, an apology perhaps) the voice's later phrases wait for their provider as before, but the
 * brain still races for its first words, so the answer after the apology comes soon too. Thread-safe.
 */
public final class TurnBudget {
    /** The share of the remaining budget a stage's primary gets alone before its fallback starts too. */
    public static final double HEDGE_SHARE = 0.5;

    /** No budget: each stage waits for its provider's own timeout (outside a session, or when turned off). */
    public static final TurnBudget NONE = new TurnBudget(() -> 0, 0, 0);

    private final LongSupplier clock;
    private final long startNanos, budgetNanos;
    private volatile boolean met;

    private TurnBudget(LongSupplier clock, long startNanos, long budgetNanos) {
        this.clock = clock;
        this.startNanos = startNanos;
        this.budgetNanos = budgetNanos;
    }

    /**
     * A budget of {@code budgetMs} starting at {@code startNanos} on {@code clock} (the end of the user's speech);
     * {@link #NONE} for 0 or less.
     */
    public static TurnBudget starting(LongSupplier clock, long startNanos, long budgetMs) {
        return budgetMs <= 0 ? NONE : new TurnBudget(clock, startNanos, budgetMs * 1_000_000L);
    }

    /** Whether the turn races its providers against the clock (false for {@link #NONE}). */
    public boolean bounded() {
        return this != NONE;
    }

    /** Whether the turn's first audio has gone out. */
    public boolean isMet() {
        return met;
    }

    /** What is left, never below 0; {@link Long#MAX_VALUE} when unbounded. */
    public long remainingNanos() {
        if (!bounded()) return Long.MAX_VALUE;
        return Math.max(0, budgetNanos - (clock.getAsLong() - startNanos));
    }

    /** How long a stage's primary runs alone before its fallback starts alongside; {@link Long#MAX_VALUE} when unbounded. */
    public long hedgeAfterNanos() {
        long left = remainingNanos();
        return left == Long.MAX_VALUE ? left : (long) (left * HEDGE_SHARE);
    }

    /** The first audio went out: the turn kept its promise, and the rest of it is not hurried. */
    public void met() {
        met = true;
    }

    public long budgetMs() {
        return budgetNanos / 1_000_000L;
    }
}

package dev.parley.failover;

/**
 * Where an engine tells the turn it serves about its providers: each request's time to first byte (its own bar in
 * the waterfall and its own metric) and a fallback taking over. Engines that call no provider never use it.
 * Implementations are thread-safe: a provider may report from its own I/O thread.
 */
public interface ProviderEvents {

    void timing(ProviderTiming timing);

    default void failover(Failover failover) {
    }

    /**
     * The time the turn has left for its first audio: a stage with a fallback races it against its provider within
     * it ({@link Race}). {@link TurnBudget#NONE} outside a turn.
     */
    default TurnBudget budget() {
        return TurnBudget.NONE;
    }

    /** Drops everything: for an engine used outside a session. */
    ProviderEvents NONE = timing -> { };
}

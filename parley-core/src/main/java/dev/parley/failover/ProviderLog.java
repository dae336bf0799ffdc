package dev.parley.failover;

import java.util.ArrayList;
import java.util.List;

/** Collects what the providers of one utterance or reply reported, until the turn takes it over. Thread-safe. */
public final class ProviderLog implements ProviderEvents {
    private final List<ProviderTiming> timings = new ArrayList<>();
    private final List<Failover> failovers = new ArrayList<>();
    private volatile TurnBudget budget = TurnBudget.NONE;

    /** The turn this utterance became has started its budget (at the end of the speech). */
    public void budget(TurnBudget budget) {
        this.budget = budget;
    }

    @Override
    public TurnBudget budget() {
        return budget;
    }

    @Override
    public synchronized void timing(ProviderTiming timing) {
        timings.add(timing);
    }

    @Override
    public synchronized void failover(Failover failover) {
        failovers.add(failover);
    }

    public synchronized List<ProviderTiming> timings() {
        return List.copyOf(timings);
    }

    public synchronized List<Failover> failovers() {
        return List.copyOf(failovers);
    }
}

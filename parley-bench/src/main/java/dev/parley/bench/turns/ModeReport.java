package dev.parley.bench.turns;

import dev.parley.eval.Percentiles;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** The four measurements of one turn-detection mode, and their figures. */
public record ModeReport(TurnMode mode, String judge, List<Outcomes.Pause> pauses, List<Outcomes.Endpoint> endpoints,
                         List<Outcomes.Run> runs, List<Outcomes.Backchannel> backchannels) {
    /** Goals: false cut-offs for pauses up to {@value #CUT_GOAL_UP_TO_MS} ms, endpoint wait, backchannel stops. */
    public static final double CUT_GOAL = 0.03, ENDPOINT_P50_GOAL_MS = 300, ENDPOINT_P95_GOAL_MS = 450, BACKCHANNEL_GOAL = 0.05;
    public static final int CUT_GOAL_UP_TO_MS = 1000;

    /** The figures of the sentences with a pause of {@code pauseMs}. */
    public record PauseFigures(int pauseMs, int recordings, double replyCutRate, double turnCutRate, double oneTurnRate,
                               double wholeRate, double meanWer) {}

    public List<PauseFigures> pauseFigures() {
        return Recordings.PAUSES_MS.stream().map(p -> pauseFigures(x -> x.pauseMs() == p, p)).toList();
    }

    /** All pauses up to {@value #CUT_GOAL_UP_TO_MS} ms together: what the cut-off goal is about. */
    public PauseFigures pausesUpToGoal() {
        return pauseFigures(x -> x.pauseMs() <= CUT_GOAL_UP_TO_MS, CUT_GOAL_UP_TO_MS);
    }

    private PauseFigures pauseFigures(Predicate<Outcomes.Pause> which, int pauseMs) {
        List<Outcomes.Pause> p = pauses.stream().filter(which).toList();
        return new PauseFigures(pauseMs, p.size(), rate(p, Outcomes.Pause::replyCut), rate(p, Outcomes.Pause::turnCut),
                rate(p, x -> x.turns() == 1), rate(p, Outcomes.Pause::whole),
                p.stream().mapToDouble(Outcomes.Pause::wer).average().orElse(Double.NaN));
    }

    /** From the real end of speech to the end of the turn, over the clips whose turn was ended. */
    public Percentiles.Summary endpointWaitMs() {
        return Percentiles.of(endpoints.stream().mapToDouble(Outcomes.Endpoint::waitMs).filter(v -> !Double.isNaN(v)).toArray());
    }

    /** The session's own endpoint figure (its waterfall), for comparison. */
    public Percentiles.Summary waterfallEndpointMs() {
        return Percentiles.of(endpoints.stream().mapToDouble(Outcomes.Endpoint::waterfallMs).filter(v -> !Double.isNaN(v)).toArray());
    }

    /** Sentences of the runs, and how many were their own turn, transcribed twice, cut, missed. */
    public Map<String, Integer> runTotals() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("sentences", runs.stream().mapToInt(Outcomes.Run::sentences).sum());
        m.put("own_turn", runs.stream().mapToInt(Outcomes.Run::ownTurns).sum());
        m.put("transcribed_twice", runs.stream().mapToInt(Outcomes.Run::twice).sum());
        m.put("cut", runs.stream().mapToInt(Outcomes.Run::cut).sum());
        m.put("missed", runs.stream().mapToInt(Outcomes.Run::missed).sum());
        return m;
    }

    /** The trials that count: the reply was still playing when the interjection came. */
    public List<Outcomes.Backchannel> validTrials(boolean requests) {
        return backchannels.stream().filter(b -> b.playing() && b.request() == requests).toList();
    }

    public double backchannelStopRate() {
        return rate(validTrials(false), Outcomes.Backchannel::stopped);
    }

    public double requestStopRate() {
        return rate(validTrials(true), Outcomes.Backchannel::stopped);
    }

    /** Each goal and whether it is met (null: nothing measured). */
    public Map<String, Boolean> goals() {
        Map<String, Boolean> g = new LinkedHashMap<>();
        PauseFigures upTo = pausesUpToGoal();
        g.put("false_cutoffs_up_to_1000ms_le_3pct", upTo.recordings() == 0 ? null : upTo.replyCutRate() <= CUT_GOAL);
        Percentiles.Summary wait = endpointWaitMs();
        g.put("endpoint_wait_p50_le_300ms", wait.count() == 0 ? null : wait.p50() <= ENDPOINT_P50_GOAL_MS);
        g.put("endpoint_wait_p95_le_450ms", wait.count() == 0 ? null : wait.p95() <= ENDPOINT_P95_GOAL_MS);
        g.put("backchannel_stops_le_5pct", validTrials(false).isEmpty() ? null : backchannelStopRate() <= BACKCHANNEL_GOAL);
        return g;
    }

    static <T> double rate(List<T> items, Predicate<T> yes) {
        return items.isEmpty() ? Double.NaN : (double) items.stream().filter(yes).count() / items.size();
    }
}

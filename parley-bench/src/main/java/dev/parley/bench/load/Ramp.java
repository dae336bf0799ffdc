package dev.parley.bench.load;

import java.util.ArrayList;
import java.util.List;

/**
 * The steps of {@code parley loadtest --ramp}, and which is the most a server takes within its latency target.
 *
 * <p>Steps go 1, 2, 5, 10, 20, 50, 100, 200, 500, … (1-2-5 per decade), then the number asked for if it is not one
 * of them. A step is within target when it completed turns, none failed, and its p95 was at most the target; the
 * answer is the last step of the unbroken run of such steps from the first (once a step misses, a larger one passing
 * by luck on a shared machine does not count), 0 when the first misses.
 */
public final class Ramp {
    private static final int[] MANTISSAS = {1, 2, 5};

    /** What one step showed, as far as the target is concerned. */
    public record Outcome(int sessions, long turns, long errors, double p95Ms) {
        public boolean within(double targetP95Ms) {
            return turns > 0 && errors == 0 && p95Ms <= targetP95Ms;
        }
    }

    private Ramp() {
    }

    /** The session counts to run, ascending, ending with {@code max}. */
    public static List<Integer> steps(int max) {
        if (max < 1) throw new IllegalArgumentException("at least one session: " + max);
        List<Integer> steps = new ArrayList<>();
        for (long decade = 1; decade <= max; decade *= 10) {
            for (int m : MANTISSAS) if (m * decade <= max) steps.add((int) (m * decade));
        }
        if (steps.getLast() != max) steps.add(max);
        return steps;
    }

    /** The most sessions within target: see the class comment. */
    public static int maxWithinTarget(List<Outcome> outcomes, double targetP95Ms) {
        int best = 0;
        for (Outcome o : outcomes) {
            if (!o.within(targetP95Ms)) break;
            best = Math.max(best, o.sessions());
        }
        return best;
    }
}

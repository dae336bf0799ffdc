package dev.parley.bench.load;

import java.util.List;

/**
 * Whether one line of a soak stayed flat: a server that leaks memory, threads or sockets, or slows down as it
 * ages, shows it as a line that keeps rising over the run, while a healthy one levels off once warm. So the first
 * intervals (class loading, JIT, pools filling) are skipped, and the last value is compared with the first one left:
 * within the tolerance (relative, or an absolute slack for small counts such as threads, where one more is not a
 * trend) it is flat; above, it rose (the finding a soak is for); below, it fell (reported, not a failure: nothing
 * leaks by shrinking).
 *
 * @param line      what was measured ("rss MB")
 * @param first     the value of the first interval after the warm-up
 * @param last      the value of the last interval
 * @param verdict   flat, rose, fell, or unknown (too few intervals, or a value missing)
 */
public record Flatness(String line, double first, double last, Verdict verdict) {
    public enum Verdict { FLAT, ROSE, FELL, UNKNOWN }

    /**
     * Judges a line.
     *
     * @param values    one value per interval, in order (NaN: not known in that interval)
     * @param warmup    intervals skipped at the start
     * @param tolerance relative change still flat (0.2: ±20 %)
     * @param slack     absolute change still flat whatever the tolerance (0 for none)
     */
    public static Flatness judge(String line, List<Double> values, int warmup, double tolerance, double slack) {
        if (warmup < 0 || tolerance < 0 || slack < 0) throw new IllegalArgumentException("negative warm-up, tolerance or slack");
        if (values.size() < warmup + 2) return new Flatness(line, Double.NaN, Double.NaN, Verdict.UNKNOWN);
        double first = values.get(warmup), last = values.getLast();
        if (Double.isNaN(first) || Double.isNaN(last) || first < 0 || last < 0) return new Flatness(line, first, last, Verdict.UNKNOWN);
        double change = last - first;
        double allowed = Math.max(slack, tolerance * first);
        Verdict v = change > allowed ? Verdict.ROSE : -change > allowed ? Verdict.FELL : Verdict.FLAT;
        return new Flatness(line, first, last, v);
    }

    /** The relative change from first to last, NaN when it has none (unknown, or a first value of 0). */
    public double change() {
        return first > 0 ? (last - first) / first : Double.NaN;
    }

    /** One line of the summary, e.g. {@code rss MB  312.0 -> 318.5 (+2.1 %)  flat}. */
    public String describe() {
        if (verdict == Verdict.UNKNOWN && Double.isNaN(first)) return String.format("%-22s unknown (too few intervals after the warm-up)", line);
        String pct = Double.isNaN(change()) ? "" : String.format(" (%+.1f %%)", 100 * change());
        return String.format("%-22s %8.1f -> %8.1f%-12s %s", line, first, last, pct, verdict.name().toLowerCase(java.util.Locale.ROOT));
    }
}

package dev.parley.eval;

import java.util.Arrays;

/**
 * Percentiles of latency samples and the like.
 *
 * <p>The definition is numpy's default ({@code method='linear'}, "type 7" of Hyndman &amp; Fan): with the {@code n}
 * values sorted ascending, percentile {@code p} sits at rank {@code h = (n - 1) * p / 100} (0-based), and the result
 * interpolates linearly between the values at {@code floor(h)} and {@code ceil(h)}. So for {@code [1, 2, 3, 4]} the
 * 50th percentile is 2.5 and the 95th is 3.85; the 0th is always the minimum and the 100th the maximum.
 *
 * <p>Exact, for the small samples of the corpus benchmarks (44 clips, a turn benchmark's few hundred): an
 * HdrHistogram's percentile is the value at a rank, rounded to its bucket and not interpolated between ranks, so on
 * 44 values its p95 is simply the third-largest and would not match the numpy figures the README compares with.
 * The load test, which records thousands of turns from many threads at once and per interval, keeps HdrHistogram
 * ({@code bench.load.StepRecorder}).
 */
public final class Percentiles {

    private Percentiles() {
    }

    /**
     * A summary of a sample: count, extremes, the usual latency percentiles and the mean. All statistics are NaN
     * when the sample is empty.
     */
    public record Summary(int count, double min, double p50, double p95, double p99, double max, double mean) {
    }

    /**
     * The {@code p}-th percentile of {@code values} (which are not modified).
     *
     * @param values the sample; must not contain NaN
     * @param p      the percentile, in [0, 100]
     * @return the interpolated percentile, or NaN when {@code values} is empty
     * @throws IllegalArgumentException when {@code p} is outside [0, 100] or a value is NaN
     */
    public static double percentile(double[] values, double p) {
        checkP(p);
        if (values.length == 0) {
            return Double.NaN;
        }
        return ofSorted(sortedCopy(values), p);
    }

    /** Summarises {@code values} (which are not modified); see {@link Summary}. */
    public static Summary of(double[] values) {
        if (values.length == 0) {
            double nan = Double.NaN;
            return new Summary(0, nan, nan, nan, nan, nan, nan);
        }
        double[] sorted = sortedCopy(values);
        double sum = 0;
        for (double v : sorted) {
            sum += v;
        }
        return new Summary(sorted.length, sorted[0], ofSorted(sorted, 50), ofSorted(sorted, 95), ofSorted(sorted, 99),
                sorted[sorted.length - 1], sum / sorted.length);
    }

    private static double ofSorted(double[] sorted, double p) {
        double h = (sorted.length - 1) * p / 100.0;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        double fraction = h - lo;
        if (fraction == 0 || lo == hi) {
            return sorted[lo];
        }
        // written this way (as numpy does) so that equal neighbours give exactly that value
        return sorted[lo] + fraction * (sorted[hi] - sorted[lo]);
    }

    private static double[] sortedCopy(double[] values) {
        double[] sorted = values.clone();
        for (double v : sorted) {
            if (Double.isNaN(v)) {
                throw new IllegalArgumentException("NaN in sample");
            }
        }
        Arrays.sort(sorted);
        return sorted;
    }

    private static void checkP(double p) {
        if (!(p >= 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in [0, 100]: " + p);
        }
    }
}

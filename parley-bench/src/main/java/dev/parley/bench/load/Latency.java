package dev.parley.bench.load;

import org.HdrHistogram.Histogram;

/** Percentiles of a latency, in milliseconds; NaN when nothing was recorded. */
public record Latency(long count, double p50, double p95, double p99, double max) {
    public static final Latency NONE = new Latency(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    /** From a histogram of microseconds. */
    static Latency of(Histogram micros) {
        if (micros.getTotalCount() == 0) return NONE;
        return new Latency(micros.getTotalCount(), ms(micros.getValueAtPercentile(50)), ms(micros.getValueAtPercentile(95)),
                ms(micros.getValueAtPercentile(99)), ms(micros.getMaxValue()));
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}

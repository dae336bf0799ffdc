package dev.parley.eval;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class PercentilesTest {

    private static final double EPS = 1e-12;

    @Test
    void knownValuesMatchNumpyLinear() {
        double[] v = {4, 1, 3, 2}; // unsorted on purpose
        assertThat(Percentiles.percentile(v, 50)).isCloseTo(2.5, within(EPS));
        assertThat(Percentiles.percentile(v, 95)).isCloseTo(3.85, within(EPS));
        assertThat(Percentiles.percentile(v, 25)).isCloseTo(1.75, within(EPS));
        assertThat(Percentiles.percentile(v, 0)).isEqualTo(1);
        assertThat(Percentiles.percentile(v, 100)).isEqualTo(4);
        // numpy.percentile([10, 20, 30, 40, 50], [10, 90, 99]) == [14., 46., 49.6]
        double[] w = {10, 20, 30, 40, 50};
        assertThat(Percentiles.percentile(w, 10)).isCloseTo(14, within(EPS));
        assertThat(Percentiles.percentile(w, 90)).isCloseTo(46, within(EPS));
        assertThat(Percentiles.percentile(w, 99)).isCloseTo(49.6, within(EPS));
        assertThat(v).containsExactly(4, 1, 3, 2); // input untouched
    }

    @Test
    void edgeCases() {
        assertThat(Percentiles.percentile(new double[0], 50)).isNaN();
        assertThat(Percentiles.percentile(new double[]{7}, 0)).isEqualTo(7);
        assertThat(Percentiles.percentile(new double[]{7}, 99)).isEqualTo(7);
        assertThat(Percentiles.percentile(new double[]{5, 5, 5}, 33)).isEqualTo(5);
        assertThat(Percentiles.percentile(new double[]{-3, 3}, 50)).isEqualTo(0);
        assertThatThrownBy(() -> Percentiles.percentile(new double[]{1}, 100.5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Percentiles.percentile(new double[]{1}, -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Percentiles.percentile(new double[]{1}, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Percentiles.percentile(new double[]{1, Double.NaN}, 50))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void summary() {
        double[] v = new double[100];
        for (int i = 0; i < v.length; i++) {
            v[i] = i + 1; // 1..100
        }
        Percentiles.Summary s = Percentiles.of(v);
        assertThat(s.count()).isEqualTo(100);
        assertThat(s.min()).isEqualTo(1);
        assertThat(s.max()).isEqualTo(100);
        assertThat(s.mean()).isCloseTo(50.5, within(EPS));
        assertThat(s.p50()).isCloseTo(50.5, within(EPS));
        assertThat(s.p95()).isCloseTo(95.05, within(1e-9));
        assertThat(s.p99()).isCloseTo(99.01, within(1e-9));

        Percentiles.Summary empty = Percentiles.of(new double[0]);
        assertThat(empty.count()).isZero();
        assertThat(empty.min()).isNaN();
        assertThat(empty.p50()).isNaN();
        assertThat(empty.mean()).isNaN();
    }

    @Test
    void oneToHundredSingleValueAndEmpty() {
        double[] v = new double[100];
        for (int i = 0; i < v.length; i++) {
            v[v.length - 1 - i] = i + 1; // 100..1, descending on purpose
        }
        // numpy.percentile(range(1, 101), [50, 95, 99, 100]) == [50.5, 95.05, 99.01, 100.]
        assertThat(Percentiles.percentile(v, 50)).isCloseTo(50.5, within(1e-9));
        assertThat(Percentiles.percentile(v, 95)).isCloseTo(95.05, within(1e-9));
        assertThat(Percentiles.percentile(v, 99)).isCloseTo(99.01, within(1e-9));
        assertThat(Percentiles.percentile(v, 100)).isEqualTo(100);

        Percentiles.Summary one = Percentiles.of(new double[]{42.5});
        assertThat(one).isEqualTo(new Percentiles.Summary(1, 42.5, 42.5, 42.5, 42.5, 42.5, 42.5));

        Percentiles.Summary empty = Percentiles.of(new double[0]);
        assertThat(empty.count()).isZero();
        assertThat(java.util.stream.DoubleStream.of(empty.min(), empty.p50(), empty.p95(), empty.p99(), empty.max(), empty.mean())
                .allMatch(Double::isNaN)).isTrue();
        assertThat(Percentiles.percentile(new double[0], 99)).isNaN();
    }

    @Test
    void monotoneInPAndBoundedByExtremes() {
        Random random = new Random(42);
        for (int trial = 0; trial < 200; trial++) {
            double[] v = new double[1 + random.nextInt(30)];
            for (int i = 0; i < v.length; i++) {
                v[i] = random.nextGaussian() * 100;
            }
            Percentiles.Summary s = Percentiles.of(v);
            double previous = Double.NEGATIVE_INFINITY;
            for (int p = 0; p <= 100; p++) {
                double q = Percentiles.percentile(v, p);
                assertThat(q).isGreaterThanOrEqualTo(previous).isBetween(s.min(), s.max());
                previous = q;
            }
            assertThat(s.p50()).isLessThanOrEqualTo(s.p95());
            assertThat(s.p95()).isLessThanOrEqualTo(s.p99());
        }
    }
}

package dev.parley.audio;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SampleHistoryTest {

    /** Samples whose value is their index in the stream (1-based, so 0 never means "a sample"), from {@code from}. */
    private static short[] ramp(int from, int n) {
        short[] s = new short[n];
        for (int i = 0; i < n; i++) s[i] = (short) (from + i + 1);
        return s;
    }

    private static SampleHistory filled(int capacity, int samples) {
        SampleHistory h = new SampleHistory(capacity);
        // in uneven pieces, so the ring wraps in the middle of an append
        for (int at = 0; at < samples; ) {
            int n = Math.min(7, samples - at);
            h.append(ramp(at, n), 0, n);
            at += n;
        }
        return h;
    }

    @Test
    void keepsTheNewestSamplesByAbsoluteIndex() {
        SampleHistory h = filled(10, 25);
        assertThat(h.end()).isEqualTo(25);
        assertThat(h.start()).isEqualTo(15);
        assertThat(h.since(20)).containsExactly(ramp(20, 5));
        // clamped to what is held
        assertThat(h.since(0)).containsExactly(ramp(15, 10));
        assertThat(h.since(25)).isEmpty();
    }

    @Test
    void appendsFromAnOffset() {
        SampleHistory h = new SampleHistory(8);
        h.append(new short[]{9, 9, 1, 2, 3, 9}, 2, 3);
        assertThat(h.since(0)).containsExactly(1, 2, 3);
        assertThat(h.end()).isEqualTo(3);
    }

    @Test
    void rejectsAnEmptyCapacity() {
        assertThatThrownBy(() -> new SampleHistory(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLargerHistoryKeepsTheIndicesAndTheSamplesAndGrowsFromThere() {
        SampleHistory small = filled(10, 25);
        SampleHistory big = small.resized(40);
        assertThat(big.end()).isEqualTo(25);
        assertThat(big.since(15)).containsExactly(ramp(15, 10));
        assertThat(big.since(20)).containsExactly(ramp(20, 5));
        // it now keeps 40 samples: after 30 more, the 40 newest are all real
        big.append(ramp(25, 30), 0, 30);
        assertThat(big.end()).isEqualTo(55);
        assertThat(big.start()).isEqualTo(15);
        assertThat(big.since(0)).containsExactly(ramp(15, 40));
        // the original is untouched
        assertThat(small.end()).isEqualTo(25);
        assertThat(small.since(0)).containsExactly(ramp(15, 10));
    }

    @Test
    void aLargerHistoryOfAShortStreamHoldsAllOfIt() {
        SampleHistory big = filled(10, 6).resized(100);
        assertThat(big.start()).isZero();
        assertThat(big.since(0)).containsExactly(ramp(0, 6));
    }

    @Test
    void aSmallerHistoryKeepsTheNewestSamples() {
        SampleHistory h = filled(10, 25).resized(4);
        assertThat(h.end()).isEqualTo(25);
        assertThat(h.start()).isEqualTo(21);
        assertThat(h.since(0)).containsExactly(ramp(21, 4));
        h.append(ramp(25, 3), 0, 3);
        assertThat(h.since(0)).containsExactly(ramp(24, 4));
    }

    @Test
    void resizingAnEmptyHistory() {
        SampleHistory h = new SampleHistory(5).resized(12);
        assertThat(h.end()).isZero();
        assertThat(h.since(0)).isEmpty();
        h.append(ramp(0, 12), 0, 12);
        assertThat(h.since(0)).containsExactly(ramp(0, 12));
    }

    /**
     * After growing a history whose stream had already overflowed it, {@code start()} is still the oldest sample held
     * (it used to be computed from the new capacity, and since() returned 15 zeros before the 10 real samples here).
     */
    @Test
    void aLargerHistoryDoesNotInventSamplesItNeverHeld() {
        SampleHistory big = filled(10, 25).resized(40);
        assertThat(big.start()).isEqualTo(15);
        assertThat(big.since(0)).containsExactly(ramp(15, 10));
    }
}

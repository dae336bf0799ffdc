package dev.parley.audio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class TimeStretchTest {

    /** A voiced sound: a 180 Hz fundamental with two harmonics, one second at 24 kHz. */
    private static PcmAudio vowel(double seconds) {
        int n = (int) (24_000 * seconds);
        short[] s = new short[n];
        for (int i = 0; i < n; i++) {
            double t = i / 24_000.0;
            s[i] = (short) (6000 * Math.sin(2 * Math.PI * 180 * t) + 3000 * Math.sin(2 * Math.PI * 360 * t)
                    + 1500 * Math.sin(2 * Math.PI * 540 * t));
        }
        return new PcmAudio(s, 24_000);
    }

    /** The strongest frequency between 80 and 400 Hz, by autocorrelation over the middle of the clip. */
    private static double pitch(PcmAudio a) {
        short[] s = a.samples();
        int from = s.length / 4, len = s.length / 2;
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int lag = a.sampleRate() / 400; lag <= a.sampleRate() / 80; lag++) {
            double score = 0;
            for (int i = from; i < from + len - lag; i++) score += (double) s[i] * s[i + lag];
            if (score > bestScore) {
                bestScore = score;
                best = lag;
            }
        }
        return (double) a.sampleRate() / best;
    }

    private static double rms(PcmAudio a, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) sum += (double) a.samples()[i] * a.samples()[i];
        return Math.sqrt(sum / (to - from));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.5, 0.7, 0.85, 1.25, 1.5, 2.0})
    void theLengthFollowsTheRateAndThePitchStays(double rate) {
        PcmAudio in = vowel(1.0);
        PcmAudio out = TimeStretch.stretch(in, rate);
        assertThat(out.length()).isEqualTo((int) Math.round(in.length() / rate));
        assertThat(out.sampleRate()).isEqualTo(24_000);
        assertThat(pitch(out)).isCloseTo(180.0, within(2.0));
        // no holes or doubled frames: the loudness of the middle stays that of the input (Hann frames sum to one)
        double inLevel = rms(in, in.length() / 4, in.length() * 3 / 4);
        double outLevel = rms(out, out.length() / 4, out.length() * 3 / 4);
        assertThat(outLevel / inLevel).isBetween(0.9, 1.1);
    }

    @Test
    void rateOneIsTheSameAudioAndOutOfRangeIsRefused() {
        PcmAudio in = vowel(0.2);
        assertThat(TimeStretch.stretch(in, 1.0)).isSameAs(in);
        assertThatThrownBy(() -> TimeStretch.stretch(in, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TimeStretch.stretch(in, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TimeStretch.stretch(in, 5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tinyAndRandomClipsNeverFail() {
        Random random = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            short[] s = new short[random.nextInt(3000)];
            for (int i = 0; i < s.length; i++) s[i] = (short) random.nextInt(-32768, 32768);
            double rate = 0.25 + random.nextDouble() * 3.75;
            PcmAudio out = TimeStretch.stretch(new PcmAudio(s, 16_000), rate);
            assertThat(out.length()).as("%d samples at %.2f", s.length, rate).isEqualTo(s.length == 0 ? 0 : (int) Math.round(s.length / rate));
        }
    }
}

package dev.parley.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResamplerTest {

    /** Signal: a few tones plus noise, loud enough to exercise rounding, with a couple of full-scale spikes. */
    private static short[] testSignal(int rate, double seconds, long seed) {
        Random random = new Random(seed);
        int n = (int) Math.round(rate * seconds);
        short[] s = new short[n];
        for (int i = 0; i < n; i++) {
            double t = i / (double) rate;
            double v = 6000 * Math.sin(2 * Math.PI * 440 * t) + 4000 * Math.sin(2 * Math.PI * 1730 * t + 1)
                    + 3000 * Math.sin(2 * Math.PI * 0.45 * rate * t) + 2000 * random.nextGaussian();
            s[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(v)));
        }
        if (n > 100) {
            s[n / 3] = Short.MAX_VALUE;
            s[n / 3 + 1] = Short.MIN_VALUE;
        }
        return s;
    }

    private static short[] sine(int rate, double freq, double amplitude, double seconds) {
        short[] s = new short[(int) Math.round(rate * seconds)];
        for (int i = 0; i < s.length; i++) s[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * freq * i / rate));
        return s;
    }

    private static short[] oneShot(int in, int out, short[] signal) {
        return Resampler.convert(new PcmAudio(signal, in), out).samples();
    }

    /** Feeds {@code signal} in random chunk sizes (including 0 and 1) and concatenates process outputs + flush. */
    private static short[] chunked(Resampler r, short[] signal, Random random) {
        ShortList out = new ShortList();
        int pos = 0;
        while (pos < signal.length) {
            int len = switch (random.nextInt(6)) {
                case 0 -> 0;
                case 1 -> 1;
                case 2 -> random.nextInt(8);
                case 3 -> random.nextInt(100);
                default -> random.nextInt(2000);
            };
            len = Math.min(len, signal.length - pos);
            out.add(r.process(signal, pos, len));
            pos += len;
        }
        out.add(r.process(signal, pos, 0));
        out.add(r.flush());
        return out.toArray();
    }

    private static double rms(short[] s, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) sum += (double) s[i] * s[i];
        return Math.sqrt(sum / (to - from));
    }

    private static double rmsMiddle(short[] s) {
        return rms(s, s.length / 4, 3 * s.length / 4);
    }

    private static double db(double ratio) {
        return 20 * Math.log10(ratio);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"8000,16000", "16000,8000", "44100,16000", "48000,16000", "16000,24000", "22050,16000",
            "11025,16000", "96000,16000", "16000,44100", "16000,48000", "44100,16001", "16000,16000"})
    void chunkingDoesNotChangeTheOutput(int in, int out) {
        short[] signal = testSignal(in, 0.6, in + 31L * out);
        short[] expected = oneShot(in, out, signal);
        Resampler r = new Resampler(in, out);
        for (long seed = 1; seed <= 3; seed++) {
            // the same instance is reused: flush() must leave it as good as new
            assertThat(chunked(r, signal, new Random(seed)))
                    .as("seed %d", seed)
                    .isEqualTo(expected);
        }
    }

    @Test
    void singleSampleChunksMatchOneShot() {
        short[] signal = testSignal(44100, 0.1, 7);
        Resampler r = new Resampler(44100, 16000);
        ShortList out = new ShortList();
        for (int i = 0; i < signal.length; i++) out.add(r.process(signal, i, 1));
        out.add(r.flush());
        assertThat(out.toArray()).isEqualTo(oneShot(44100, 16000, signal));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"8000,16000", "16000,8000", "44100,16000", "48000,16000", "16000,24000", "22050,16000",
            "11025,16000", "96000,16000", "16000,44100", "44100,16001", "7,3"})
    void outputLengthMatchesTheRateRatio(int in, int out) {
        for (int n : new int[] {0, 1, 2, 3, 7, 100, 1234, 44_101}) {
            short[] result = oneShot(in, out, new short[n]);
            long expected = Math.round(n * (double) out / in);
            assertThat((long) result.length).as("%d samples", n).isBetween(expected - 1, expected + 1);
        }
    }

    @Test
    void sameRateIsABitExactCopy() {
        short[] signal = testSignal(16000, 0.2, 3);
        Resampler r = new Resampler(16000, 16000);
        short[] a = r.process(signal, 10, 500);
        assertThat(a).isEqualTo(java.util.Arrays.copyOfRange(signal, 10, 510)).isNotSameAs(signal);
        assertThat(r.flush()).isEmpty();
        PcmAudio clip = new PcmAudio(signal, 16000);
        PcmAudio converted = Resampler.convert(clip, 16000);
        assertThat(converted).isEqualTo(clip);
        assertThat(converted.samples()).isNotSameAs(signal);
        assertThat(r.lookahead()).isZero();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"8000,16000", "16000,8000", "44100,16000", "48000,16000", "16000,24000", "22050,16000",
            "11025,16000", "96000,16000", "16000,44100", "44100,16001"})
    void oneKilohertzPassesUnchanged(int in, int out) {
        double amplitude = 10_000;
        short[] result = oneShot(in, out, sine(in, 1000, amplitude, 0.5));
        double change = db(rmsMiddle(result) / (amplitude / Math.sqrt(2)));
        assertThat(Math.abs(change)).as("gain change in dB").isLessThan(0.5);
        // and it still is a 1 kHz sine, sample by sample
        int k0 = result.length / 4;
        for (int k = k0; k < k0 + 200; k++) {
            double ideal = amplitude * Math.sin(2 * Math.PI * 1000 * k / out);
            assertThat((double) result[k]).as("sample %d", k).isCloseTo(ideal, org.assertj.core.data.Offset.offset(30.0));
        }
    }

    @ParameterizedTest(name = "{0} Hz tone, {1} -> {2}")
    @CsvSource({"12000,48000,16000", "9000,48000,16000", "20000,48000,16000", "10000,44100,16000",
            "30000,96000,16000", "5000,16000,8000", "9000,22050,16000", "8700,44100,16001"})
    void toneAboveTheOutputNyquistIsRemoved(double freq, int in, int out) {
        double amplitude = 10_000;
        short[] result = oneShot(in, out, sine(in, freq, amplitude, 0.5));
        double attenuation = db(rmsMiddle(result) / (amplitude / Math.sqrt(2)));
        assertThat(attenuation).as("level of the alias in dB").isLessThan(-40);
    }

    @Test
    void constantSignalPassesExactly() {
        short[] dc = new short[20_000];
        java.util.Arrays.fill(dc, (short) 1234);
        for (int[] pair : new int[][] {{48000, 16000}, {8000, 16000}, {44100, 16000}, {44100, 16001}}) {
            short[] result = oneShot(pair[0], pair[1], dc);
            for (int k = result.length / 4; k < 3 * result.length / 4; k++) {
                assertThat(result[k]).as("%d -> %d sample %d", pair[0], pair[1], k).isEqualTo((short) 1234);
            }
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"8000,16000", "16000,8000", "44100,16000", "48000,16000", "16000,24000", "22050,16000",
            "11025,16000", "96000,16000", "16000,44100", "24000,16000", "44100,16001"})
    void aClickIsNotDelayed(int in, int out) {
        // a click at t = 0.2 s must come out at output sample 0.2 * out (± 1): no group delay
        short[] signal = new short[in / 2];
        signal[in / 5] = 30_000;
        short[] result = oneShot(in, out, signal);
        int peak = 0;
        for (int k = 1; k < result.length; k++) if (Math.abs(result[k]) > Math.abs(result[peak])) peak = k;
        assertThat(peak).isBetween(out / 5 - 1, out / 5 + 1);
        assertThat(result[peak]).isPositive();
        // and the response is symmetric around it (linear phase): compare the lobes either side
        double left = 0, right = 0;
        int center = out / 5;
        for (int d = 1; d <= 10; d++) {
            left += Math.abs(result[center - d]);
            right += Math.abs(result[center + d]);
        }
        if (in % out == 0 || out % in == 0) assertThat(Math.abs(left - right)).isLessThanOrEqualTo(0.05 * (left + right) + 20);
    }

    @Test
    void chunkBordersHaveNoJumpsBeyondWhatOneShotHas() {
        int in = 48000, out = 16000;
        short[] signal = sine(in, 440, 20_000, 1.0);
        short[] expected = oneShot(in, out, signal);
        int maxJump = 0;
        for (int k = 1; k < expected.length; k++) maxJump = Math.max(maxJump, Math.abs(expected[k] - expected[k - 1]));

        Resampler r = new Resampler(in, out);
        ShortList all = new ShortList();
        List<Integer> borders = new ArrayList<>();
        for (int pos = 0; pos < signal.length; pos += 480) { // 10 ms chunks, as an audio callback delivers them
            all.add(r.process(signal, pos, Math.min(480, signal.length - pos)));
            borders.add(all.size());
        }
        all.add(r.flush());
        short[] got = all.toArray();
        assertThat(got).isEqualTo(expected);
        for (int b : borders) {
            if (b > 0 && b < got.length) assertThat(Math.abs(got[b] - got[b - 1])).isLessThanOrEqualTo(maxJump);
        }
        assertThat(borders).hasSizeGreaterThan(50);
    }

    @Test
    void outputIsProducedWithBoundedLatency() {
        Resampler r = new Resampler(48000, 16000);
        int produced = 0, consumed = 0;
        for (int i = 0; i < 100; i++) {
            produced += r.process(new short[480], 0, 480).length;
            consumed += 480;
            // everything up to `lookahead` input samples ago has been converted
            assertThat(produced).isGreaterThanOrEqualTo((consumed - r.lookahead()) / 3 - 1);
        }
        assertThat(r.lookahead()).isEqualTo(3 * Resampler.HALF_TAPS);
    }

    @Test
    void fullScaleSquareWaveClampsInsteadOfWrapping() {
        short[] square = new short[16000];
        for (int i = 0; i < square.length; i++) square[i] = (i / 40) % 2 == 0 ? Short.MAX_VALUE : Short.MIN_VALUE;
        short[] result = oneShot(16000, 44100, square);
        // in the middle of each plateau the output has the plateau's sign and is near full scale
        for (int i = 20; i < square.length - 40; i += 40) {
            int k = (int) Math.round(i * 44100.0 / 16000);
            assertThat(Math.signum(result[k])).isEqualTo(Math.signum(square[i]));
            assertThat(Math.abs(result[k])).isGreaterThan(30_000);
        }
    }

    @Test
    void resetStartsANewStream() {
        short[] signal = testSignal(22050, 0.3, 11);
        Resampler r = new Resampler(22050, 16000);
        r.process(testSignal(22050, 0.1, 12), 0, 2000);
        r.reset();
        short[] a = r.process(signal, 0, signal.length);
        short[] b = r.flush();
        short[] joined = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        assertThat(joined).isEqualTo(oneShot(22050, 16000, signal));
    }

    @Test
    void audioChunksAreCheckedAndConverted() {
        Resampler r = new Resampler(8000, 16000);
        assertThat(r.inputRate()).isEqualTo(8000);
        assertThat(r.outputRate()).isEqualTo(16000);
        PcmAudio first = r.process(new PcmAudio(sine(8000, 300, 5000, 0.5), 8000));
        PcmAudio tail = r.flushAudio();
        assertThat(first.sampleRate()).isEqualTo(16000);
        assertThat(tail.sampleRate()).isEqualTo(16000);
        assertThat(first.length() + tail.length()).isEqualTo(8000);
        assertThatThrownBy(() -> r.process(PcmAudio.silence(16000, 10)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("8000 Hz");
        assertThatThrownBy(() -> new Resampler(0, 16000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Resampler(16000, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.process(new short[10], 5, 10)).isInstanceOf(IndexOutOfBoundsException.class);
        PcmAudio converted = Resampler.convert(new PcmAudio(new short[4410], 44100), 16000);
        assertThat(converted.sampleRate()).isEqualTo(16000);
        assertThat(converted.length()).isEqualTo(1600);
    }

    @Test
    void convertsTenSecondsInOneGo() {
        // its speed is measured in parley-jmh: a wall-clock bound here failed on busy machines, not on slow code
        short[] signal = testSignal(48000, 10, 5);
        short[] result = oneShot(48000, 16000, signal);
        assertThat(result).hasSize(160_000);
    }

    /** A minimal growable short list for concatenating outputs. */
    private static final class ShortList {
        private short[] data = new short[1024];
        private int size;

        void add(short[] s) {
            if (size + s.length > data.length) data = java.util.Arrays.copyOf(data, Math.max(size + s.length, 2 * data.length));
            System.arraycopy(s, 0, data, size, s.length);
            size += s.length;
        }

        int size() {
            return size;
        }

        short[] toArray() {
            return java.util.Arrays.copyOf(data, size);
        }
    }
}

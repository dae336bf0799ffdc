package dev.parley.audio;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Framer driven chunk by chunk, as a channel is in an EmbeddedChannel test: what comes out is every frame. */
class FramerTest {
    private static final int FRAME = 512;

    /** Copies of the frames emitted (the Framer reuses its array), and the arrays it handed over. */
    private final List<short[]> frames = new ArrayList<>();
    private final List<short[]> handed = new ArrayList<>();
    private final Framer framer = new Framer(FRAME, f -> {
        handed.add(f);
        frames.add(f.clone());
    });

    /** Samples 0, 1, 2, … (mod 30000), so any lost, doubled or reordered sample shows. */
    private static short[] ramp(int from, int n) {
        short[] s = new short[n];
        for (int i = 0; i < n; i++) s[i] = (short) ((from + i) % 30_000);
        return s;
    }

    private static short[] concat(List<short[]> parts) {
        int n = parts.stream().mapToInt(p -> p.length).sum();
        short[] all = new short[n];
        int at = 0;
        for (short[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    /** A sine of {@code seconds} at {@code rate}. */
    private static short[] tone(int rate, double seconds) {
        short[] s = new short[(int) Math.round(rate * seconds)];
        for (int i = 0; i < s.length; i++) s[i] = (short) (6000 * Math.sin(2 * Math.PI * 300 * i / (double) rate));
        return s;
    }

    private void feed(short[] samples, int rate, int chunk) {
        for (int i = 0; i < samples.length; i += chunk) {
            framer.accept(new PcmAudio(Arrays.copyOfRange(samples, i, Math.min(samples.length, i + chunk)), rate));
        }
    }

    @Test
    void oddSizedChunksComeOutAsExactFramesInOrder() {
        int[] sizes = {1, 7, 333, 1000, 511, 2, 0, 1500, 513, 1};
        int fed = 0;
        for (int n : sizes) {
            framer.accept(new PcmAudio(ramp(fed, n), 16_000));
            fed += n;
            assertThat(frames).as("after %d samples", fed).hasSize(fed / FRAME);
            assertThat(framer.pending()).isEqualTo(fed % FRAME);
        }
        assertThat(fed).isEqualTo(3868);
        assertThat(frames).hasSize(7).allSatisfy(f -> assertThat(f).hasSize(FRAME));
        assertThat(concat(frames)).isEqualTo(ramp(0, 7 * FRAME));
        assertThat(framer.pending()).isEqualTo(284);
    }

    @Test
    void aChunkOfExactlyOneFrameIsOneFrameAndNothingPending() {
        framer.accept(new PcmAudio(ramp(0, FRAME), 16_000));
        assertThat(frames).hasSize(1);
        assertThat(framer.pending()).isZero();
        assertThat(framer.frameSamples()).isEqualTo(FRAME);
    }

    @Test
    void theFrameArrayIsReusedSoAConsumerMustCopyIt() {
        framer.accept(new PcmAudio(ramp(0, 3 * FRAME), 16_000));
        assertThat(handed).hasSize(3);
        assertThat(handed.get(1)).isSameAs(handed.get(0));
        assertThat(handed.get(2)).isSameAs(handed.get(0));
        // the copies taken in the callback are each frame's own samples; the array holds the last frame
        assertThat(frames.get(0)).isEqualTo(ramp(0, FRAME));
        assertThat(frames.get(2)).isEqualTo(ramp(2 * FRAME, FRAME));
        assertThat(handed.get(0)).isEqualTo(ramp(2 * FRAME, FRAME));
    }

    @Test
    void takePendingReturnsACopyOfThePartialFrameAndStartsTheNextFrameEmpty() {
        assertThat(framer.takePending()).isEmpty();
        framer.accept(new PcmAudio(ramp(0, FRAME + 100), 16_000));
        short[] rest = framer.takePending();
        assertThat(rest).isEqualTo(ramp(FRAME, 100));
        assertThat(framer.pending()).isZero();
        assertThat(framer.takePending()).isEmpty();
        rest[0] = -1; // a copy: changing it changes nothing inside
        // the next frame is made of new samples only
        framer.accept(new PcmAudio(ramp(5000, FRAME), 16_000));
        assertThat(frames).hasSize(2);
        assertThat(frames.get(1)).isEqualTo(ramp(5000, FRAME));
    }

    @Test
    void rejectsAnEmptyFrameSize() {
        assertThatThrownBy(() -> new Framer(0, f -> { })).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * One second at another rate: as many samples come out as the resampler has ready after one second of input,
     * {@code ceil((n - lookahead) * 16000 / rate)}; its look-ahead stays pending inside the resampler (never flushed).
     */
    private void resamplesOneSecond(int rate, int chunk, int expectedSamples) {
        short[] in = tone(rate, 1.0);
        feed(in, rate, chunk);
        short[] out = concat(frames);
        int total = out.length + framer.pending();
        assertThat(total).isEqualTo(expectedSamples);
        assertThat(frames).hasSize(expectedSamples / FRAME);
        assertThat(framer.pending()).isEqualTo(expectedSamples % FRAME);
        // within the resampler's look-ahead of one second at 16 kHz
        int lookahead = (int) Math.ceil(new Resampler(rate, 16_000).lookahead() * 16_000.0 / rate);
        assertThat(16_000 - total).isBetween(0, lookahead + 1);
        // bit for bit what the resampler gives for the whole second at once (chunking does not matter)
        short[] whole = new Resampler(rate, 16_000).process(in);
        short[] all = concat(List.of(out, framer.takePending()));
        assertThat(all).isEqualTo(whole);
    }

    @Test
    void resamplesFrom8kHz() {
        // look-ahead 32 samples at 8 kHz: ceil((8000 - 32) * 2) = 15936 = 31 frames + 64
        resamplesOneSecond(8_000, 163, 15_936);
    }

    @Test
    void resamplesFrom44100Hz() {
        // look-ahead 89 samples: ceil((44100 - 89) * 160 / 441) = 15968 = 31 frames + 96
        resamplesOneSecond(44_100, 441, 15_968);
    }

    @Test
    void resamplesFrom48kHz() {
        // look-ahead 96 samples: ceil((48000 - 96) / 3) = 15968 = 31 frames + 96
        resamplesOneSecond(48_000, 997, 15_968);
    }

    @Test
    void aRateChangeMidStreamStartsAFreshResamplerAndKeepsTheFrameBeingFilled() {
        short[] a = tone(48_000, 0.5);
        short[] b = tone(8_000, 0.5);
        feed(a, 48_000, 960);
        int afterA = frames.size() * FRAME + framer.pending();
        feed(b, 8_000, 160);
        Resampler fromA = new Resampler(48_000, 16_000);
        short[] expectedA = fromA.process(a);
        short[] tailA = fromA.flush();
        short[] expectedB = new Resampler(8_000, 16_000).process(b);
        assertThat(afterA).isEqualTo(expectedA.length).isEqualTo(7_968);
        short[] all = concat(List.of(concat(frames), framer.takePending()));
        // the 48 kHz look-ahead (32 samples, 2 ms at 16 kHz) is flushed before the 8 kHz audio: nothing lost
        assertThat(tailA).hasSize(32);
        assertThat(all).isEqualTo(concat(List.of(expectedA, tailA, expectedB)));
        assertThat(all).hasSize(7_968 + 32 + 7_936);
    }

    @Test
    void pipelineRateAudioBetweenOtherRatesPassesThroughUnchanged() {
        framer.accept(new PcmAudio(tone(48_000, 0.1), 48_000));
        int before = frames.size() * FRAME + framer.pending();
        framer.accept(new PcmAudio(ramp(0, 2_000), 16_000));
        short[] all = concat(List.of(concat(frames), framer.takePending()));
        // the 48 kHz resampler's look-ahead comes first, then the 16 kHz audio untouched
        assertThat(all).hasSize(before + 32 + 2_000);
        assertThat(Arrays.copyOfRange(all, before + 32, all.length)).isEqualTo(ramp(0, 2_000));
    }

    @Test
    void audioIsNotReorderedWhenTheRateGoesBackAfterPipelineRateAudio() {
        short[] dc = new short[4_800]; // 100 ms of a constant level at 48 kHz
        Arrays.fill(dc, (short) 1000);
        framer.accept(new PcmAudio(dc, 48_000));
        framer.accept(new PcmAudio(new short[1_600], 16_000)); // 100 ms of silence at 16 kHz
        framer.accept(new PcmAudio(new short[4_800], 48_000)); // 100 ms of silence at 48 kHz
        short[] all = concat(List.of(concat(frames), framer.takePending()));
        // the first 100 ms of output are the level, the next 100 ms the silence at 16 kHz: nothing of the level after
        long loudAfterTheSilenceStarted = 0;
        for (int i = 1_600; i < 3_200; i++) if (all[i] != 0) loudAfterTheSilenceStarted++;
        assertThat(loudAfterTheSilenceStarted).isZero();
    }
}

package dev.parley.bench.turns;

import dev.parley.audio.PcmAudio;

/**
 * Makes a sentence with a pause inside it out of a recording of the sentence: the recording is cut at one sample and
 * a stretch of its own background is put in between. People pause mid-sentence ("set a timer for … ten minutes");
 * corpora rarely have such recordings with known positions, splicing makes them with the pause exactly where wanted.
 */
public final class PauseSplicer {

    /**
     * A spliced recording.
     *
     * @param audio        the recording with the pause
     * @param at           where the pause begins, in samples (the same position in the original and in the result)
     * @param pauseSamples the pause's length
     */
    public record Spliced(PcmAudio audio, int at, int pauseSamples) {
        /** Where a sample of the original recording lies in the spliced one. */
        public int position(int originalSample) {
            return originalSample < at ? originalSample : originalSample + pauseSamples;
        }

        /** Where a time of the original recording (seconds) lies in the spliced one, in milliseconds. */
        public double positionMs(double originalSeconds) {
            double ms = originalSeconds * 1000;
            return ms < at * 1000.0 / audio.sampleRate() ? ms : ms + pauseSamples * 1000.0 / audio.sampleRate();
        }
    }

    private PauseSplicer() {
    }

    /**
     * Inserts {@code pauseMs} of {@code background} before sample {@code at}.
     *
     * @throws IllegalArgumentException for an empty clip, a pause at the very start or end (that is no pause inside
     *                                  a sentence, and would only move the clip), or a pause of no length
     */
    public static Spliced splice(PcmAudio clip, int at, int pauseMs, RoomTone background) {
        if (clip.isEmpty()) throw new IllegalArgumentException("cannot splice a pause into an empty clip");
        if (at <= 0 || at >= clip.length()) {
            throw new IllegalArgumentException("a pause must lie inside the clip (1.." + (clip.length() - 1) + "), not at sample " + at);
        }
        if (pauseMs <= 0) throw new IllegalArgumentException("a pause must last more than 0 ms: " + pauseMs);
        if (background.sampleRate() != clip.sampleRate()) {
            throw new IllegalArgumentException("background at " + background.sampleRate() + " Hz for a clip at " + clip.sampleRate() + " Hz");
        }
        int pause = (int) ((long) clip.sampleRate() * pauseMs / 1000);
        short[] out = new short[clip.length() + pause];
        System.arraycopy(clip.samples(), 0, out, 0, at);
        System.arraycopy(background.fill(pause), 0, out, at, pause);
        System.arraycopy(clip.samples(), at, out, at + pause, clip.length() - at);
        return new Spliced(new PcmAudio(out, clip.sampleRate()), at, pause);
    }
}

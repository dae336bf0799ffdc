package dev.parley.audio;

/**
 * Changes the speed of speech without changing its pitch, by waveform-similarity overlap-add (WSOLA): the output is
 * built from 30 ms Hann-windowed frames at a fixed hop, each taken from the input near where the rate says it should
 * start, shifted by up to 10 ms to the position whose waveform best continues the previous frame, so that the pitch
 * periods line up and no echo or warble is heard. It serves "slower" and "faster" with any TTS.
 */
public final class TimeStretch {
    private static final int FRAME_MS = 30;
    private static final int TOLERANCE_MS = 10;

    private TimeStretch() {
    }

    /**
     * The audio played {@code rate} times as fast (0.5: twice as long; 2: half as long), at the same pitch.
     *
     * @throws IllegalArgumentException when the rate is not between 0.25 and 4
     */
    public static PcmAudio stretch(PcmAudio audio, double rate) {
        if (!(rate >= 0.25 && rate <= 4)) throw new IllegalArgumentException("rate must be between 0.25 and 4: " + rate);
        if (rate == 1.0 || audio.isEmpty()) return audio;
        short[] in = audio.samples();
        int n = audio.length();
        int sr = audio.sampleRate();
        int frame = Math.max(4, (sr * FRAME_MS / 1000) & ~1);
        int hop = frame / 2;
        int tolerance = sr * TOLERANCE_MS / 1000;
        if (n < frame + 2 * tolerance) return shortClip(audio, rate);

        double[] window = new double[frame];
        for (int i = 0; i < frame; i++) window[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / frame); // periodic: sums to 1 at 50 %
        int outLength = (int) Math.round(n / rate);
        double[] out = new double[outLength + frame];
        int previous = 0; // where the last frame was taken from
        int k = 0;
        for (int outPos = 0; outPos < outLength; outPos += hop, k++) {
            int nominal = (int) Math.round(k * hop * rate);
            int from;
            if (k == 0) {
                from = 0;
            } else {
                int natural = previous + hop; // what would follow the previous frame seamlessly
                from = bestMatch(in, n, natural, nominal, tolerance, hop, frame);
                if (from < 0) break;
            }
            for (int i = 0; i < frame && from + i < n && outPos + i < out.length; i++) out[outPos + i] += window[i] * in[from + i];
            previous = from;
        }
        short[] result = new short[outLength];
        for (int i = 0; i < outLength; i++) {
            result[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(out[i])));
        }
        return new PcmAudio(result, sr);
    }

    /** The start within {@code nominal ± tolerance} whose first half-frame best matches the input at {@code natural}. */
    private static int bestMatch(short[] in, int n, int natural, int nominal, int tolerance, int hop, int frame) {
        int lo = Math.max(0, nominal - tolerance);
        int hi = Math.min(n - frame, nominal + tolerance);
        if (hi < lo) return -1;
        if (natural + hop > n) return Math.min(hi, Math.max(lo, nominal));
        int best = Math.max(lo, Math.min(hi, nominal));
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int c = lo; c <= hi; c++) {
            double score = 0;
            for (int i = 0; i < hop; i += 2) score += (double) in[natural + i] * in[c + i];
            if (score > bestScore) {
                bestScore = score;
                best = c;
            }
        }
        return best;
    }

    /** Too short to stretch by frames: trimmed or padded with silence to the stretched length. */
    private static PcmAudio shortClip(PcmAudio audio, double rate) {
        short[] out = new short[(int) Math.round(audio.length() / rate)];
        System.arraycopy(audio.samples(), 0, out, 0, Math.min(out.length, audio.length()));
        return new PcmAudio(out, audio.sampleRate());
    }
}

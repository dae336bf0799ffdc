package dev.parley.terminal;

import dev.parley.audio.PcmAudio;

/**
 * The short rising chime that tells the user, on the speaker, that a wake phrase was heard and Parley is listening:
 * two soft tones (a fifth apart, 70 ms each, faded in and out so they do not click), about a sixth of full scale.
 */
public final class Earcon {
    private static final double[] TONES_HZ = {880, 1320};
    private static final int TONE_MS = 70;
    private static final int FADE_MS = 10;
    private static final double LEVEL = 0.18;

    private Earcon() {
    }

    /** The chime at {@code rate} samples per second. */
    public static PcmAudio chime(int rate) {
        int tone = rate * TONE_MS / 1000;
        int fade = rate * FADE_MS / 1000;
        short[] out = new short[tone * TONES_HZ.length];
        for (int t = 0; t < TONES_HZ.length; t++) {
            for (int i = 0; i < tone; i++) {
                double envelope = Math.min(1, Math.min(i, tone - 1 - i) / (double) fade);
                double v = LEVEL * envelope * Math.sin(2 * Math.PI * TONES_HZ[t] * i / rate);
                out[t * tone + i] = (short) Math.round(v * Short.MAX_VALUE);
            }
        }
        return new PcmAudio(out, rate);
    }
}

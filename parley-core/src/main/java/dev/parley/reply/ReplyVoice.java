package dev.parley.reply;

import dev.parley.audio.PcmAudio;
import dev.parley.dialog.VoiceControls;

/**
 * A session's reply volume and speaking rate, applied to the reply audio so they work with every TTS: the volume as
 * a gain, the rate by stretching each phrase in time at the same pitch ({@link dev.parley.audio.TimeStretch}).
 */
public final class ReplyVoice implements VoiceControls {
    private volatile double volume = 1;
    private volatile double rate = 1;

    @Override
    public double volume() {
        return volume;
    }

    @Override
    public boolean setVolume(double v) {
        if (!(v >= MIN_VOLUME && v <= MAX_VOLUME)) return false;
        volume = v;
        return true;
    }

    @Override
    public double rate() {
        return rate;
    }

    @Override
    public boolean setRate(double r) {
        if (!(r >= MIN_RATE && r <= MAX_RATE)) return false;
        rate = r;
        return true;
    }

    /** The audio with the volume applied, clipped to 16 bits (the same audio when the volume is 1). */
    public PcmAudio applyVolume(PcmAudio audio) {
        double g = volume;
        if (g == 1) return audio;
        short[] in = audio.samples();
        short[] out = new short[audio.length()];
        for (int i = 0; i < out.length; i++) {
            long v = Math.round(in[i] * g);
            out[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
        }
        return new PcmAudio(out, audio.sampleRate());
    }
}

package dev.parley.reply;

import dev.parley.audio.PcmAudio;
import dev.parley.audio.Resampler;

/**
 * A reply's audio at the sink's rate, whatever rate each chunk comes at: a session's voice may change between phrases
 * (another voice, another rate), so the resampler follows the chunks; what the old one still held goes out first.
 */
final class ToSinkRate {
    private final int sinkRate;
    private Resampler resampler;

    ToSinkRate(int sinkRate) {
        this.sinkRate = sinkRate;
    }

    /** The chunk at the sink's rate (possibly empty while the resampler fills). */
    PcmAudio convert(PcmAudio chunk) {
        short[] held = new short[0];
        if (resampler != null && resampler.inputRate() != chunk.sampleRate()) {
            held = resampler.flush();
            resampler = null;
        }
        if (chunk.sampleRate() == sinkRate) return held.length == 0 ? chunk : concat(held, chunk.samples());
        if (resampler == null) resampler = new Resampler(chunk.sampleRate(), sinkRate);
        short[] out = resampler.process(chunk.samples());
        return new PcmAudio(held.length == 0 ? out : concat(held, out).samples(), sinkRate);
    }

    /** What the resampler still holds, at the end of the reply. */
    PcmAudio flush() {
        short[] tail = resampler == null ? new short[0] : resampler.flush();
        return new PcmAudio(tail, sinkRate);
    }

    private PcmAudio concat(short[] a, short[] b) {
        short[] all = new short[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return new PcmAudio(all, sinkRate);
    }
}

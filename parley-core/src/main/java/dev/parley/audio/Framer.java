package dev.parley.audio;

import java.util.function.Consumer;

import static dev.parley.audio.PcmAudio.PIPELINE_RATE;

/**
 * The first stage of a session's input: audio at any rate in, fixed-size frames at the pipeline rate out, as the VAD
 * wants them. Keeps the samples of the frame being filled between calls; not thread-safe (one thread feeds it).
 */
public final class Framer {
    private final short[] frame;
    private final Consumer<short[]> out;
    private int fill;
    private Resampler resampler;

    /** @param out receives every full frame; the array is reused, so read it before returning */
    public Framer(int frameSamples, Consumer<short[]> out) {
        if (frameSamples <= 0) throw new IllegalArgumentException("frame size must be positive");
        this.frame = new short[frameSamples];
        this.out = out;
    }

    public int frameSamples() {
        return frame.length;
    }

    /** Takes audio at any rate; emits the frames it completes. */
    public void accept(PcmAudio chunk) {
        if (resampler != null && resampler.inputRate() != chunk.sampleRate()) {
            // the rate changed: what the old resampler still holds comes first, so nothing is lost or reordered
            short[] tail = resampler.flush();
            add(tail, tail.length);
            resampler = null;
        }
        if (chunk.sampleRate() == PIPELINE_RATE) {
            add(chunk.samples(), chunk.length());
            return;
        }
        if (resampler == null) resampler = new Resampler(chunk.sampleRate(), PIPELINE_RATE);
        short[] converted = resampler.process(chunk.samples(), 0, chunk.length());
        add(converted, converted.length);
    }

    /** Samples of the frame not yet full. */
    public int pending() {
        return fill;
    }

    /** Takes the partial frame out (the user stopped there, or it is dropped): a copy, possibly empty. */
    public short[] takePending() {
        short[] rest = java.util.Arrays.copyOf(frame, fill);
        fill = 0;
        return rest;
    }

    private void add(short[] samples, int length) {
        int i = 0;
        while (i < length) {
            int n = Math.min(frame.length - fill, length - i);
            System.arraycopy(samples, i, frame, fill, n);
            fill += n;
            i += n;
            if (fill == frame.length) {
                out.accept(frame);
                fill = 0;
            }
        }
    }
}

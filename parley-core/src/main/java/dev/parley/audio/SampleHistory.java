package dev.parley.audio;

/**
 * The most recent samples of a stream, addressed by absolute sample index, so that audio from just before a
 * detected event (the pre-roll before speech) can be read back.
 */
public final class SampleHistory {
    private final short[] ring;
    private long written;
    /** The first index ever held (above 0 for a history resized from another). */
    private long first;

    public SampleHistory(int capacity) {
        if (capacity <= 0) throw new IllegalArgumentException("capacity must be positive");
        ring = new short[capacity];
    }

    public void append(short[] samples, int offset, int length) {
        for (int i = 0; i < length; i++) {
            ring[(int) ((written + i) % ring.length)] = samples[offset + i];
        }
        written += length;
    }

    /** Index just past the last sample appended. */
    public long end() {
        return written;
    }

    /** The oldest index still held. */
    public long start() {
        return Math.max(first, written - ring.length);
    }

    /** A history of another capacity holding the same stream: same indices, as many of the newest samples as fit. */
    public SampleHistory resized(int capacity) {
        SampleHistory h = new SampleHistory(capacity);
        long from = Math.max(start(), written - capacity);
        h.written = from;
        h.first = from;
        short[] kept = since(from);
        h.append(kept, 0, kept.length);
        return h;
    }

    /** Samples [from, end()), with {@code from} clamped to what is still held. */
    public short[] since(long from) {
        long f = Math.max(from, start());
        short[] out = new short[(int) (written - f)];
        for (int i = 0; i < out.length; i++) {
            out[i] = ring[(int) ((f + i) % ring.length)];
        }
        return out;
    }
}

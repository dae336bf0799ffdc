package dev.parley.audio;

import java.util.Arrays;

/**
 * A chunk of mono 16-bit PCM audio at a given sample rate. Parley works on mono PCM16 everywhere; inside the
 * pipeline the rate is {@link #PIPELINE_RATE}. The array is owned by the record: callers must not change it after
 * construction (constructors of producers hand over fresh arrays).
 */
public record PcmAudio(short[] samples, int sampleRate) {

    /** The sample rate of every stage between the input resampler and the TTS output. */
    public static final int PIPELINE_RATE = 16_000;

    public PcmAudio {
        if (samples == null) throw new IllegalArgumentException("samples must not be null");
        if (sampleRate <= 0) throw new IllegalArgumentException("sample rate must be positive: " + sampleRate);
    }

    public static PcmAudio silence(int sampleRate, long millis) {
        return new PcmAudio(new short[(int) (sampleRate * millis / 1000)], sampleRate);
    }

    public int length() {
        return samples.length;
    }

    public boolean isEmpty() {
        return samples.length == 0;
    }

    /** Duration in nanoseconds. */
    public long durationNanos() {
        return samples.length * 1_000_000_000L / sampleRate;
    }

    public double durationSeconds() {
        return samples.length / (double) sampleRate;
    }

    public PcmAudio slice(int from, int to) {
        return new PcmAudio(Arrays.copyOfRange(samples, from, to), sampleRate);
    }

    /** Little-endian PCM16 bytes, as WAV files and the OpenAI Realtime protocol carry them. */
    public byte[] toLittleEndianBytes() {
        byte[] out = new byte[samples.length * 2];
        for (int i = 0; i < samples.length; i++) {
            out[2 * i] = (byte) samples[i];
            out[2 * i + 1] = (byte) (samples[i] >> 8);
        }
        return out;
    }

    public static PcmAudio fromLittleEndianBytes(byte[] bytes, int offset, int length, int sampleRate) {
        if ((length & 1) != 0) throw new IllegalArgumentException("PCM16 needs an even number of bytes, got " + length);
        short[] s = new short[length / 2];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) ((bytes[offset + 2 * i] & 0xff) | (bytes[offset + 2 * i + 1] << 8));
        }
        return new PcmAudio(s, sampleRate);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PcmAudio p && p.sampleRate == sampleRate && Arrays.equals(p.samples, samples);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(samples) + sampleRate;
    }

    @Override
    public String toString() {
        return "PcmAudio[" + samples.length + " samples @ " + sampleRate + " Hz]";
    }

    /** The chunks one after another; all must have the same rate. */
    public static PcmAudio concat(java.util.List<PcmAudio> chunks) {
        if (chunks.isEmpty()) throw new IllegalArgumentException("nothing to concatenate");
        int rate = chunks.getFirst().sampleRate();
        int n = 0;
        for (PcmAudio c : chunks) {
            if (c.sampleRate() != rate) throw new IllegalArgumentException("mixed sample rates: " + rate + " and " + c.sampleRate());
            n += c.length();
        }
        short[] all = new short[n];
        int at = 0;
        for (PcmAudio c : chunks) {
            System.arraycopy(c.samples(), 0, all, at, c.length());
            at += c.length();
        }
        return new PcmAudio(all, rate);
    }
}

package dev.parley.audio;

/**
 * ITU-T G.711 companding, the telephone network's 8-bit audio: μ-law (North America, Japan; Twilio's
 * {@code audio/x-mulaw}) and A-law (elsewhere). Each 16-bit sample becomes one byte and back; the formulas are the
 * standard's segment encodings (as in the reference implementation that ships with most telephony stacks), written out
 * here rather than pulled in as a library: they are forty lines and have not changed since 1972.
 */
public final class G711 {
    private static final int BIAS = 0x84;
    private static final int CLIP = 32635;
    /** Upper ends of A-law's segments, on the 13-bit magnitude. */
    private static final int[] A_SEGMENT_END = {0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF};
    private static final short[] ULAW_TO_LINEAR = new short[256];
    private static final short[] ALAW_TO_LINEAR = new short[256];

    static {
        for (int i = 0; i < 256; i++) {
            ULAW_TO_LINEAR[i] = ulawDecode((byte) i);
            ALAW_TO_LINEAR[i] = alawDecode((byte) i);
        }
    }

    /** The two laws. */
    public enum Law { ULAW, ALAW }

    private G711() {
    }

    public static byte encode(Law law, short sample) {
        return law == Law.ULAW ? ulaw(sample) : alaw(sample);
    }

    public static short decode(Law law, byte code) {
        return (law == Law.ULAW ? ULAW_TO_LINEAR : ALAW_TO_LINEAR)[code & 0xFF];
    }

    /** Samples to codes, one byte each. */
    public static byte[] encode(Law law, short[] samples) {
        byte[] out = new byte[samples.length];
        for (int i = 0; i < samples.length; i++) out[i] = encode(law, samples[i]);
        return out;
    }

    /** Codes to samples. */
    public static short[] decode(Law law, byte[] codes) {
        short[] table = law == Law.ULAW ? ULAW_TO_LINEAR : ALAW_TO_LINEAR;
        short[] out = new short[codes.length];
        for (int i = 0; i < codes.length; i++) out[i] = table[codes[i] & 0xFF];
        return out;
    }

    static byte ulaw(short sample) {
        int s = sample;
        int sign = 0;
        if (s < 0) {
            sign = 0x80;
            s = -s;
        }
        s = Math.min(s, CLIP) + BIAS;
        int exponent = 7;
        for (int mask = 0x4000; (s & mask) == 0 && exponent > 0; mask >>= 1) exponent--;
        int mantissa = (s >> (exponent + 3)) & 0x0F;
        return (byte) ~(sign | (exponent << 4) | mantissa);
    }

    private static short ulawDecode(byte code) {
        int u = ~code & 0xFF;
        int t = (((u & 0x0F) << 3) + BIAS) << ((u & 0x70) >> 4);
        return (short) ((u & 0x80) != 0 ? BIAS - t : t - BIAS);
    }

    static byte alaw(short sample) {
        int pcm = sample >> 3;
        int mask;
        if (pcm >= 0) {
            mask = 0xD5;
        } else {
            mask = 0x55;
            pcm = -pcm - 1;
        }
        int segment = 0;
        while (segment < 8 && pcm > A_SEGMENT_END[segment]) segment++;
        if (segment >= 8) return (byte) (0x7F ^ mask);
        int a = segment << 4;
        a |= segment < 2 ? (pcm >> 1) & 0x0F : (pcm >> segment) & 0x0F;
        return (byte) (a ^ mask);
    }

    private static short alawDecode(byte code) {
        int a = (code & 0xFF) ^ 0x55;
        int t = (a & 0x0F) << 4;
        int segment = (a & 0x70) >> 4;
        t += segment == 0 ? 8 : 0x108;
        if (segment > 1) t <<= segment - 1;
        return (short) ((a & 0x80) != 0 ? t : -t);
    }
}

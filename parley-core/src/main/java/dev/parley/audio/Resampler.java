package dev.parley.audio;

import java.util.Arrays;
import java.util.Objects;

/**
 * A stateful, streaming, band-limited sample-rate converter for mono PCM16 between any two positive rates.
 *
 * <h2>Filter</h2>
 * Each output sample is a windowed-sinc interpolation of the input: the kernel is
 * {@code sinc(ROLLOFF·u) · kaiser(u / HALF_TAPS, β = 8)}, where {@code u} is the distance in samples of the
 * <em>lower</em> of the two rates. That puts the cutoff at {@value #ROLLOFF} × the lower Nyquist frequency (≈ 7.4 kHz
 * for a 16 kHz side), with {@value #HALF_TAPS} zero crossings per side and ≈ 80 dB of stop-band attenuation from the
 * lower Nyquist frequency up. When downsampling the kernel is stretched by {@code in/out}, so it also acts as the
 * anti-aliasing filter. Coefficients come from a precomputed polyphase table when the reduced ratio
 * {@code in/gcd : out/gcd} has at most {@value #MAX_PHASES} phases (e.g. 44100→16000 is 441:160 → 160 phases);
 * otherwise from a finely sampled kernel ({@value #FINE_STEPS} points per lower-rate sample) with linear
 * interpolation. Every set of coefficients is normalised to sum to one, so DC passes exactly.
 *
 * <h2>Timing</h2>
 * The filter is symmetric and centred on the output instant: output sample {@code k} is the band-limited value of
 * the input at time {@code k / outRate}. There is therefore no group delay: a click at input time {@code t} appears
 * at output time {@code t} (±1 sample). The price is look-ahead: an output sample is produced only once
 * {@link #lookahead()} input samples beyond its instant have arrived; {@link #flush()} produces the rest by treating
 * the future as silence. The input before the first sample is likewise treated as silence.
 *
 * <h2>Chunking invariance</h2>
 * The converter keeps an absolute input position and an exact rational output clock ({@code centre}, {@code phase}).
 * Every output sample is computed from exactly the same input samples, the same coefficients and in the same
 * summation order no matter how the input was split into chunks, so {@code process(a) + process(b) + flush()} is
 * bit-for-bit identical to {@code process(a+b) + flush()}: there are no clicks at chunk borders.
 *
 * <p>The total output length for {@code n} input samples (all {@code process} calls plus {@code flush}) is
 * {@code ceil(n · out / in)} — the number of output instants inside the input's span — which is within one sample of
 * {@code round(n · out / in)}. Output is rounded to nearest and clamped to the {@code short} range. With equal
 * rates the converter is the identity and returns bit-exact copies.
 *
 * <p>Instances are not thread-safe; use one per stream. The hot path allocates nothing except each call's result.
 */
public final class Resampler {

    /** Zero crossings of the sinc kernel per side, counted at the lower of the two rates. */
    static final int HALF_TAPS = 32;
    /** Cutoff as a fraction of the lower rate's Nyquist frequency. */
    static final double ROLLOFF = 0.92;
    /** Kaiser window shape parameter (≈ 80 dB side-lobe rejection). */
    static final double KAISER_BETA = 8.0;
    /** Largest number of phases for which a full polyphase table is precomputed. */
    static final int MAX_PHASES = 4096;
    /** Kernel table resolution (points per lower-rate sample) when the phases are interpolated. */
    static final int FINE_STEPS = 4096;
    /** Largest polyphase table, in coefficients. */
    private static final int MAX_TABLE = 1 << 21;

    private final int inRate;
    private final int outRate;
    /** Reduced ratio: {@code outRate / gcd} (interpolation factor, number of phases). */
    private final long up;
    /** Reduced ratio: {@code inRate / gcd} (decimation factor). */
    private final long down;
    private final boolean identity;
    /** Input samples used on each side of an output instant. */
    private final int halfIn;
    /** Coefficients per output sample ({@code 2 · halfIn}). */
    private final int taps;
    /** Polyphase table ({@code up} rows of {@code taps}), or null in interpolated mode. */
    private final double[] table;
    /** Finely sampled half kernel for interpolated mode, or null. */
    private final double[] fine;
    /** Fine-table steps per input sample. */
    private final double fineStepsPerInput;
    /** Per-output coefficient scratch for interpolated mode. */
    private final double[] scratch;

    // ---- streaming state ----
    /** Input history; {@code buf[i]} is input sample {@code bufStart + i}. */
    private float[] buf;
    private long bufStart;
    private int bufLen;
    /** Number of real input samples received since the last reset. */
    private long received;
    /** Index of the next output sample. */
    private long nextOut;
    /** {@code floor(nextOut · down / up)}: the input sample at or just before the next output instant. */
    private long centre;
    /** {@code (nextOut · down) mod up}: the fractional part of the next output instant, in units of {@code 1/up}. */
    private long phase;

    /**
     * @param inRate  input sample rate in Hz, positive
     * @param outRate output sample rate in Hz, positive
     */
    public Resampler(int inRate, int outRate) {
        if (inRate <= 0 || outRate <= 0) {
            throw new IllegalArgumentException("sample rates must be positive: " + inRate + " -> " + outRate);
        }
        this.inRate = inRate;
        this.outRate = outRate;
        long g = gcd(inRate, outRate);
        this.up = outRate / g;
        this.down = inRate / g;
        this.identity = inRate == outRate;
        if (identity) {
            halfIn = 0;
            taps = 0;
            table = null;
            fine = null;
            fineStepsPerInput = 0;
            scratch = null;
            return;
        }
        // scale converts a distance in input samples into a distance in lower-rate samples
        double scale = Math.min(1.0, (double) outRate / inRate);
        double halfWidthIn = HALF_TAPS / scale;
        halfIn = (int) Math.ceil(halfWidthIn - 1e-9);
        taps = 2 * halfIn;
        if (up <= MAX_PHASES && up * taps <= MAX_TABLE) {
            table = new double[(int) up * taps];
            for (int p = 0; p < up; p++) {
                double frac = p / (double) up;
                int row = p * taps;
                double sum = 0;
                for (int j = 0; j < taps; j++) {
                    double c = kernel((frac + halfIn - 1 - j) * scale);
                    table[row + j] = c;
                    sum += c;
                }
                for (int j = 0; j < taps; j++) table[row + j] /= sum;
            }
            fine = null;
            fineStepsPerInput = 0;
            scratch = null;
        } else {
            table = null;
            fine = new double[HALF_TAPS * FINE_STEPS + 2];
            for (int i = 0; i <= HALF_TAPS * FINE_STEPS; i++) fine[i] = kernel(i / (double) FINE_STEPS);
            fineStepsPerInput = scale * FINE_STEPS;
            scratch = new double[taps];
        }
        buf = new float[Math.max(1024, 4 * taps)];
        reset();
    }

    /** One-shot conversion of a whole clip (the start and end are padded with silence). */
    public static PcmAudio convert(PcmAudio audio, int outRate) {
        if (audio.sampleRate() == outRate) return new PcmAudio(audio.samples().clone(), outRate);
        Resampler r = new Resampler(audio.sampleRate(), outRate);
        short[] body = r.process(audio.samples(), 0, audio.length());
        short[] tail = r.flush();
        short[] all = Arrays.copyOf(body, body.length + tail.length);
        System.arraycopy(tail, 0, all, body.length, tail.length);
        return new PcmAudio(all, outRate);
    }

    public int inputRate() {
        return inRate;
    }

    public int outputRate() {
        return outRate;
    }

    /**
     * How many input samples beyond an output instant must have arrived before that output sample is produced
     * (the converter's look-ahead latency, in input samples; 0 for equal rates).
     */
    public int lookahead() {
        return halfIn;
    }

    /**
     * Feeds a chunk at the input rate and returns the output samples that can be computed so far (possibly none).
     * The chunk is copied; the caller may reuse its array.
     */
    public short[] process(short[] in, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, in.length);
        if (identity) return Arrays.copyOfRange(in, offset, offset + length);
        append(in, offset, length);
        received += length;
        // output k is ready when centre(k) + halfIn <= received - 1, i.e. k·down/up < received - halfIn
        long limit = received - halfIn;
        long end = limit > 0 ? ceilDiv(limit * up, down) : 0;
        int count = (int) Math.max(0, end - nextOut);
        short[] out = generate(count);
        discardHistory();
        return out;
    }

    /** {@link #process(short[], int, int)} over a whole array. */
    public short[] process(short[] in) {
        return process(in, 0, in.length);
    }

    /**
     * Feeds a chunk, which must be at {@link #inputRate()}, and returns what can be computed so far at
     * {@link #outputRate()}.
     */
    public PcmAudio process(PcmAudio chunk) {
        if (chunk.sampleRate() != inRate) {
            throw new IllegalArgumentException(
                    "this resampler converts " + inRate + " Hz audio, got " + chunk.sampleRate() + " Hz");
        }
        return new PcmAudio(process(chunk.samples(), 0, chunk.length()), outRate);
    }

    /**
     * Ends the stream: returns the remaining output samples (treating the input after the last sample as silence)
     * and {@linkplain #reset() resets} the converter for a new stream.
     */
    public short[] flush() {
        if (identity) return new short[0];
        long total = ceilDiv(received * up, down);
        int count = (int) Math.max(0, total - nextOut);
        appendZeros(halfIn + 1);
        short[] out = generate(count);
        reset();
        return out;
    }

    /** {@link #flush()} as audio at the output rate. */
    public PcmAudio flushAudio() {
        return new PcmAudio(flush(), outRate);
    }

    /** Forgets all history and starts a new stream at time zero. */
    public void reset() {
        received = 0;
        nextOut = 0;
        centre = 0;
        phase = 0;
        if (identity) return;
        // the past before the first sample is silence
        bufStart = -halfIn;
        bufLen = halfIn;
        Arrays.fill(buf, 0, bufLen, 0f);
    }

    // ---------------------------------------------------------------------------------------------------------------

    private short[] generate(int count) {
        short[] out = new short[count];
        final float[] b = buf;
        for (int i = 0; i < count; i++) {
            int s = (int) (centre - halfIn + 1 - bufStart);
            double acc = 0;
            if (table != null) {
                int row = (int) phase * taps;
                for (int j = 0; j < taps; j++) acc += table[row + j] * b[s + j];
            } else {
                double frac = phase / (double) up;
                double sum = 0;
                for (int j = 0; j < taps; j++) {
                    double c = fineKernel(Math.abs(frac + halfIn - 1 - j) * fineStepsPerInput);
                    scratch[j] = c;
                    sum += c;
                }
                for (int j = 0; j < taps; j++) acc += scratch[j] * b[s + j];
                acc /= sum;
            }
            out[i] = clampRound(acc);
            nextOut++;
            phase += down;
            centre += phase / up;
            phase %= up;
        }
        return out;
    }

    private double fineKernel(double x) {
        int i = (int) x;
        if (i >= HALF_TAPS * FINE_STEPS) return 0;
        double f0 = fine[i];
        return f0 + (fine[i + 1] - f0) * (x - i);
    }

    /** Drops input samples that no future output sample needs. */
    private void discardHistory() {
        long keepFrom = centre - halfIn + 1;
        int drop = (int) Math.min(bufLen, Math.max(0, keepFrom - bufStart));
        if (drop > 0) {
            System.arraycopy(buf, drop, buf, 0, bufLen - drop);
            bufLen -= drop;
            bufStart += drop;
        }
    }

    private void ensureCapacity(int extra) {
        int needed = bufLen + extra;
        if (needed > buf.length) buf = Arrays.copyOf(buf, Math.max(needed, 2 * buf.length));
    }

    private void append(short[] in, int offset, int length) {
        ensureCapacity(length);
        for (int i = 0; i < length; i++) buf[bufLen + i] = in[offset + i];
        bufLen += length;
    }

    private void appendZeros(int n) {
        ensureCapacity(n);
        Arrays.fill(buf, bufLen, bufLen + n, 0f);
        bufLen += n;
    }

    private static short clampRound(double v) {
        double r = Math.rint(v);
        if (r > Short.MAX_VALUE) return Short.MAX_VALUE;
        if (r < Short.MIN_VALUE) return Short.MIN_VALUE;
        return (short) r;
    }

    /** The interpolation kernel at a distance of {@code u} lower-rate samples. */
    static double kernel(double u) {
        double a = Math.abs(u);
        if (a >= HALF_TAPS) return 0;
        double x = Math.PI * ROLLOFF * a;
        double sinc = a < 1e-12 ? 1.0 : Math.sin(x) / x;
        double r = a / HALF_TAPS;
        return sinc * besselI0(KAISER_BETA * Math.sqrt(1 - r * r)) / besselI0(KAISER_BETA);
    }

    /** Modified Bessel function of the first kind, order zero (power series). */
    static double besselI0(double x) {
        double sum = 1, term = 1, q = x * x / 4;
        for (int k = 1; k < 200; k++) {
            term *= q / ((double) k * k);
            sum += term;
            if (term < 1e-17 * sum) break;
        }
        return sum;
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    private static long ceilDiv(long a, long b) {
        return Math.floorDiv(a + b - 1, b);
    }
}

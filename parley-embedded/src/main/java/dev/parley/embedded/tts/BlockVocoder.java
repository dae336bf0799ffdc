package dev.parley.embedded.tts;

import marytts.htsengine.HMMData;
import marytts.htsengine.HTSParameterGeneration;
import marytts.htsengine.HTSVocoder;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * MaryTTS's MLSA vocoder, run on the caller's thread, handing its samples on in blocks of 16-bit PCM. The samples are
 * MaryTTS's own: its vocoder makes them, and they are scaled as its audio stream scales them (divided by the largest
 * amplitude seen so far, which starts at 17,000, then rounded to 16 bits), per block instead of per read.
 */
final class BlockVocoder extends HTSVocoder {
    /** The largest amplitude MaryTTS's own vocoder stream assumes before it has seen a louder one. */
    static final double INITIAL_MAX_AMPLITUDE = 17_000;

    private final int blockSamples;

    BlockVocoder(int blockSamples) {
        if (blockSamples < 1) throw new IllegalArgumentException("block of " + blockSamples + " samples");
        this.blockSamples = blockSamples;
    }

    /** Vocodes the parameters into {@code out}; false when {@code cancelled} stopped it before the end. */
    boolean vocode(HTSParameterGeneration p, HMMData data, Consumer<short[]> out, BooleanSupplier cancelled) throws Exception {
        Blocks blocks = new Blocks(p, data, out, cancelled);
        try {
            htsMLSAVocoder(p.getlf0Pst(), p.getMcepPst(), p.getStrPst(), p.getMagPst(), p.getVoicedArray(), data, blocks);
        } catch (Stopped s) {
            return false;
        }
        blocks.flush();
        return true;
    }

    /** Scales a block as MaryTTS's amplitude normaliser does; returns the largest amplitude seen so far. */
    static double toPcm(double[] block, int n, double max, short[] into) {
        double local = 0;
        for (int i = 0; i < n; i++) local = Math.max(local, Math.abs(block[i]));
        double m = Math.max(max, local);
        for (int i = 0; i < n; i++) into[i] = (short) Math.round(block[i] / m * 32767.0);
        return m;
    }

    /** Thrown from inside the vocoder's loop to stop it; no stack trace, it is not an error. */
    private static final class Stopped extends RuntimeException {
        Stopped() {
            super(null, null, false, false);
        }
    }

    /**
     * Where the vocoder puts each sample. It is MaryTTS's producer type, because that is what the vocoder accepts, but
     * it is never started as a thread and its queue is never used.
     */
    private final class Blocks extends HTSVocoderDataProducer {
        private final Consumer<short[]> out;
        private final BooleanSupplier cancelled;
        private final double[] block = new double[blockSamples];
        private int n;
        private double max = INITIAL_MAX_AMPLITUDE;

        Blocks(HTSParameterGeneration p, HMMData data, Consumer<short[]> out, BooleanSupplier cancelled) {
            super(p.getMcepPst().getT() * data.getFperiod(), p, data);
            this.out = out;
            this.cancelled = cancelled;
        }

        @Override
        public void putOneDataPoint(double x) {
            block[n++] = x;
            if (n == block.length) {
                if (cancelled.getAsBoolean()) throw new Stopped();
                flush();
            }
        }

        void flush() {
            if (n == 0) return;
            short[] pcm = new short[n];
            max = toPcm(block, n, max, pcm);
            n = 0;
            out.accept(pcm);
        }

        @Override
        public void run() {
            throw new UnsupportedOperationException("vocoded on the caller's thread");
        }
    }
}

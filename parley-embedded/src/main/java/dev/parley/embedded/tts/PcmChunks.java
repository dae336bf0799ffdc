package dev.parley.embedded.tts;

import dev.parley.audio.PcmAudio;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Reads 16-bit little-endian mono PCM from a stream that is still being produced and hands it on in chunks of a
 * fixed length, each as soon as it is complete (the last may be shorter). MaryTTS's HMM voices produce audio this
 * way: the vocoder runs on a thread of its own and blocks once its small queue is full, so a stream must be read to
 * its end even when nobody wants the audio any more; once {@code cancelled} (or {@code out} failed), the rest
 * is read and dropped.
 */
final class PcmChunks {
    private final int chunkSamples;
    private final int sampleRate;

    PcmChunks(int chunkSamples, int sampleRate) {
        if (chunkSamples < 1) throw new IllegalArgumentException("chunk of " + chunkSamples + " samples");
        this.chunkSamples = chunkSamples;
        this.sampleRate = sampleRate;
    }

    /** Reads {@code in} to its end; returns the number of samples handed to {@code out}. */
    long stream(InputStream in, Consumer<PcmAudio> out, BooleanSupplier cancelled) throws IOException {
        byte[] chunk = new byte[chunkSamples * 2];
        int filled = 0;
        long delivered = 0;
        boolean dropping = false;
        RuntimeException failure = null;
        for (int n; (n = in.read(chunk, filled, chunk.length - filled)) >= 0; ) {
            filled += n;
            if (filled < chunk.length) continue;
            dropping = dropping || failure != null || cancelled.getAsBoolean();
            if (!dropping) {
                try {
                    out.accept(PcmAudio.fromLittleEndianBytes(chunk, 0, filled, sampleRate));
                    delivered += chunkSamples;
                } catch (RuntimeException e) {
                    failure = e; // thrown once the stream is read to its end
                }
            }
            filled = 0;
        }
        if (failure != null) throw failure;
        int tail = filled & ~1;
        if (tail > 0 && !dropping && !cancelled.getAsBoolean()) {
            out.accept(PcmAudio.fromLittleEndianBytes(chunk, 0, tail, sampleRate));
            delivered += tail / 2;
        }
        return delivered;
    }
}

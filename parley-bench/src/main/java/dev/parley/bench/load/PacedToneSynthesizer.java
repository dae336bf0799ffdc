package dev.parley.bench.load;

import dev.parley.audio.PcmAudio;
import dev.parley.failover.ProviderEvents;
import dev.parley.tts.SpeechSynthesizer;

import java.util.Arrays;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A synthesizer with a fixed latency that speaks in real time: a phrase's first chunk comes
 * {@link FakeLatencies#ttsMs()} after it was asked for, then a chunk of {@value #CHUNK_MS} ms every
 * {@value #CHUNK_MS} ms, {@value #WORD_MS} ms of a quiet tone per word, as a streaming engine that keeps just ahead
 * of playback delivers it. A reply therefore lasts as long as it would play, and the caller's next turn starts when
 * a listener would have heard it out. Cancellation is noticed within {@link Pause#SLICE_NANOS}.
 */
public final class PacedToneSynthesizer implements SpeechSynthesizer {
    static final int RATE = 24_000;
    static final int CHUNK_MS = 100;
    static final int WORD_MS = 200;
    /** One chunk, shared by every phrase and session: the audio is only read. */
    private static final PcmAudio CHUNK = tone();
    private final long firstAudioNanos;

    public PacedToneSynthesizer(FakeLatencies latencies) {
        this.firstAudioNanos = latencies.ttsMs() * 1_000_000L;
    }

    private static PcmAudio tone() {
        short[] s = new short[RATE * CHUNK_MS / 1000];
        for (int i = 0; i < s.length; i++) s[i] = (short) (1000 * Math.sin(2 * Math.PI * 200 * i / RATE));
        return new PcmAudio(s, RATE);
    }

    @Override
    public int sampleRate() {
        return RATE;
    }

    @Override
    public void synthesize(String text, Consumer<PcmAudio> out, BooleanSupplier cancelled, ProviderEvents events) {
        synthesize(text, out, cancelled);
    }

    /** As the interface's, without its checked exception: the tone never fails. */
    @Override
    public void synthesize(String text, Consumer<PcmAudio> out, BooleanSupplier cancelled) {
        long words = Arrays.stream(text.strip().split("\\s+")).filter(w -> !w.isEmpty()).count();
        long chunks = Math.max(1, words * WORD_MS / CHUNK_MS);
        long first = System.nanoTime() + firstAudioNanos;
        for (long i = 0; i < chunks; i++) {
            if (!Pause.until(first + i * CHUNK_MS * 1_000_000L, cancelled)) return;
            out.accept(CHUNK);
        }
    }
}

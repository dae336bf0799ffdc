package dev.parley.tts;

import dev.parley.failover.ProviderEvents;

import dev.parley.audio.PcmAudio;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** Text to speech, one phrase at a time, delivering audio in chunks as soon as they are ready. */
public interface SpeechSynthesizer extends AutoCloseable {

    /** The rate of the audio this synthesizer delivers. */
    int sampleRate();

    /**
     * Speaks one phrase. Chunks go to {@code out} in order; synthesis stops early (without error) once
     * {@code cancelled} returns true. Provider calls are reported to {@code events} (engines that call no provider
     * ignore it).
     *
     * @throws TtsException when the engine fails; the message is fit to show a user
     */
    void synthesize(String text, Consumer<PcmAudio> out, BooleanSupplier cancelled, ProviderEvents events)
            throws TtsException;

    /** {@link #synthesize(String, Consumer, BooleanSupplier, ProviderEvents)}, with no events: reporting nothing. */
    default void synthesize(String text, Consumer<PcmAudio> out, BooleanSupplier cancelled) throws TtsException {
        synthesize(text, out, cancelled, ProviderEvents.NONE);
    }

    @Override
    default void close() {
    }
}

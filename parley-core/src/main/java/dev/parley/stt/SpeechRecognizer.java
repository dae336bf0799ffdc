package dev.parley.stt;

import dev.parley.failover.ProviderEvents;

/** A speech-to-text engine. Each utterance gets its own {@link RecognitionStream}. */
public interface SpeechRecognizer extends AutoCloseable {

    /** Opens a stream for one utterance of 16 kHz mono PCM16. */
    RecognitionStream open();

    /**
     * Opens a stream whose provider calls are reported to {@code events} (time to first byte, a fallback taking
     * over). Engines that call no provider need not override it.
     */
    default RecognitionStream open(ProviderEvents events) {
        return open();
    }

    @Override
    default void close() {
    }
}

package dev.parley.stt;

import dev.parley.failover.ProviderEvents;

/** A speech-to-text engine. Each utterance gets its own {@link RecognitionStream}. */
public interface SpeechRecognizer extends AutoCloseable {

    /**
     * Opens a stream for one utterance of 16 kHz mono PCM16, whose provider calls are reported to {@code events}
     * (time to first byte, a fallback taking over; engines that call no provider ignore it).
     */
    RecognitionStream open(ProviderEvents events);

    /** Opens a stream as {@link #open(ProviderEvents)}, reporting nothing. */
    default RecognitionStream open() {
        return open(ProviderEvents.NONE);
    }

    @Override
    default void close() {
    }
}

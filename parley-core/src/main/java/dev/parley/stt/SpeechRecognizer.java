package dev.parley.stt;

/** A speech-to-text engine. Each utterance gets its own {@link RecognitionStream}. */
public interface SpeechRecognizer extends AutoCloseable {

    /** Opens a stream for one utterance of 16 kHz mono PCM16. */
    RecognitionStream open();

    @Override
    default void close() {
    }
}

package dev.parley.providers.openai.realtime;

/**
 * A realtime transcription failed (refused key, dropped socket, no final transcript in time, an error event); the
 * message is fit to show a user and never holds the key. Unchecked, as {@link dev.parley.stt.RecognitionStream#finish()}
 * requires, so that the core's fallback recogniser takes over.
 */
public final class RealtimeSttException extends RuntimeException {
    public RealtimeSttException(String message) {
        super(message);
    }

    public RealtimeSttException(String message, Throwable cause) {
        super(message, cause);
    }
}

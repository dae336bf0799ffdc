package dev.parley.providers.deepgram;

/**
 * A Deepgram recognition failed: the handshake was refused (the message names {@code DEEPGRAM_API_KEY} when the key
 * is at fault), the socket broke off or stalled, or Deepgram reported an error. Unchecked because
 * {@link dev.parley.stt.RecognitionStream} methods declare none; the core's fallback recogniser catches it and takes
 * over. The message is one line, fit to show a user, and never holds the key.
 */
public final class DeepgramException extends RuntimeException {
    public DeepgramException(String message, Throwable cause) {
        super(message, cause);
    }

    public DeepgramException(String message) {
        super(message);
    }
}

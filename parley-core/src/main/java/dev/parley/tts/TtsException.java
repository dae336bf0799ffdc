package dev.parley.tts;

/** Speech synthesis failed; the message is fit to show a user. */
public class TtsException extends Exception {
    public TtsException(String message, Throwable cause) {
        super(message, cause);
    }
}

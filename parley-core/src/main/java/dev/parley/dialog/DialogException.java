package dev.parley.dialog;

/** A dialog engine failed to produce a reply; the message is fit to show a user (no secrets). */
public class DialogException extends Exception {
    public DialogException(String message) {
        super(message);
    }

    public DialogException(String message, Throwable cause) {
        super(message, cause);
    }
}

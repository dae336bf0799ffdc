package dev.parley.dialog.skills;

/** A tool was called with arguments it cannot use; the message says what was wrong, for the model to fix. */
public final class ToolArgumentException extends RuntimeException {
    public ToolArgumentException(String message) {
        super(message);
    }
}

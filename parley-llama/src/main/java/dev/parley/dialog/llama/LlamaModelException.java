package dev.parley.dialog.llama;

/**
 * A local model could not be found, fetched, validated or loaded. The message is one line that tells the user what
 * went wrong and what to do; show it as it is, without a stack trace.
 */
public class LlamaModelException extends Exception {

    public LlamaModelException(String message) {
        this(message, null);
    }

    public LlamaModelException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    /** Collapses line breaks and runs of white space, so the message always fits one line. */
    static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s+", " ");
    }
}

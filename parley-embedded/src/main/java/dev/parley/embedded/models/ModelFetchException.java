package dev.parley.embedded.models;

import java.net.URI;

/**
 * A model could not be fetched or installed. The message is a single line that tells the user what
 * went wrong and what to do about it; show it as is, without a stack trace.
 */
public class ModelFetchException extends Exception {

    public ModelFetchException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    public ModelFetchException(String message) {
        this(message, null);
    }

    /** {@code Could not fetch <name> from <uri>: <reason>. <hint>} */
    static ModelFetchException fetch(ModelSpec spec, URI uri, String reason, String hint, Throwable cause) {
        return new ModelFetchException(
                "Could not fetch " + spec.name() + " from " + Source.redact(uri) + ": " + reason + ". " + hint, cause);
    }

    /** Collapses line breaks and runs of white space so the message always fits on one line. */
    static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s+", " ");
    }
}

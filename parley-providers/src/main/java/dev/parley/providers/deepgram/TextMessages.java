package dev.parley.providers.deepgram;

/**
 * The text messages of a Deepgram socket, joined from the fragments the JDK's WebSocket listener is handed: each
 * fragment is added as it comes, and the last one gives the whole message. Used from the listener's thread only.
 */
final class TextMessages {
    private final StringBuilder parts = new StringBuilder();

    /** Adds {@code data}; the whole message when it is the {@code last} fragment, null while more are to come. */
    String add(CharSequence data, boolean last) {
        parts.append(data);
        if (!last) {
            return null;
        }
        String message = parts.toString();
        parts.setLength(0);
        return message;
    }
}

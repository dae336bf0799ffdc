package dev.parley.dialog;

/**
 * A reply being produced, pulled piece by piece (a token, word or phrase at a time). {@link #close()} cancels the
 * production: a blocked {@link #next()} returns null promptly and upstream work (a network request, a generation
 * loop) stops.
 */
public interface TextStream extends AutoCloseable {

    /** The next piece of text, blocking until it is ready; null when the reply is complete or cancelled. */
    String next() throws DialogException;

    @Override
    void close();

    /** A stream over pieces already known. */
    static TextStream of(String... pieces) {
        return new TextStream() {
            private int i;
            private volatile boolean closed;

            @Override
            public String next() {
                return closed || i >= pieces.length ? null : pieces[i++];
            }

            @Override
            public void close() {
                closed = true;
            }
        };
    }
}

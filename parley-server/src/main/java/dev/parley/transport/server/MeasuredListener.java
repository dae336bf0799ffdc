package dev.parley.transport.server;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

import java.nio.ByteBuffer;
import java.util.function.BiConsumer;

/**
 * Reads a WebSocket's messages in parts and hands them whole to Javalin's listener, so that Parley, not Jetty,
 * enforces the hard limit on a message: Jetty, reading whole messages, closes a connection with 1009 before anyone can
 * answer, while this reads up to the limit, then lets the connection answer with an {@code error} event and close
 * with 1009 itself ({@code overLimit}). Binary messages (the protocol has none) are counted, not kept. Public only
 * because Jetty calls its methods through method handles.
 */
public final class MeasuredListener implements Session.Listener.AutoDemanding {
    private final Session.Listener delegate;
    private final long maxTextChars;
    private final long maxBinaryBytes;
    /** Told of a message over its limit: the socket, and what was over (for the error's message). */
    private final BiConsumer<Session, String> overLimit;
    private Session session;
    private StringBuilder text = new StringBuilder();
    private long binaryBytes;
    /** A message went over its limit: the connection is closing, nothing more is read. */
    private boolean over;

    MeasuredListener(Session.Listener delegate, long maxTextChars, long maxBinaryBytes, BiConsumer<Session, String> overLimit) {
        this.delegate = delegate;
        this.maxTextChars = maxTextChars;
        this.maxBinaryBytes = maxBinaryBytes;
        this.overLimit = overLimit;
    }

    @Override
    public void onWebSocketOpen(Session s) {
        this.session = s;
        delegate.onWebSocketOpen(s);
    }

    @Override
    public void onWebSocketPartialText(String part, boolean last) {
        if (over) return;
        if (text.length() + (long) part.length() > maxTextChars) {
            over = true;
            text = new StringBuilder();
            overLimit.accept(session, "a text message over " + maxTextChars + " characters");
            return;
        }
        text.append(part);
        if (last) {
            String whole = text.toString();
            text = new StringBuilder();
            delegate.onWebSocketText(whole);
        }
    }

    @Override
    public void onWebSocketPartialBinary(ByteBuffer part, boolean last, Callback callback) {
        if (over) {
            callback.succeed();
            return;
        }
        binaryBytes += part.remaining();
        if (binaryBytes > maxBinaryBytes) {
            over = true;
            callback.succeed();
            overLimit.accept(session, "a binary message over " + maxBinaryBytes + " bytes");
            return;
        }
        if (!last) {
            callback.succeed();
            return;
        }
        binaryBytes = 0;
        delegate.onWebSocketBinary(ByteBuffer.allocate(0), callback); // its content is not used: it is answered
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        delegate.onWebSocketClose(statusCode, reason, callback);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        delegate.onWebSocketError(cause);
    }
}

package dev.parley.transport.server;

import dev.parley.transport.realtime.RealtimeSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the socket's messages meet the session's size limits. A text message over the event limit is not queued (its
 * text is let go at once): the session answers it, in order with the events before it. A binary message (the
 * protocol has none) is answered the same way. A message over the WebSocket's own hard limit (above the event
 * limit, so that the limit a client meets is the one answered) is not read: the socket closes with 1009.
 */
final class Limits {
    private static final Logger log = LoggerFactory.getLogger(Limits.class);

    private Limits() {
    }

    /** Hands a text message to the session's inbound queue, or an oversized one's answer. */
    static void text(Inbound inbound, RealtimeSession session, String text, int maxEventChars) {
        try {
            if (session != null && text.length() > maxEventChars) {
                int chars = text.length();
                inbound.run(() -> session.onOversized(chars));
            } else {
                inbound.accept(text);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Answers a binary message, in order with the text messages before it. */
    static void binary(Inbound inbound, RealtimeSession session) {
        try {
            inbound.run(session::onBinary);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Logs a message over the WebSocket's hard limit, which the socket refuses to read whole. Jetty has then already
     * sent its close (1009, the reason naming the limit), so no {@code error} event can follow it: Javalin reads
     * messages whole only, and reading them in parts (to answer before closing) would need the socket's own endpoint.
     */
    static void tooLarge(Throwable error, long hardLimit) {
        if (isTooLarge(error)) log.info("closed with 1009: a message over the hard limit of {} bytes", hardLimit);
    }

    static boolean isTooLarge(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t.getClass().getSimpleName().equals("MessageTooLargeException")) return true;
        }
        return false;
    }
}

package dev.parley.transport.server;

import dev.parley.transport.realtime.Ids;
import dev.parley.transport.realtime.RealtimeSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the socket's messages meet the session's size limits. A text message over the event limit is not queued (its
 * text is let go at once): the session answers it, in order with the events before it. A binary message (the
 * protocol has none) is answered the same way. A message over the WebSocket's own hard limit (above the event
 * limit, so that the limit a client meets is the one answered; see {@link MeasuredListener}) is not read further: it
 * is answered, then the connection closes with 1009.
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
     * A message over the socket's hard limit, which is not read further: after the answers to the events before it,
     * the client gets an {@code error} event ({@code message_too_large}), then the connection closes with 1009.
     */
    static void overHardLimit(Inbound inbound, Outbound outbound, String what) {
        String json = "{\"type\":\"error\",\"event_id\":\"" + Ids.next("event") + "\",\"error\":{\"type\":\"invalid_request_error\","
                + "\"code\":\"message_too_large\",\"message\":\"" + what + " is over the server's hard limit and is not read; "
                + "the connection closes (1009)\",\"param\":null,\"event_id\":null}}";
        log.info("closing with 1009: {}", what);
        try {
            inbound.run(() -> {
                outbound.send(json);
                outbound.closeAfterSent(1009, "message too large");
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.parley.transport.server;

import dev.parley.transport.realtime.Ids;
import dev.parley.transport.realtime.RealtimeSession;
import io.javalin.websocket.WsContext;
import org.eclipse.jetty.websocket.api.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the socket's messages meet the session's size limits. A text message over the event limit is not queued (its
 * text is let go at once): the session answers it, in order with the events before it. A binary message (the
 * protocol has none) is answered the same way. A message over the WebSocket's own hard limit, which the socket
 * refuses to read whole, is answered at once, before the socket closes it with 1009.
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

    /** When the socket failed on a message over its hard limit: the error event the client is owed, sent now. */
    static void tooLarge(WsContext ctx, Throwable error) {
        if (!isTooLarge(error)) return;
        String json = "{\"type\":\"error\",\"event_id\":\"" + Ids.next("event") + "\",\"error\":{\"type\":\"invalid_request_error\","
                + "\"code\":\"message_too_large\",\"message\":\"the message is over the server's hard limit and is not read; "
                + "the connection closes (1009)\",\"param\":null,\"event_id\":null}}";
        try {
            ctx.session.sendText(json, Callback.NOOP);
        } catch (RuntimeException e) {
            log.debug("could not answer an oversized message: {}", e.toString());
        }
    }

    static boolean isTooLarge(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t.getClass().getSimpleName().equals("MessageTooLargeException")) return true;
        }
        return false;
    }
}

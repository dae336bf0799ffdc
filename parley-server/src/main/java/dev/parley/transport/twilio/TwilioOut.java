package dev.parley.transport.twilio;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Base64;

/** The messages Parley sends Twilio on a bidirectional Media Stream: {@code media}, {@code mark} and {@code clear}. */
final class TwilioOut {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private TwilioOut() {
    }

    /** Audio for the caller: μ-law bytes at 8 kHz, base64, no header. */
    static String media(String streamSid, byte[] ulaw) {
        ObjectNode m = message("media", streamSid);
        m.putObject("media").put("payload", Base64.getEncoder().encodeToString(ulaw));
        return m.toString();
    }

    /** A mark after the audio sent so far: Twilio sends it back once that audio has played. */
    static String mark(String streamSid, String name) {
        ObjectNode m = message("mark", streamSid);
        m.putObject("mark").put("name", name);
        return m.toString();
    }

    /** Drops the audio Twilio holds and has not played yet (the caller spoke over it). */
    static String clear(String streamSid) {
        return message("clear", streamSid).toString();
    }

    private static ObjectNode message(String event, String streamSid) {
        ObjectNode m = NODES.objectNode();
        m.put("event", event);
        m.put("streamSid", streamSid);
        return m;
    }
}

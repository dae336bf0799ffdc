package dev.parley.transport.realtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.dialog.Message;

import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * Server events as JSON: the trees of the events (built from the state they report, by its holder) and their text
 * (written by the {@link ServerEventQueue}, outside any lock).
 */
final class ServerEvents {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ServerEvents() {
    }

    /** A server event of {@code type} with a fresh {@code event_id}. */
    static ObjectNode event(String type) {
        ObjectNode e = NODES.objectNode();
        e.put("type", type);
        e.put("event_id", Ids.next("event"));
        return e;
    }

    /** {@code session.created} or {@code session.updated}. */
    static ObjectNode session(String type, SessionSettings settings, String sessionId) {
        ObjectNode e = event(type);
        e.set("session", settings.toJson(sessionId));
        return e;
    }

    static ObjectNode error(String type, String code, String message, String param, String eventId) {
        ObjectNode e = event("error");
        ObjectNode err = e.putObject("error");
        err.put("type", type);
        err.put("code", code);
        err.put("message", message);
        err.put("param", param);
        err.put("event_id", eventId);
        return e;
    }

    /** An event about one item: its {@code item_id} first. */
    static ObjectNode aboutItem(String type, String itemId) {
        ObjectNode e = event(type);
        e.put("item_id", itemId);
        return e;
    }

    /** An event that places {@code item} in the conversation, after {@code previousItemId}. */
    static ObjectNode placed(String type, String previousItemId, Item item) {
        ObjectNode e = event(type);
        e.put("previous_item_id", previousItemId);
        e.set("item", item(item));
        return e;
    }

    static ObjectNode responseEvent(String type, Response r, String conversationId, String voice) {
        ObjectNode e = event(type);
        e.set("response", response(r, conversationId, voice));
        return e;
    }

    static ObjectNode outputItem(String type, Response r) {
        ObjectNode e = event(type);
        e.put("response_id", r.id);
        e.put("output_index", 0);
        e.set("item", item(r.item));
        return e;
    }

    /** An event about the one content part of response {@code r}'s item. */
    static ObjectNode responsePart(String type, Response r) {
        return responsePart(event(type), r.id, r.item.id);
    }

    static ObjectNode audioPart(String transcript) {
        ObjectNode p = NODES.objectNode();
        p.put("type", "audio");
        p.put("transcript", transcript);
        return p;
    }

    /** {@code parley.wake}: a wake phrase was heard, ending at {@code audioEndMs} of the input audio. */
    static ObjectNode wake(String phrase, long audioEndMs) {
        ObjectNode e = event("parley.wake");
        e.put("word", phrase);
        e.put("audio_end_ms", audioEndMs);
        return e;
    }

    /** {@code parley.latency}: the waterfall of response {@code r} at the listener's ear. */
    static ObjectNode latency(Response r, Map<String, Double> stages) {
        ObjectNode e = event("parley.latency");
        e.put("response_id", r.id);
        e.put("item_id", r.item.id);
        ObjectNode wf = e.putObject("waterfall");
        stages.forEach((k, v) -> wf.put(k, Math.round(v * 10) / 10.0));
        return e;
    }

    /** {@code response.output_audio.delta}: the chunk's bytes in the output format, in Base64. */
    static String audioDelta(String eventId, String responseId, String itemId, byte[] audio) {
        ObjectNode e = NODES.objectNode();
        e.put("type", "response.output_audio.delta");
        e.put("event_id", eventId);
        responsePart(e, responseId, itemId);
        e.put("delta", Base64.getEncoder().encodeToString(audio));
        return write(e);
    }

    static String write(ObjectNode event) {
        try {
            return JSON.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode responsePart(ObjectNode e, String responseId, String itemId) {
        e.put("response_id", responseId);
        e.put("item_id", itemId);
        e.put("output_index", 0);
        e.put("content_index", 0);
        return e;
    }

    static ObjectNode item(Item item) {
        ObjectNode n = NODES.objectNode();
        n.put("id", item.id);
        n.put("object", "realtime.item");
        n.put("type", "message");
        n.put("status", item.status);
        n.put("role", item.role.name().toLowerCase(Locale.ROOT));
        ArrayNode content = n.putArray("content");
        if (item.typed) {
            ObjectNode c = content.addObject();
            c.put("type", item.role == Message.Role.ASSISTANT ? "output_text" : "input_text");
            c.put("text", item.text);
        } else if (item.role == Message.Role.USER) {
            ObjectNode c = content.addObject();
            c.put("type", "input_audio");
            c.put("transcript", item.text);
        } else if (item.text != null) {
            ObjectNode c = content.addObject();
            c.put("type", "output_audio");
            c.put("transcript", item.text);
        }
        return n;
    }

    static ObjectNode response(Response r, String conversationId, String voice) {
        ObjectNode n = NODES.objectNode();
        n.put("object", "realtime.response");
        n.put("id", r.id);
        n.put("status", r.status);
        if (r.status.equals("in_progress") || r.status.equals("completed")) {
            n.putNull("status_details");
        } else {
            ObjectNode d = n.putObject("status_details");
            d.put("type", r.status);
            if (r.reason != null) d.put("reason", r.reason);
            if (r.status.equals("failed")) d.putObject("error").put("type", "server_error").put("code", "tts_failed");
        }
        ArrayNode output = n.putArray("output");
        if (r.done) output.add(item(r.item));
        n.put("conversation_id", conversationId);
        n.putArray("output_modalities").add("audio");
        n.put("max_output_tokens", "inf");
        ObjectNode audio = n.putObject("audio").putObject("output");
        audio.set("format", r.format.toJson());
        audio.put("voice", voice);
        n.putNull("usage");
        if (r.done && r.waterfall != null) {
            ObjectNode m = n.putObject("metadata");
            r.waterfall.stagesMs().forEach((k, v) -> m.put("latency_" + k + "_ms", String.valueOf(Math.round(v * 10) / 10.0)));
            r.waterfall.providerTtfbMs().forEach((k, v) -> m.put("latency_ttfb_" + k + "_ms", String.valueOf(Math.round(v * 10) / 10.0)));
        } else {
            n.putNull("metadata");
        }
        return n;
    }
}

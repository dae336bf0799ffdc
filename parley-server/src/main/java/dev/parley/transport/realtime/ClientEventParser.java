package dev.parley.transport.realtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.dialog.Message;

import java.util.Base64;
import java.util.Set;

/**
 * Reads one client event (one WebSocket text message) and checks it: a {@link ClientEvent}, or a
 * {@link ProtocolException} that names what is wrong.
 */
public final class ClientEventParser {
    /** OpenAI client events Parley knows of but does not act on: named as such rather than as unknown. */
    private static final Set<String> UNSUPPORTED = Set.of("output_audio_buffer.clear", "transcription_session.update");

    private final ObjectMapper json;

    public ClientEventParser() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).maxNestingDepth(64).build())
                .build();
        this.json = new ObjectMapper(factory);
    }

    /** The event_id of a message that could not be parsed as an event, when one can still be read; else null. */
    public String eventIdOf(String text) {
        try {
            JsonNode n = json.readTree(text);
            return n != null && n.path("event_id").isTextual() ? n.get("event_id").asText() : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    public ClientEvent parse(String text) throws ProtocolException {
        JsonNode root;
        try {
            root = json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ProtocolException("invalid_json", "the message is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ProtocolException("invalid_json", "an event must be a JSON object");
        }
        JsonNode typeNode = root.get("type");
        if (typeNode == null || !typeNode.isTextual()) {
            throw new ProtocolException("invalid_event", "the event has no \"type\"", "type");
        }
        JsonNode eventIdNode = root.get("event_id");
        String eventId = eventIdNode != null && eventIdNode.isTextual() ? eventIdNode.asText() : null;
        String type = typeNode.asText();
        return switch (type) {
            case "session.update" -> new ClientEvent.SessionUpdate(eventId, object(root, "session"));
            case "input_audio_buffer.append" -> new ClientEvent.AudioAppend(eventId, audio(text(root, "audio", true)));
            case "input_audio_buffer.commit" -> new ClientEvent.AudioCommit(eventId);
            case "input_audio_buffer.clear" -> new ClientEvent.AudioClear(eventId);
            case "conversation.item.create" -> itemCreate(eventId, object(root, "item"));
            case "conversation.item.retrieve" -> new ClientEvent.ItemRetrieve(eventId, text(root, "item_id", false));
            case "conversation.item.delete" -> new ClientEvent.ItemDelete(eventId, text(root, "item_id", false));
            case "conversation.item.truncate" -> new ClientEvent.ItemTruncate(eventId, text(root, "item_id", false),
                    (int) integer(root, "content_index", 0, 0), integer(root, "audio_end_ms", 0, Integer.MAX_VALUE));
            case "response.create" -> {
                if (root.has("response") && !root.get("response").isObject() && !root.get("response").isNull()) {
                    throw new ProtocolException("invalid_value", "\"response\" must be an object", "response");
                }
                yield new ClientEvent.ResponseCreate(eventId);
            }
            case "response.cancel" -> new ClientEvent.ResponseCancel(eventId, optionalText(root, "response_id"));
            case "parley.playback.started" -> new ClientEvent.PlaybackStarted(eventId, text(root, "response_id", false),
                    optionalText(root, "item_id"), number(root, "buffered_ms"), number(root, "output_latency_ms"));
            default -> {
                if (UNSUPPORTED.contains(type)) {
                    throw new ProtocolException("unsupported_event", "Parley does not support \"" + type + "\"", "type");
                }
                throw new ProtocolException("unknown_event", "unknown event type \"" + clip(type) + "\"", "type");
            }
        };
    }

    private static ClientEvent itemCreate(String eventId, JsonNode item) throws ProtocolException {
        String kind = item.path("type").asText("message");
        if (!kind.equals("message")) {
            throw new ProtocolException("invalid_value", "Parley takes message items only, not \"" + clip(kind) + "\"", "item.type");
        }
        JsonNode roleNode = item.get("role");
        if (roleNode == null || !roleNode.isTextual()) {
            throw new ProtocolException("missing_required_parameter", "the item has no \"role\"", "item.role");
        }
        Message.Role role = switch (roleNode.asText()) {
            case "user" -> Message.Role.USER;
            case "assistant" -> Message.Role.ASSISTANT;
            case "system" -> Message.Role.SYSTEM;
            default -> throw new ProtocolException("invalid_value", "role must be user, assistant or system", "item.role");
        };
        JsonNode content = item.get("content");
        if (content == null || !content.isArray() || content.isEmpty()) {
            throw new ProtocolException("missing_required_parameter", "the item has no \"content\"", "item.content");
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            String partType = part.path("type").asText("");
            String value = switch (partType) {
                case "input_text", "output_text", "text" -> part.path("text").isTextual() ? part.get("text").asText() : null;
                default -> throw new ProtocolException("invalid_value",
                        "Parley takes text content only (input_text, output_text, text), not \"" + clip(partType) + "\"",
                        "item.content[" + i + "].type");
            };
            if (value == null) {
                throw new ProtocolException("missing_required_parameter", "the content part has no \"text\"", "item.content[" + i + "].text");
            }
            if (!text.isEmpty()) text.append(' ');
            text.append(value);
        }
        String id = item.path("id").isTextual() ? item.get("id").asText() : null;
        if (id != null && (id.isEmpty() || id.length() > 64)) {
            throw new ProtocolException("invalid_value", "an item id must have 1 to 64 characters", "item.id");
        }
        return new ClientEvent.ItemCreate(eventId, id, new Message(role, text.toString().strip()));
    }

    private static byte[] audio(String base64) throws ProtocolException {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("invalid_audio", "\"audio\" is not valid base64: " + e.getMessage(), "audio");
        }
    }

    private static JsonNode object(JsonNode root, String field) throws ProtocolException {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) throw new ProtocolException("missing_required_parameter", "missing \"" + field + "\"", field);
        if (!n.isObject()) throw new ProtocolException("invalid_value", "\"" + field + "\" must be an object", field);
        return n;
    }

    private static String text(JsonNode root, String field, boolean mayBeEmpty) throws ProtocolException {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) throw new ProtocolException("missing_required_parameter", "missing \"" + field + "\"", field);
        if (!n.isTextual()) throw new ProtocolException("invalid_value", "\"" + field + "\" must be a string", field);
        if (!mayBeEmpty && n.asText().isEmpty()) throw new ProtocolException("invalid_value", "\"" + field + "\" is empty", field);
        return n.asText();
    }

    private static String optionalText(JsonNode root, String field) throws ProtocolException {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) return null;
        if (!n.isTextual()) throw new ProtocolException("invalid_value", "\"" + field + "\" must be a string", field);
        return n.asText();
    }

    private static long integer(JsonNode root, String field, long min, long max) throws ProtocolException {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) throw new ProtocolException("missing_required_parameter", "missing \"" + field + "\"", field);
        if (!n.isIntegralNumber() || n.asLong() < min || n.asLong() > max) {
            throw new ProtocolException("invalid_value", "\"" + field + "\" must be an integer from " + min + " to " + max, field);
        }
        return n.asLong();
    }

    private static double number(JsonNode root, String field) throws ProtocolException {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) return 0;
        if (!n.isNumber() || n.asDouble() < 0 || n.asDouble() > 60_000) {
            throw new ProtocolException("invalid_value", "\"" + field + "\" must be a number of milliseconds", field);
        }
        return n.asDouble();
    }

    private static String clip(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }
}

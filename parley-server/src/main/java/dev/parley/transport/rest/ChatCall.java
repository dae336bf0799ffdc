package dev.parley.transport.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.dialog.Message;

import java.util.ArrayList;
import java.util.List;

/**
 * The body of {@code POST /v1/chat/completions} as the brain takes it: the conversation before the last message
 * (one leading system message joining every {@code system} and {@code developer} message, then the {@code user} and
 * {@code assistant} messages; {@code tool} messages and tool calls are left out, as the brain calls no tools of the
 * caller's), the last message (which must be the user's), and {@code model}, {@code stream},
 * {@code stream_options.include_usage}. {@code temperature}, {@code max_tokens}, {@code tools} and the like are
 * accepted and left to the brain's own settings; {@code n} above 1 is refused.
 */
record ChatCall(String model, List<Message> history, String userText, boolean stream, boolean includeUsage, int promptChars) {

    static ChatCall parse(JsonNode body) {
        String model = JsonBody.string(body, "model");
        JsonNode messages = body.get("messages");
        if (messages == null || messages.isNull()) throw ApiError.missing("messages");
        if (!messages.isArray()) throw ApiError.badRequest("messages", "invalid_type", "messages must be an array");
        if (messages.isEmpty()) {
            throw ApiError.badRequest("messages", "empty_array", "messages must hold at least one message");
        }
        boolean stream = JsonBody.bool(body, "stream", false);
        JsonNode options = body.get("stream_options");
        boolean usage = options != null && options.isObject() && options.path("include_usage").asBoolean(false);
        JsonNode n = body.get("n");
        if (n != null && !n.isNull() && (!n.canConvertToInt() || n.asInt() != 1)) {
            throw ApiError.badRequest("n", "unsupported_value", "this server makes one choice (n: 1)");
        }
        StringBuilder system = new StringBuilder();
        List<Message> turns = new ArrayList<>();
        int chars = 0;
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String param = "messages[" + i + "]";
            if (!m.isObject()) throw ApiError.badRequest(param, "invalid_type", param + " must be an object");
            String role = m.path("role").asText("");
            String text = content(m.get("content"), param + ".content", role);
            chars += text.length();
            switch (role) {
                case "system", "developer" -> system.append(system.isEmpty() ? "" : "\n").append(text);
                case "user" -> turns.add(Message.user(text));
                case "assistant" -> {
                    if (!text.isEmpty()) turns.add(Message.assistant(text));
                }
                case "tool", "function" -> {
                    // a result of the caller's tool: the brain calls none, so it has nothing to pair it with
                }
                default -> throw ApiError.badRequest(param + ".role", "invalid_value", param
                        + ".role must be one of system, developer, user, assistant or tool");
            }
        }
        if (turns.isEmpty() || turns.getLast().role() != Message.Role.USER) {
            throw ApiError.badRequest("messages", "invalid_value", "the last message must be the user's: the brain "
                    + "answers the user");
        }
        String user = turns.removeLast().text();
        List<Message> history = new ArrayList<>();
        if (!system.isEmpty()) history.add(new Message(Message.Role.SYSTEM, system.toString()));
        history.addAll(turns);
        return new ChatCall(model, List.copyOf(history), user, stream, usage, chars);
    }

    /** A message's content: a string, or an array of {@code text} parts. */
    private static String content(JsonNode content, String param, String role) {
        if (content == null || content.isNull()) {
            if (role.equals("assistant") || role.equals("tool")) return "";
            throw ApiError.missing(param);
        }
        if (content.isTextual()) return content.asText();
        if (!content.isArray()) throw ApiError.badRequest(param, "invalid_type", param + " must be a string or an array of parts");
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            String type = part.path("type").asText("");
            if (!type.equals("text") || !part.path("text").isTextual()) {
                throw ApiError.badRequest(param, "unsupported_value", "this server takes text parts only (type: text)");
            }
            text.append(part.get("text").asText());
        }
        return text.toString();
    }
}

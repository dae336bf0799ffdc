package dev.parley.transport.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON of one completion in OpenAI's shapes: the {@code chat.completion} object, and the
 * {@code chat.completion.chunk} events of a stream (the first carrying {@code role}, then {@code content} deltas, a
 * last one with {@code finish_reason: "stop"}, and with {@code include_usage} a chunk of {@code usage} and no
 * choices, while every other chunk has {@code usage: null}). Token counts are estimates (a token per four
 * characters): the brain does not count tokens.
 */
final class ChatChunks {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String id;
    private final String model;
    private final long created;
    private final boolean includeUsage;

    ChatChunks(String id, String model, long created, boolean includeUsage) {
        this.id = id;
        this.model = model;
        this.created = created;
        this.includeUsage = includeUsage;
    }

    /** The whole completion. */
    String completion(String content, int promptChars) {
        ObjectNode root = head("chat.completion");
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", content).putNull("refusal")
                .putArray("annotations");
        choice.putNull("logprobs");
        choice.put("finish_reason", "stop");
        root.set("usage", usage(promptChars, content.length()));
        return root.toString();
    }

    /** The first chunk: the role, no content yet. */
    String roleChunk() {
        ObjectNode root = chunk(null);
        ((ObjectNode) root.get("choices").get(0).get("delta")).put("role", "assistant").put("content", "");
        return root.toString();
    }

    /** A piece of the content. */
    String contentChunk(String piece) {
        ObjectNode root = chunk(null);
        ((ObjectNode) root.get("choices").get(0).get("delta")).put("content", piece);
        return root.toString();
    }

    /** The chunk that ends the choice. */
    String stopChunk() {
        return chunk("stop").toString();
    }

    /** The usage chunk, sent last when asked for. */
    String usageChunk(int promptChars, int completionChars) {
        ObjectNode root = head("chat.completion.chunk");
        root.putArray("choices");
        root.set("usage", usage(promptChars, completionChars));
        return root.toString();
    }

    private ObjectNode chunk(String finishReason) {
        ObjectNode root = head("chat.completion.chunk");
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("delta");
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        if (includeUsage) root.putNull("usage");
        return root;
    }

    private ObjectNode head(String object) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", id);
        root.put("object", object);
        root.put("created", created);
        root.put("model", model);
        root.putNull("system_fingerprint");
        return root;
    }

    private static ObjectNode usage(int promptChars, int completionChars) {
        int prompt = tokens(promptChars);
        int completion = tokens(completionChars);
        return JSON.createObjectNode().put("prompt_tokens", prompt).put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
    }

    static int tokens(int chars) {
        return (chars + 3) / 4;
    }
}

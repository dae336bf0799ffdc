package dev.parley.providers.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Server-sent events exactly as OpenAI's {@code /v1/chat/completions} streams them (with
 * {@code stream_options.include_usage}, so every chunk carries {@code "usage":null} and a last chunk with empty
 * {@code choices} carries the counts), for the fakes to send.
 */
final class OpenAiWire {
    static final String ID = "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG";
    static final String DONE = "data: [DONE]\n\n";
    private static final ObjectMapper JSON = new ObjectMapper();

    private OpenAiWire() {
    }

    /** One {@code chat.completion.chunk} event whose choice 0 has {@code delta} and {@code finishReason}. */
    static String chunk(ObjectNode delta, String finishReason) {
        ObjectNode c = envelope();
        ObjectNode choice = c.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        c.putNull("usage");
        return "data: " + c + "\n\n";
    }

    /** The first chunk: the role and empty content. */
    static String role() {
        return chunk(JSON.createObjectNode().put("role", "assistant").put("content", "").putNull("refusal"), null);
    }

    static String content(String text) {
        return chunk(JSON.createObjectNode().put("content", text), null);
    }

    /** A tool call's first fragment: id, type, name and empty arguments. */
    static String toolStart(int index, String id, String name) {
        ObjectNode delta = JSON.createObjectNode();
        ObjectNode call = delta.putArray("tool_calls").addObject().put("index", index).put("id", id)
                .put("type", "function");
        call.putObject("function").put("name", name).put("arguments", "");
        return chunk(delta, null);
    }

    /** A later fragment of a tool call: a piece of its arguments. */
    static String toolArgs(int index, String argumentsPiece) {
        ObjectNode delta = JSON.createObjectNode();
        delta.putArray("tool_calls").addObject().put("index", index).putObject("function")
                .put("arguments", argumentsPiece);
        return chunk(delta, null);
    }

    /** The last chunk of a choice: empty delta and the finish reason. */
    static String finish(String reason) {
        return chunk(JSON.createObjectNode(), reason);
    }

    /** The usage chunk sent after the finish when {@code include_usage} was asked for. */
    static String usage(int prompt, int completion) {
        ObjectNode c = envelope();
        c.putArray("choices");
        ObjectNode u = c.putObject("usage").put("prompt_tokens", prompt).put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
        u.putObject("prompt_tokens_details").put("cached_tokens", 0).put("audio_tokens", 0);
        u.putObject("completion_tokens_details").put("reasoning_tokens", 0).put("audio_tokens", 0)
                .put("accepted_prediction_tokens", 0).put("rejected_prediction_tokens", 0);
        return "data: " + c + "\n\n";
    }

    /** A whole spoken reply: role, the pieces, finish "stop", usage and [DONE]. */
    static String reply(String... pieces) {
        StringBuilder sb = new StringBuilder(role());
        for (String p : pieces) {
            sb.append(content(p));
        }
        return sb.append(finish("stop")).append(usage(57, pieces.length)).append(DONE).toString();
    }

    /** The error OpenAI sends as a response body or inside a stream. */
    static String error(String message, String type, String code) {
        ObjectNode e = JSON.createObjectNode();
        ObjectNode err = e.putObject("error").put("message", message).put("type", type);
        err.putNull("param");
        if (code == null) {
            err.putNull("code");
        } else {
            err.put("code", code);
        }
        return e.toString();
    }

    private static ObjectNode envelope() {
        return JSON.createObjectNode().put("id", ID).put("object", "chat.completion.chunk")
                .put("created", 1741569952).put("model", "gpt-4o-mini-2024-07-18")
                .put("service_tier", "default").put("system_fingerprint", "fp_06737a9306");
    }
}

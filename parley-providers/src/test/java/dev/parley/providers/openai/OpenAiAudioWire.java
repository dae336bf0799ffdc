package dev.parley.providers.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;

/**
 * What OpenAI's audio endpoints answer, exactly as the API reference (github.com/xiqi/openai-api-markdown,
 * {@code audio/createTranscription.md}, {@code audio/json-object.md}, {@code audio/transcript-text-delta-event.md},
 * {@code audio/transcript-text-done-event.md}) shows it, for the fakes to send.
 */
final class OpenAiAudioWire {
    private static final ObjectMapper JSON = new ObjectMapper();

    private OpenAiAudioWire() {
    }

    /** One {@code logprobs} item: token, logprob and the token's UTF-8 bytes. */
    private static void logprob(ArrayNode into, String token, double logprob) {
        ObjectNode t = into.addObject().put("token", token).put("logprob", logprob);
        ArrayNode bytes = t.putArray("bytes");
        for (byte b : token.getBytes(StandardCharsets.UTF_8)) {
            bytes.add(b & 0xff);
        }
    }

    /** A {@code transcript.text.delta} event with one token's log probability. */
    static String delta(String delta, double logprob) {
        ObjectNode e = JSON.createObjectNode().put("type", "transcript.text.delta").put("delta", delta);
        logprob(e.putArray("logprobs"), delta, logprob);
        return "data: " + e + "\n\n";
    }

    /** A {@code transcript.text.done} event: the text, each token's log probability, and token usage. */
    static String done(String[] tokens, double[] logprobs) {
        ObjectNode e = JSON.createObjectNode().put("type", "transcript.text.done").put("text", String.join("", tokens));
        ArrayNode lp = e.putArray("logprobs");
        for (int i = 0; i < tokens.length; i++) {
            logprob(lp, tokens[i], logprobs[i]);
        }
        ObjectNode usage = e.putObject("usage").put("input_tokens", 14);
        usage.putObject("input_token_details").put("text_tokens", 0).put("audio_tokens", 14);
        usage.put("output_tokens", tokens.length).put("total_tokens", 14 + tokens.length);
        return "data: " + e + "\n\n";
    }

    /** The transcription object ({@code response_format=json}) with token log probabilities, or without if null. */
    static String json(String[] tokens, double[] logprobs) {
        ObjectNode o = JSON.createObjectNode().put("text", String.join("", tokens));
        if (logprobs != null) {
            ArrayNode lp = o.putArray("logprobs");
            for (int i = 0; i < tokens.length; i++) {
                logprob(lp, tokens[i], logprobs[i]);
            }
            ObjectNode usage = o.putObject("usage").put("type", "tokens").put("input_tokens", 14);
            usage.putObject("input_token_details").put("text_tokens", 0).put("audio_tokens", 14);
            usage.put("output_tokens", tokens.length).put("total_tokens", 14 + tokens.length);
        } else {
            o.putObject("usage").put("type", "duration").put("seconds", 1);
        }
        return o.toString();
    }

    /** The error OpenAI sends as a response body. */
    static String error(String message, String type, String code) {
        return OpenAiWire.error(message, type, code);
    }
}

package dev.parley.providers.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.providers.http.ApiException;
import dev.parley.providers.http.ApiException.StreamFailed;
import dev.parley.providers.http.ApiException.StreamFailed.Reason;
import dev.parley.providers.http.HttpErrors;
import dev.parley.providers.http.Redactor;
import dev.parley.providers.http.Secret;
import dev.parley.providers.http.SseEvent;
import dev.parley.providers.http.SseStream;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One streamed chat completion, read as {@link ChatDelta}s: the {@code chat.completion.chunk} events of an
 * {@link SseStream} decoded, with the tool calls' fragments joined.
 *
 * <p>Tool calls arrive as fragments keyed by {@code index}: the first carries {@code id}, {@code type} and
 * {@code function.name} (and usually empty {@code arguments}), the following ones pieces of {@code arguments}. They
 * are joined per index and handed over whole, in index order, as one {@link ChatDelta.ToolCalls} when the choice
 * finishes (or the stream ends). A server that omits the index gets the fragment's position; one that omits the
 * id gets {@code call_<index>}; empty arguments become {@code {}}.
 *
 * <p>The stream ends at {@code data: [DONE]} (the body is then {@linkplain SseStream#release() released}, not
 * waited for). A
 * body that ends without {@code [DONE]} is accepted if a {@code finish_reason} came, and is otherwise a reply that
 * broke off. A chunk that is not JSON, or an {@code error} object (or {@code event: error}) inside the stream, is an
 * {@link ApiException.StreamFailed}. Only choice 0 is read; {@code reasoning_content} and {@code refusal} are not
 * spoken. One consumer thread; {@link #close()} from any thread.
 */
public final class ChatStream implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SseStream sse;
    private final Secret apiKey;
    private final Deque<ChatDelta> ready = new ArrayDeque<>();
    private final Map<Integer, PartialCall> calls = new TreeMap<>();
    private volatile boolean closed;
    private boolean done;
    private boolean finishSeen;

    ChatStream(SseStream sse, Secret apiKey) {
        this.sse = sse;
        this.apiKey = apiKey;
    }

    /**
     * The next delta, blocking until it is known; null at the end of the completion or once closed.
     *
     * @throws ApiException the request failed, timed out, broke off, was malformed, or the server reported an error
     */
    public ChatDelta next() throws ApiException {
        while (ready.isEmpty()) {
            if (done || closed) {
                return null;
            }
            SseEvent event;
            try {
                event = sse.next();
            } catch (ApiException e) {
                done = true;
                throw e;
            }
            if (event == null) {
                if (closed) {
                    return null;
                }
                done = true;
                if (!finishSeen) {
                    throw new StreamFailed(Reason.DROPPED, "the stream ended before the reply was complete", null);
                }
                flushCalls();
            } else {
                handle(event);
            }
        }
        return ready.poll();
    }

    /** How many times the request was sent (1 plus retries). */
    public int attempts() {
        return sse.attempts();
    }

    /** Cancels the completion: the upstream connection is closed and a blocked {@link #next()} returns null. */
    @Override
    public void close() {
        closed = true;
        sse.close();
    }

    private void handle(SseEvent event) throws ApiException {
        String data = event.data().strip();
        if (data.equals("[DONE]")) {
            flushCalls();
            done = true;
            sse.release(); // nothing follows [DONE]: do not wait for the body's end, but let it end (keep-alive)
            return;
        }
        JsonNode chunk = parse(data);
        if (event.type().equals("error") || (chunk != null && chunk.hasNonNull("error"))) {
            String message = chunk != null && chunk.isObject() ? HttpErrors.apiMessage(chunk, apiKey)
                    : HttpErrors.apiMessage(JSON.createObjectNode().put("error", data), apiKey);
            throw fail(Reason.ERROR_EVENT, message.isEmpty() ? "no details given" : message);
        }
        if (chunk == null) {
            throw fail(Reason.MALFORMED, "a chunk was not valid JSON");
        }
        if (!chunk.isObject()) {
            throw fail(Reason.MALFORMED, "a chunk was not a JSON object");
        }
        for (JsonNode choice : chunk.path("choices")) {
            if (choice.path("index").asInt(0) == 0) {
                handleChoice(choice);
            }
        }
        JsonNode usage = chunk.path("usage");
        if (usage.isObject()) {
            ready.add(new ChatDelta.Usage(usage.path("prompt_tokens").asInt(), usage.path("completion_tokens").asInt(),
                    usage.path("total_tokens").asInt()));
        }
    }

    private void handleChoice(JsonNode choice) throws ApiException {
        JsonNode delta = choice.path("delta");
        JsonNode content = delta.path("content");
        if (content.isTextual() && !content.asText().isEmpty()) {
            ready.add(new ChatDelta.Content(content.asText()));
        }
        JsonNode toolCalls = delta.path("tool_calls");
        for (int i = 0; i < toolCalls.size(); i++) {
            JsonNode fragment = toolCalls.get(i);
            int index = fragment.path("index").asInt(i);
            PartialCall call = calls.computeIfAbsent(index, k -> new PartialCall());
            call.add(fragment);
        }
        JsonNode finish = choice.path("finish_reason");
        if (finish.isTextual()) {
            finishSeen = true;
            flushCalls();
            ready.add(new ChatDelta.Finished(finish.asText()));
        }
    }

    private void flushCalls() throws ApiException {
        if (calls.isEmpty()) {
            return;
        }
        List<ToolCall> whole = new ArrayList<>();
        for (Map.Entry<Integer, PartialCall> e : calls.entrySet()) {
            PartialCall p = e.getValue();
            if (p.name.isEmpty()) {
                throw fail(Reason.MALFORMED, "tool call " + e.getKey() + " had no function name");
            }
            String id = p.id.isEmpty() ? "call_" + e.getKey() : p.id;
            String args = p.arguments.toString().isBlank() ? "{}" : p.arguments.toString();
            whole.add(new ToolCall(id, p.name, args));
        }
        calls.clear();
        ready.add(new ChatDelta.ToolCalls(whole));
    }

    private ApiException fail(Reason reason, String detail) {
        done = true;
        sse.close();
        return new StreamFailed(reason, Redactor.redact(detail, apiKey), null);
    }

    /** The chunk as JSON, or null if it is not JSON. */
    private static JsonNode parse(String data) {
        try {
            return JSON.readTree(data);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** The fragments of one tool call so far. */
    private static final class PartialCall {
        private String id = "";
        private String name = "";
        private final StringBuilder arguments = new StringBuilder();

        void add(JsonNode fragment) {
            String fid = fragment.path("id").asText("");
            if (id.isEmpty()) {
                id = fid;
            }
            JsonNode function = fragment.path("function");
            String fname = function.path("name").asText("");
            if (name.isEmpty()) {
                name = fname;
            } else if (!fname.isEmpty() && !fname.equals(name)) {
                name += fname; // a server that streams the name in pieces
            }
            JsonNode args = function.path("arguments");
            if (args.isTextual()) {
                arguments.append(args.asText());
            } else if (args.isObject()) {
                arguments.append(args); // a server that sends the arguments as an object, whole
            }
        }
    }
}

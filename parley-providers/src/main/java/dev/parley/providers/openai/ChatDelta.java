package dev.parley.providers.openai;

import java.util.List;
import java.util.Objects;

/** What a streamed completion yields, in order: text pieces, then the tool calls, the finish, the token usage. */
public sealed interface ChatDelta {

    /** A piece of the reply's text (never empty). */
    record Content(String text) implements ChatDelta {
        public Content {
            Objects.requireNonNull(text, "text");
        }
    }

    /** Every tool call of the reply, each whole (its fragments joined by {@code index}), in index order. */
    record ToolCalls(List<ToolCall> calls) implements ChatDelta {
        public ToolCalls {
            calls = List.copyOf(calls);
        }
    }

    /** The reply ended: {@code stop}, {@code length}, {@code tool_calls}, {@code content_filter}, … */
    record Finished(String reason) implements ChatDelta {
        public Finished {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The token counts, when the server sends them (OpenAI with {@code include_usage}, some others always). */
    record Usage(int promptTokens, int completionTokens, int totalTokens) implements ChatDelta {
    }
}

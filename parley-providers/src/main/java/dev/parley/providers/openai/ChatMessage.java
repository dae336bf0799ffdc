package dev.parley.providers.openai;

import java.util.List;
import java.util.Objects;

/** One message of a Chat Completions conversation, in the four roles the API knows. */
public sealed interface ChatMessage {

    /** Instructions ({@code role: system}). */
    record SystemMessage(String content) implements ChatMessage {
        public SystemMessage {
            Objects.requireNonNull(content, "content");
        }
    }

    /** What the user said ({@code role: user}). */
    record UserMessage(String content) implements ChatMessage {
        public UserMessage {
            Objects.requireNonNull(content, "content");
        }
    }

    /**
     * What the model said ({@code role: assistant}): text, tool calls, or both.
     *
     * @param content   the text (empty when the model only called tools; sent as null then)
     * @param toolCalls the calls it made, in order (empty when none)
     */
    record AssistantMessage(String content, List<ToolCall> toolCalls) implements ChatMessage {
        public AssistantMessage {
            content = content == null ? "" : content;
            toolCalls = List.copyOf(toolCalls);
        }
    }

    /** A tool's result ({@code role: tool}), answering the call with {@code toolCallId}. */
    record ToolMessage(String toolCallId, String content) implements ChatMessage {
        public ToolMessage {
            Objects.requireNonNull(toolCallId, "toolCallId");
            content = content == null ? "" : content;
        }
    }
}

package dev.parley.providers.openai;

import java.util.List;

/**
 * One streamed completion to ask for: the conversation, the tools the model may call, and whether it may call them
 * now ({@code toolsAllowed} false sends {@code tool_choice: "none"}, which forces a spoken answer after the last
 * allowed round of tool calls while the earlier calls stay valid history). Model, token limit and temperature come
 * from the client's {@link OpenAiChatConfig}.
 */
public record ChatRequest(List<ChatMessage> messages, List<ToolSpec> tools, boolean toolsAllowed) {
    public ChatRequest {
        messages = List.copyOf(messages);
        tools = List.copyOf(tools);
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a chat request needs at least one message");
        }
    }

    /** The conversation with no tools. */
    public static ChatRequest of(List<ChatMessage> messages) {
        return new ChatRequest(messages, List.of(), true);
    }
}

package dev.parley.providers.openai;

import java.util.Objects;

/**
 * A function call the model made, assembled from its streamed fragments.
 *
 * @param id        the call's ID, echoed in the {@code tool} message that answers it
 * @param name      the function's name
 * @param arguments the arguments as JSON text, as the model wrote them (not necessarily valid)
 */
public record ToolCall(String id, String name, String arguments) {
    public ToolCall {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(arguments, "arguments");
    }
}

package dev.parley.providers.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.dialog.Tool;

import java.util.regex.Pattern;

/**
 * A function offered to the model ({@code tools[]} entry of type {@code function}), checked when made: a name the
 * API accepts and a parameters schema that is a JSON object, so a bad tool fails at start-up with its name in the
 * message rather than as a 400 in the middle of a conversation.
 *
 * @param name        letters, digits, '_' and '-', 1 to 64 characters
 * @param description what it does, for the model
 * @param parameters  the JSON Schema of its arguments, as JSON text of an object
 */
public record ToolSpec(String name, String description, String parameters) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final ObjectMapper JSON = new ObjectMapper();

    public ToolSpec {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a tool name must be 1 to 64 letters, digits, '_' or '-', not '"
                    + name + "'");
        }
        description = description == null ? "" : description;
        parseSchema(name, parameters);
    }

    /** The spec of a brain's {@link Tool}. */
    public static ToolSpec of(Tool tool) {
        return new ToolSpec(tool.name(), tool.description(), tool.parametersSchema());
    }

    /** The parameters schema as a JSON tree (a fresh copy). */
    JsonNode parametersJson() {
        return parseSchema(name, parameters);
    }

    private static JsonNode parseSchema(String name, String parameters) {
        if (parameters == null || parameters.isBlank()) {
            throw new IllegalArgumentException("tool '" + name + "' has no parameters schema");
        }
        JsonNode node;
        try {
            node = JSON.readTree(parameters);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("tool '" + name + "' has a parameters schema that is not valid JSON: "
                    + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("tool '" + name + "' has a parameters schema that is not a JSON "
                    + "object");
        }
        return node;
    }
}

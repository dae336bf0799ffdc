package dev.parley.dialog.skills;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Optional;

/**
 * The arguments of a tool call, read with validation: every problem is a {@link ToolArgumentException} whose message
 * tells the model what to send instead.
 */
public final class ToolArguments {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Longest text argument accepted (a list item, a reminder, a query). */
    public static final int MAX_TEXT = 500;

    private final JsonNode node;

    private ToolArguments(JsonNode node) {
        this.node = node;
    }

    /** Reads {@code json}: an object, or empty / "null" for no arguments. */
    public static ToolArguments parse(String json) {
        if (json == null || json.isBlank()) {
            return new ToolArguments(JSON.createObjectNode());
        }
        JsonNode n;
        try {
            n = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ToolArgumentException("the arguments are not valid JSON; send a JSON object");
        }
        if (n == null || n.isNull() || n.isMissingNode()) {
            return new ToolArguments(JSON.createObjectNode());
        }
        if (!n.isObject()) {
            throw new ToolArgumentException("the arguments must be a JSON object");
        }
        return new ToolArguments(n);
    }

    private JsonNode field(String name) {
        JsonNode v = node.get(name);
        return v == null || v.isNull() ? null : v;
    }

    /** A text argument that must be there and not blank. */
    public String text(String name) {
        return optionalText(name).orElseThrow(() -> new ToolArgumentException(name + " is required (a string)"));
    }

    /** A text argument that may be missing (or blank, which counts as missing). */
    public Optional<String> optionalText(String name) {
        JsonNode v = field(name);
        if (v == null) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw new ToolArgumentException(name + " must be a string");
        }
        String s = v.asText().strip();
        if (s.length() > MAX_TEXT) {
            throw new ToolArgumentException(name + " is too long (at most " + MAX_TEXT + " characters)");
        }
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    /** A number argument that must be there (a JSON number, or a string holding one). */
    public double number(String name) {
        return optionalNumber(name).orElseThrow(() -> new ToolArgumentException(name + " is required (a number)"));
    }

    /** A number argument that may be missing. */
    public Optional<Double> optionalNumber(String name) {
        JsonNode v = field(name);
        if (v == null) {
            return Optional.empty();
        }
        double d;
        if (v.isNumber()) {
            d = v.asDouble();
        } else if (v.isTextual()) {
            try {
                d = Double.parseDouble(v.asText().strip());
            } catch (NumberFormatException e) {
                throw new ToolArgumentException(name + " must be a number");
            }
        } else {
            throw new ToolArgumentException(name + " must be a number");
        }
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new ToolArgumentException(name + " must be a finite number");
        }
        return Optional.of(d);
    }

    /** Whether the argument is present (and not null). */
    public boolean has(String name) {
        return field(name) != null;
    }
}

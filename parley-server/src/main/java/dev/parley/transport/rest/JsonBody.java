package dev.parley.transport.rest;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;

import java.io.IOException;
import java.util.Locale;

/**
 * A JSON request body: {@code Content-Type: application/json}, at most a given size (413 beyond, not read further),
 * a JSON object nested at most 64 levels; anything else is answered 400.
 */
final class JsonBody {
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
    }

    private JsonBody() {
    }

    /** The body of {@code ctx} as a JSON object. */
    static JsonNode read(Context ctx, int maxBytes) throws IOException {
        String type = ctx.header("Content-Type");
        if (type == null || !type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT).equals("application/json")) {
            throw ApiError.badRequest(null, "invalid_content_type", "send a JSON body with Content-Type: application/json");
        }
        BoundedInput.checkDeclared(ctx.req().getContentLengthLong(), maxBytes, "the request body");
        byte[] bytes = new BoundedInput(ctx.req().getInputStream(), maxBytes, "the request body").readAllBytes();
        return parse(bytes);
    }

    static JsonNode parse(byte[] bytes) {
        JsonNode json;
        try {
            json = JSON.readTree(bytes);
        } catch (IOException e) {
            throw invalid();
        }
        if (json == null || !json.isObject()) {
            throw ApiError.badRequest(null, "invalid_json", "the request body must be a JSON object");
        }
        return json;
    }

    private static ApiError invalid() {
        return ApiError.badRequest(null, "invalid_json", "We could not parse the JSON body of your request. "
                + "(HINT: This likely means you aren't using your HTTP library correctly.)");
    }

    /** A required string field. */
    static String string(JsonNode body, String name) {
        JsonNode v = body.get(name);
        if (v == null || v.isNull()) throw ApiError.missing(name);
        if (!v.isTextual()) throw ApiError.badRequest(name, "invalid_type", name + " must be a string");
        return v.asText();
    }

    /** An optional string field, or {@code otherwise}. */
    static String string(JsonNode body, String name, String otherwise) {
        JsonNode v = body.get(name);
        if (v == null || v.isNull()) return otherwise;
        if (!v.isTextual()) throw ApiError.badRequest(name, "invalid_type", name + " must be a string");
        return v.asText();
    }

    /** An optional boolean field, or {@code otherwise}. */
    static boolean bool(JsonNode body, String name, boolean otherwise) {
        JsonNode v = body.get(name);
        if (v == null || v.isNull()) return otherwise;
        if (!v.isBoolean()) throw ApiError.badRequest(name, "invalid_type", name + " must be true or false");
        return v.asBoolean();
    }

    /** An optional number field within {@code [min, max]}, or {@code otherwise}. */
    static double number(JsonNode body, String name, double min, double max, double otherwise) {
        JsonNode v = body.get(name);
        if (v == null || v.isNull()) return otherwise;
        if (!v.isNumber()) throw ApiError.badRequest(name, "invalid_type", name + " must be a number");
        double d = v.asDouble();
        if (!(d >= min && d <= max)) {
            throw ApiError.badRequest(name, "invalid_value", name + " must be between " + min + " and " + max);
        }
        return d;
    }
}

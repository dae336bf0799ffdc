package dev.parley.transport.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;

/**
 * {@code GET /v1/models}: OpenAI's model list ({@code {"object": "list", "data": [{"id", "object": "model",
 * "created", "owned_by"}]}}) naming what the endpoints answer with: {@code parley} (any model name a request gives
 * is served by the server's configured engines). It is the cheap authenticated request with which a client checks
 * its key ({@code ./parley providers}).
 */
final class Models {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String MODEL = "parley";

    private final long created = System.currentTimeMillis() / 1000;

    void handle(Context ctx) {
        ObjectNode root = JSON.createObjectNode().put("object", "list");
        ArrayNode data = root.putArray("data");
        data.addObject().put("id", MODEL).put("object", "model").put("created", created).put("owned_by", "parley");
        ctx.status(200).contentType("application/json").result(root.toString());
    }
}

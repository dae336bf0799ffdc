package dev.parley.transport.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A request answered with an error: its HTTP status and OpenAI's error object
 * ({@code {"error": {"message", "type", "param", "code"}}}, {@code param} and {@code code} null when they do not
 * apply). The message is meant for the caller and never carries a secret or the request's text.
 */
final class ApiError extends RuntimeException {
    private static final ObjectMapper JSON = new ObjectMapper();

    static final String INVALID_REQUEST = "invalid_request_error";
    static final String SERVER_ERROR = "server_error";

    private final int status;
    private final String type;
    private final String param;
    private final String code;

    ApiError(int status, String type, String param, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
    }

    /** 400: the request is wrong; {@code param} names the field at fault, or null. */
    static ApiError badRequest(String param, String code, String message) {
        return new ApiError(400, INVALID_REQUEST, param, code, message);
    }

    /** 400 for a required field that is absent. */
    static ApiError missing(String param) {
        return badRequest(param, "missing_required_parameter", "you must provide the '" + param + "' parameter");
    }

    /** 413: the request is larger than this endpoint takes. */
    static ApiError tooLarge(String param, String message) {
        return new ApiError(413, INVALID_REQUEST, param, "request_too_large", message);
    }

    /** 502: the engine (or the provider behind it) failed. */
    static ApiError engineFailed(String message) {
        return new ApiError(502, SERVER_ERROR, null, "engine_failed", message);
    }

    /** 503: the server cannot take the request now, or has no engines for it. */
    static ApiError unavailable(String code, String message) {
        return new ApiError(503, SERVER_ERROR, null, code, message);
    }

    int status() {
        return status;
    }

    String type() {
        return type;
    }

    String param() {
        return param;
    }

    String code() {
        return code;
    }

    /** The error object, without the status. */
    ObjectNode json() {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", getMessage());
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        return root;
    }

    @Override
    public String toString() {
        return status + " " + type + (code == null ? "" : " " + code) + ": " + getMessage();
    }
}

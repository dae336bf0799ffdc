package dev.parley.providers.http;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A provider call failed, classified so that a caller can react (retry, tell the user which setting to fix) with a
 * {@code switch} over the permitted kinds. Messages and {@link #apiMessage()} are redacted: no credential reaches
 * them. Each engine (chat, speech) turns these into its own user-facing exception with its own wording.
 */
public abstract sealed class ApiException extends Exception {

    private final int status;
    private final String apiMessage;

    private ApiException(String message, int status, String apiMessage, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.apiMessage = apiMessage == null ? "" : apiMessage;
    }

    /** The HTTP status, or 0 when no response was received. */
    public int status() {
        return status;
    }

    /** What the server said about the failure (its error object's message), redacted; empty if nothing. */
    public String apiMessage() {
        return apiMessage;
    }

    /** Whether trying the same request again may succeed (only ever done before anything was received). */
    public boolean retryable() {
        return false;
    }

    /** The wait the server asked for, if it did. */
    public Optional<Duration> retryAfter() {
        return Optional.empty();
    }

    private static String withApi(String message, String apiMessage) {
        return apiMessage == null || apiMessage.isEmpty() ? message : message + ": " + apiMessage;
    }

    /** 401 or 403: the key is missing, wrong, or not allowed to do this. */
    public static final class Unauthorized extends ApiException {
        public Unauthorized(int status, String apiMessage) {
            super(withApi("HTTP " + status + (status == 403 ? " Forbidden" : " Unauthorized"), apiMessage), status,
                    apiMessage, null);
        }
    }

    /** 404: no such model, or a wrong base URL. */
    public static final class NotFound extends ApiException {
        public NotFound(String apiMessage) {
            super(withApi("HTTP 404 Not Found", apiMessage), 404, apiMessage, null);
        }
    }

    /** 429: too many requests, or the account's quota is used up ({@link #quotaExhausted()}: retrying is useless). */
    public static final class RateLimited extends ApiException {
        private final Duration retryAfter;
        private final boolean quotaExhausted;

        public RateLimited(Duration retryAfter, boolean quotaExhausted, String apiMessage) {
            super(withApi("HTTP 429 Too Many Requests", apiMessage), 429, apiMessage, null);
            this.retryAfter = retryAfter;
            this.quotaExhausted = quotaExhausted;
        }

        public boolean quotaExhausted() {
            return quotaExhausted;
        }

        @Override
        public boolean retryable() {
            return !quotaExhausted;
        }

        @Override
        public Optional<Duration> retryAfter() {
            return Optional.ofNullable(retryAfter);
        }
    }

    /** Another 4xx (or an unexpected redirect): the request itself is wrong; retrying will not help. */
    public static final class Rejected extends ApiException {
        public Rejected(int status, String apiMessage) {
            super(withApi("HTTP " + status, apiMessage), status, apiMessage, null);
        }

        /** 408 Request Timeout is the server's problem, worth another try. */
        @Override
        public boolean retryable() {
            return status() == 408;
        }
    }

    /** 5xx: the server failed; worth another try. */
    public static final class ServerError extends ApiException {
        private final Duration retryAfter;

        public ServerError(int status, Duration retryAfter, String apiMessage) {
            super(withApi("HTTP " + status, apiMessage), status, apiMessage, null);
            this.retryAfter = retryAfter;
        }

        @Override
        public boolean retryable() {
            return true;
        }

        @Override
        public Optional<Duration> retryAfter() {
            return Optional.ofNullable(retryAfter);
        }
    }

    /** No response at all: connection refused or reset, host unknown. */
    public static final class Unreachable extends ApiException {
        private final boolean retryable;

        public Unreachable(String reason, boolean retryable, Throwable cause) {
            super(reason, 0, "", cause);
            this.retryable = retryable;
        }

        @Override
        public boolean retryable() {
            return retryable;
        }
    }

    /** Waited too long: to connect, for the first byte of the response, or for the next byte of a started one. */
    public static final class TimedOut extends ApiException {
        /** Which wait ran out. */
        public enum Phase { CONNECT, FIRST_BYTE, STALL }

        private final Phase phase;
        private final Duration limit;

        public TimedOut(Phase phase, Duration limit) {
            super(switch (Objects.requireNonNull(phase)) {
                case CONNECT -> "could not connect within " + limit.toMillis() + " ms";
                case FIRST_BYTE -> "no response within " + limit.toMillis() + " ms";
                case STALL -> "the response stalled: nothing received for " + limit.toMillis() + " ms";
            }, 0, "", null);
            this.phase = phase;
            this.limit = limit;
        }

        public Phase phase() {
            return phase;
        }

        public Duration limit() {
            return limit;
        }
    }

    /** A 2xx response that went wrong: cut off, malformed, not an event stream, or reporting an error inside. */
    public static final class StreamFailed extends ApiException {
        /** What went wrong. */
        public enum Reason { DROPPED, MALFORMED, NOT_AN_EVENT_STREAM, ERROR_EVENT }

        private final Reason reason;

        public StreamFailed(Reason reason, String detail, Throwable cause) {
            super(withApi(switch (Objects.requireNonNull(reason)) {
                case DROPPED -> "the response broke off";
                case MALFORMED -> "the response was malformed";
                case NOT_AN_EVENT_STREAM -> "the response was not an event stream";
                case ERROR_EVENT -> "the server reported an error in the stream";
            }, detail), 200, reason == Reason.ERROR_EVENT ? detail : "", cause);
            this.reason = reason;
        }

        public Reason reason() {
            return reason;
        }
    }
}

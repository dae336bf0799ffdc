package dev.parley.providers.google;

import dev.parley.providers.http.Redactor;
import io.grpc.Status;

import java.time.Duration;
import java.util.Objects;

/**
 * A call to Google Cloud Speech-to-Text or Text-to-Speech failed. The message is one line fit to show a user and
 * names what to fix: the credentials variable for {@code UNAUTHENTICATED}/{@code PERMISSION_DENIED}, the quota for
 * {@code RESOURCE_EXHAUSTED}. Server descriptions are {@linkplain Redactor redacted}. Thrown as a
 * {@link RuntimeException} so that a recognition stream can throw it from {@code accept}/{@code finish} and the
 * fallback recogniser takes over.
 */
public final class GoogleException extends RuntimeException {

    /** What went wrong, for callers that react differently (a check, a retry decision). */
    public enum Kind {
        /** No credentials, or the server refused them ({@code UNAUTHENTICATED}, {@code PERMISSION_DENIED}). */
        CREDENTIALS,
        /** The server could not be reached or dropped the call ({@code UNAVAILABLE}). */
        UNAVAILABLE,
        /** Nothing came back within the configured wait (ours or a gRPC deadline). */
        TIMED_OUT,
        /** Quota or rate limit ({@code RESOURCE_EXHAUSTED}). */
        QUOTA,
        /** The request was refused as wrong ({@code INVALID_ARGUMENT}, {@code NOT_FOUND}, …). */
        REJECTED,
        /** Any other failure, including a malformed answer. */
        FAILED
    }

    private final Kind kind;

    public GoogleException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind);
    }

    public Kind kind() {
        return kind;
    }

    /** No answer within {@code limit}. */
    static GoogleException timedOut(String service, String what, Duration limit) {
        return new GoogleException(Kind.TIMED_OUT, service + ": no " + what + " within " + limit.toMillis() + " ms",
                null);
    }

    /** Classifies a gRPC failure (a gax {@code ApiException} or a gRPC status exception) of {@code service}. */
    static GoogleException from(String service, Throwable t) {
        if (t instanceof GoogleException g) return g;
        Status status = Status.fromThrowable(t);
        String detail = status.getDescription() == null ? "" : ": " + Redactor.redact(status.getDescription());
        String code = status.getCode().name();
        return switch (status.getCode()) {
            case UNAUTHENTICATED, PERMISSION_DENIED -> new GoogleException(Kind.CREDENTIALS, service
                    + " refused the credentials (" + code + "); set " + GoogleConfig.CREDENTIALS_ENV
                    + " to a service-account JSON key file allowed to use the API" + detail, t);
            case UNAVAILABLE -> new GoogleException(Kind.UNAVAILABLE, service + " is unavailable (" + code + ")"
                    + detail, t);
            case DEADLINE_EXCEEDED -> new GoogleException(Kind.TIMED_OUT, service + " did not answer in time ("
                    + code + ")" + detail, t);
            case RESOURCE_EXHAUSTED -> new GoogleException(Kind.QUOTA, service + " quota or rate limit reached ("
                    + code + ")" + detail, t);
            case INVALID_ARGUMENT, NOT_FOUND, FAILED_PRECONDITION, OUT_OF_RANGE, UNIMPLEMENTED -> new GoogleException(
                    Kind.REJECTED, service + " rejected the request (" + code + ")" + detail, t);
            case UNKNOWN -> new GoogleException(Kind.FAILED, service + " failed: "
                    + (t.getMessage() == null ? t.getClass().getSimpleName() : Redactor.redact(t.getMessage())), t);
            default -> new GoogleException(Kind.FAILED, service + " failed (" + code + ")" + detail, t);
        };
    }
}

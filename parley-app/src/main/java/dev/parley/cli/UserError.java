package dev.parley.cli;

/** A problem the user can fix (bad file, bad setting, no device): printed as one line, no stack trace. */
final class UserError extends RuntimeException {
    UserError(String message) {
        super(message);
    }

    UserError(String message, Throwable cause) {
        super(message, cause);
    }
}

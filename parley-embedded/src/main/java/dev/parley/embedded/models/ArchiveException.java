package dev.parley.embedded.models;

import java.io.IOException;

/** An archive is malformed or unsafe (as opposed to an I/O failure writing its content). */
final class ArchiveException extends IOException {
    ArchiveException(String message) {
        super(message);
    }

    ArchiveException(String message, Throwable cause) {
        super(message, cause);
    }
}

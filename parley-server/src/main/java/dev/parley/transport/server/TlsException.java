package dev.parley.transport.server;

import java.io.Serial;

/**
 * TLS material could not be loaded or created. The message is one line that names the file and the problem (for
 * example "TLS key file /etc/parley/key.pem holds an encrypted private key; …"), so a command-line caller can print
 * it as it is, without a stack trace.
 */
public final class TlsException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    public TlsException(String message) {
        super(message);
    }

    public TlsException(String message, Throwable cause) {
        super(message, cause);
    }
}

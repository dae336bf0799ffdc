package dev.parley.transport.realtime;

/**
 * A client event Parley cannot act on. Becomes an {@code error} server event; the session goes on.
 *
 * @see <a href="../../../../../../../../docs/realtime-protocol.md">the protocol</a>
 */
public final class ProtocolException extends Exception {
    private final String code;
    private final String param;

    public ProtocolException(String code, String message) {
        this(code, message, null);
    }

    public ProtocolException(String code, String message, String param) {
        super(message, null, false, false);
        this.code = code;
        this.param = param;
    }

    /** The error's {@code code}, e.g. {@code invalid_value}. */
    public String code() {
        return code;
    }

    /** The parameter at fault (a dotted path in the event), or null. */
    public String param() {
        return param;
    }
}

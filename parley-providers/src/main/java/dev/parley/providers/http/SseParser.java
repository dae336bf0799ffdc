package dev.parley.providers.http;

import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * An incremental parser of the {@code text/event-stream} format as the WHATWG HTML standard defines it (§9.2.6):
 * bytes go in as they arrive from the network, in pieces of any size, and whole events come out.
 *
 * <ul>
 *   <li>Lines end in CRLF, LF or CR, also when the CR and the LF arrive in different pieces.</li>
 *   <li>Each line is decoded as UTF-8 once it is complete, so a character split between pieces is intact; a
 *       leading byte order mark is dropped.</li>
 *   <li>{@code data:} lines accumulate, joined with LF; {@code event:} sets the type (default {@code message});
 *       {@code id:} sets the last event ID (ignored if it contains NUL); {@code retry:} is ignored (this client does
 *       not reconnect); other fields are ignored. One space after the colon is dropped; a line without a colon is a
 *       field with an empty value.</li>
 *   <li>A line starting with a colon is a comment (servers send them as keep-alives), passed to
 *       {@link Listener#onComment}.</li>
 *   <li>An empty line dispatches the event, unless no data was given. At the end of the stream an unfinished event
 *       is discarded, as the standard says.</li>
 * </ul>
 *
 * <p>A line longer than {@code maxLineBytes}, or an event whose data grows beyond {@code maxDataChars}, is a
 * {@link ProtocolException}: a broken or hostile server cannot make the client buffer without bound. Not
 * thread-safe: one network reader feeds it.
 */
public final class SseParser {

    /** Receives what the parser finds, on the thread that feeds it. */
    public interface Listener {
        void onEvent(SseEvent event);

        /** A comment line, without its leading colon. */
        default void onComment(String comment) {
        }
    }

    /** 1 MiB: far beyond any chat chunk, small enough to bound memory. */
    public static final int DEFAULT_MAX_LINE_BYTES = 1 << 20;
    public static final int DEFAULT_MAX_DATA_CHARS = 4 << 20;

    private final Listener listener;
    private final int maxLineBytes;
    private final int maxDataChars;

    private byte[] line = new byte[256];
    private int lineLength;
    private boolean lastWasCr;
    private boolean firstLine = true;

    private final StringBuilder data = new StringBuilder();
    private String eventType = "";
    private String lastEventId = "";

    public SseParser(Listener listener) {
        this(listener, DEFAULT_MAX_LINE_BYTES, DEFAULT_MAX_DATA_CHARS);
    }

    public SseParser(Listener listener, int maxLineBytes, int maxDataChars) {
        this.listener = Objects.requireNonNull(listener, "listener");
        if (maxLineBytes < 1 || maxDataChars < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        this.maxLineBytes = maxLineBytes;
        this.maxDataChars = maxDataChars;
    }

    /** Parses the remaining bytes of {@code buffer} (its position moves to its limit). */
    public void feed(ByteBuffer buffer) throws ProtocolException {
        if (buffer.hasArray()) {
            int start = buffer.arrayOffset() + buffer.position();
            feed(buffer.array(), start, buffer.remaining());
            buffer.position(buffer.limit());
        } else {
            byte[] copy = new byte[buffer.remaining()];
            buffer.get(copy);
            feed(copy, 0, copy.length);
        }
    }

    /** Parses {@code length} bytes of {@code bytes} from {@code offset}. */
    public void feed(byte[] bytes, int offset, int length) throws ProtocolException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        for (int i = offset; i < offset + length; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                if (lastWasCr) {
                    lastWasCr = false; // the LF of a CRLF whose CR ended the line already
                    continue;
                }
                endLine();
            } else if (b == '\r') {
                lastWasCr = true;
                endLine();
            } else {
                lastWasCr = false;
                if (lineLength == maxLineBytes) {
                    throw new ProtocolException("event-stream line longer than " + maxLineBytes + " bytes");
                }
                if (lineLength == line.length) {
                    line = Arrays.copyOf(line, Math.min(maxLineBytes, line.length * 2));
                }
                line[lineLength++] = b;
            }
        }
    }

    /** The stream ended: a partly received event (or line) is discarded. The parser can not be fed again. */
    public void finish() {
        lineLength = 0;
        data.setLength(0);
        eventType = "";
    }

    private void endLine() throws ProtocolException {
        String text = new String(line, 0, lineLength, StandardCharsets.UTF_8);
        lineLength = 0;
        if (line.length > 64 * 1024) {
            line = new byte[256]; // do not keep a huge buffer after one long line
        }
        if (firstLine) {
            firstLine = false;
            if (text.startsWith("\uFEFF")) {
                text = text.substring(1);
            }
        }
        processLine(text);
    }

    private void processLine(String text) throws ProtocolException {
        if (text.isEmpty()) {
            dispatch();
            return;
        }
        if (text.charAt(0) == ':') {
            listener.onComment(text.substring(1));
            return;
        }
        int colon = text.indexOf(':');
        String field = colon < 0 ? text : text.substring(0, colon);
        String value = colon < 0 ? "" : text.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "event" -> eventType = value;
            case "data" -> {
                if (data.length() + value.length() + 1 > maxDataChars) {
                    throw new ProtocolException("event-stream event data longer than " + maxDataChars + " chars");
                }
                data.append(value).append('\n');
            }
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    lastEventId = value;
                }
            }
            default -> {
                // "retry" and unknown fields: nothing to do for a client that does not reconnect
            }
        }
    }

    private void dispatch() {
        if (data.isEmpty()) {
            eventType = "";
            return;
        }
        data.setLength(data.length() - 1); // the LF after the last data line
        SseEvent event = new SseEvent(eventType.isEmpty() ? "message" : eventType, data.toString(), lastEventId);
        data.setLength(0);
        eventType = "";
        listener.onEvent(event);
    }
}

package dev.parley.transport.rest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@code multipart/form-data} body (RFC 7578, RFC 2046 §5.1) part by part as it arrives: each part's body is
 * a stream that ends at the next boundary, so a file part can be decoded without being held whole first. A part not
 * read to its end is skipped when the next one is asked for. Malformed bodies (no boundary, a body that ends before
 * its closing boundary, endless part headers) throw {@link ApiError} 400.
 */
final class MultipartReader {
    private static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final Pattern BOUNDARY = Pattern.compile("(?i)(?:^|;)\\s*boundary=(?:\"([^\"]{1,70})\"|([^;\\s]{1,70}))");
    private static final Pattern NAME = Pattern.compile("(?i)(?:^|;)\\s*name=(?:\"([^\"]*)\"|([^;\\s]*))");
    private static final Pattern FILENAME = Pattern.compile("(?i)(?:^|;)\\s*filename=(?:\"([^\"]*)\"|([^;\\s]*))");

    /** One part: its field name, its file name (null for a plain field), its content type (null if not given). */
    record Part(String name, String filename, String contentType, InputStream body) {}

    private final InputStream in;
    private final byte[] delimiter;
    private final byte[] buf;
    private int pos;
    private int lim;
    private boolean eof;
    private boolean finished;
    private PartBody current;

    /** A reader of {@code in}, whose parts are separated by {@code boundary}. */
    MultipartReader(InputStream in, String boundary) {
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.buf = new byte[64 * 1024];
        // The first boundary need not follow a line break: pretend one came before the body.
        buf[0] = '\r';
        buf[1] = '\n';
        lim = 2;
    }

    /** The boundary of a {@code multipart/form-data} content type, or null when the type is not one. */
    static String boundaryOf(String contentType) {
        if (contentType == null) return null;
        String[] parts = contentType.split(";", 2);
        if (!parts[0].strip().toLowerCase(Locale.ROOT).equals("multipart/form-data") || parts.length < 2) return null;
        Matcher m = BOUNDARY.matcher(parts[1].strip());
        if (!m.find()) return null;
        return m.group(1) != null ? m.group(1) : m.group(2);
    }

    /** The next part, or null after the closing boundary. */
    Part next() throws IOException {
        if (finished) return null;
        if (current == null) {
            skipTo(); // the preamble
        } else {
            current.skipRest();
        }
        // after a boundary: "--" ends the body; else optional padding, then CRLF and the part's headers
        if (!fill(2)) throw malformed("the multipart body ended after a boundary");
        if (buf[pos] == '-' && buf[pos + 1] == '-') {
            finished = true;
            return null;
        }
        String headers = readHeaders();
        String name = null;
        String filename = null;
        String type = null;
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) continue;
            String key = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            if (key.equals("content-disposition")) {
                name = param(NAME, value);
                filename = param(FILENAME, value);
            } else if (key.equals("content-type")) {
                type = value;
            }
        }
        if (name == null) throw malformed("a part of the form has no name (Content-Disposition: form-data; name=\"…\")");
        current = new PartBody();
        return new Part(name, filename, type, current);
    }

    private static String param(Pattern p, String value) {
        Matcher m = p.matcher(value);
        if (!m.find()) return null;
        return m.group(1) != null ? m.group(1) : m.group(2);
    }

    /** Reads the rest of the boundary line and the header lines up to the empty line. */
    private String readHeaders() throws IOException {
        StringBuilder out = new StringBuilder();
        int size = 0;
        // the boundary line's rest: transport padding, then CRLF
        while (true) {
            if (!fill(2)) throw malformed("the multipart body ended inside a part's headers");
            if (buf[pos] == '\r' && buf[pos + 1] == '\n') {
                pos += 2;
                break;
            }
            if (buf[pos] != ' ' && buf[pos] != '\t') throw malformed("a multipart boundary is followed by text");
            pos++;
        }
        while (true) {
            if (!fill(2)) throw malformed("the multipart body ended inside a part's headers");
            if (buf[pos] == '\r' && buf[pos + 1] == '\n') {
                pos += 2;
                if (out.isEmpty() || out.toString().endsWith("\r\n")) return out.toString();
                out.append("\r\n");
                continue;
            }
            out.append((char) (buf[pos++] & 0xff));
            if (++size > MAX_HEADER_BYTES) throw malformed("a part's headers are longer than " + MAX_HEADER_BYTES + " bytes");
        }
    }

    /** Discards everything up to and including the next delimiter. */
    private void skipTo() throws IOException {
        while (true) {
            if (!fill(delimiter.length)) throw malformed("the body is not multipart/form-data with the boundary its Content-Type names");
            int i = indexOf();
            if (i >= 0) {
                pos = i + delimiter.length;
                return;
            }
            pos = lim - (delimiter.length - 1);
        }
    }

    /** Ensures {@code need} bytes are buffered from {@code pos}; false if the stream ends first. */
    private boolean fill(int need) throws IOException {
        if (lim - pos >= need) return true;
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            pos = 0;
        }
        while (lim < need && !eof) {
            int n = in.read(buf, lim, buf.length - lim);
            if (n < 0) eof = true;
            else lim += n;
        }
        return lim - pos >= need;
    }

    /** Where the delimiter starts in the buffered bytes, or -1. */
    private int indexOf() {
        byte first = delimiter[0];
        outer:
        for (int i = pos, last = lim - delimiter.length; i <= last; i++) {
            if (buf[i] != first) continue;
            for (int j = 1; j < delimiter.length; j++) {
                if (buf[i + j] != delimiter[j]) continue outer;
            }
            return i;
        }
        return -1;
    }

    private static ApiError malformed(String message) {
        return ApiError.badRequest(null, "invalid_multipart", message);
    }

    /** The body of the current part: ends where the next delimiter starts, which it then consumes. */
    private final class PartBody extends InputStream {
        private boolean ended;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (ended || current != this) return -1;
            if (len == 0) return 0;
            if (!fill(delimiter.length)) throw malformed("the multipart body ended before its closing boundary");
            int i = indexOf();
            int available = i >= 0 ? i - pos : lim - pos - (delimiter.length - 1);
            if (available == 0) {
                pos += delimiter.length;
                ended = true;
                return -1;
            }
            int n = Math.min(len, available);
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
            return n;
        }

        void skipRest() throws IOException {
            byte[] scratch = new byte[8192];
            while (read(scratch, 0, scratch.length) >= 0) {
                // discard
            }
        }
    }
}

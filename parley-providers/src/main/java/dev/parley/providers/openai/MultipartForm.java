package dev.parley.providers.openai;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A {@code multipart/form-data} body (RFC 7578) built in memory, for {@code POST /audio/transcriptions}: text
 * fields and one file, each part with its {@code Content-Disposition: form-data; name="…"} (and
 * {@code filename="…"} and {@code Content-Type} for the file), separated by {@code --boundary} lines and closed by
 * {@code --boundary--}, every line ending in CRLF.
 *
 * <p>The boundary is {@code ----parley} and 32 random hex digits: 128 random bits, so the chance that it occurs in
 * the audio is nil for any utterance the API accepts (RFC 2046 §5.1.1 only asks that it not occur). Field names and
 * file names are fixed by the caller and must be plain (letters, digits, {@code _ . [ ] -}); values are UTF-8.
 */
final class MultipartForm {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_.\\[\\]-]+");

    private final String boundary;
    private final ByteArrayOutputStream out;

    /** An empty form, with room for about {@code expectedBytes}. */
    MultipartForm(int expectedBytes) {
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        this.boundary = "----parley" + HexFormat.of().formatHex(random);
        this.out = new ByteArrayOutputStream(expectedBytes + 1024);
    }

    /** The value of the request's {@code Content-Type} header. */
    String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    String boundary() {
        return boundary;
    }

    /** Adds a text field. */
    MultipartForm field(String name, String value) {
        Objects.requireNonNull(value, "value");
        write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + plain(name) + "\"\r\n\r\n");
        write(value);
        write("\r\n");
        return this;
    }

    /** Adds a file of {@code contentType}. */
    MultipartForm file(String name, String fileName, String contentType, byte[] bytes) {
        write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + plain(name) + "\"; filename=\""
                + plain(fileName) + "\"\r\nContent-Type: " + contentType + "\r\n\r\n");
        out.writeBytes(bytes);
        write("\r\n");
        return this;
    }

    /** The body, closed by the last boundary. The form is not usable afterwards. */
    byte[] build() {
        write("--" + boundary + "--\r\n");
        return out.toByteArray();
    }

    private void write(String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String plain(String name) {
        if (!PLAIN.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain form field or file name: " + name);
        }
        return name;
    }
}

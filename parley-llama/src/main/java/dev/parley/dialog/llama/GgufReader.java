package dev.parley.dialog.llama;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Little-endian reads of a GGUF file that know its size, so a bad length is caught before anything is allocated. */
final class GgufReader implements AutoCloseable {
    private static final long MAX_STRING = 64L << 20;

    private final InputStream in;
    private final long size;
    private long position;

    /** {@code in} must support mark and reset (for {@link #peek}). */
    GgufReader(InputStream in, long size) {
        this.in = in;
        this.size = size;
    }

    long size() {
        return size;
    }

    long position() {
        return position;
    }

    long remaining() {
        return size - position;
    }

    /** The next {@code n} bytes (fewer if the file is shorter), without reading past them. */
    byte[] peek(int n) throws IOException {
        in.mark(n);
        byte[] b = in.readNBytes((int) Math.min(n, size));
        in.reset();
        return b;
    }

    int u8() throws IOException {
        need(1);
        int b = in.read();
        if (b < 0) {
            throw new EOFException("the file ended early");
        }
        position++;
        return b;
    }

    int u16() throws IOException {
        byte[] b = bytes(2);
        return (b[0] & 0xFF) | (b[1] & 0xFF) << 8;
    }

    long u32() throws IOException {
        return intLe(bytes(4)) & 0xFFFFFFFFL;
    }

    long u64() throws IOException {
        byte[] b = bytes(8);
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (b[i] & 0xFF);
        }
        return v;
    }

    /** A string's bytes as ISO-8859-1 (token texts need not be UTF-8, and must stay distinct). */
    String rawString(String what) throws IOException {
        return new String(bytes((int) stringLength(what)), StandardCharsets.ISO_8859_1);
    }

    String string(String what) throws IOException {
        long length = stringLength(what);
        byte[] b = bytes((int) length);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new GgufDamaged("a " + what + " is not UTF-8 text");
        }
    }

    void skipString(String what) throws IOException {
        skip(stringLength(what));
    }

    private long stringLength(String what) throws IOException {
        long length = u64();
        if (length < 0 || length > MAX_STRING) {
            throw new GgufDamaged("a " + what + " of " + Long.toUnsignedString(length) + " bytes");
        }
        return length;
    }

    void skip(long n) throws IOException {
        need(n);
        long left = n;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("the file ended early");
                }
                skipped = 1;
            }
            left -= skipped;
        }
        position += n;
    }

    private byte[] bytes(int n) throws IOException {
        need(n);
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new EOFException("the file ended early");
        }
        position += n;
        return b;
    }

    private void need(long n) throws EOFException {
        if (n > size - position) {
            throw new EOFException("the header runs past the end of the file at byte " + position);
        }
    }

    /** The little-endian int of {@code b}'s first four bytes. */
    static int intLe(byte[] b) {
        return (b[0] & 0xFF) | (b[1] & 0xFF) << 8 | (b[2] & 0xFF) << 16 | (b[3] & 0xFF) << 24;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}

package dev.parley.transport.rest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body read with a ceiling: past {@code limit} bytes it throws {@link ApiError} 413 instead of reading on,
 * so no request is ever buffered beyond its limit, whether it declared its length or came in chunks.
 */
final class BoundedInput extends FilterInputStream {
    private final long limit;
    private final String what;
    private long read;

    BoundedInput(InputStream in, long limit, String what) {
        super(in);
        this.limit = limit;
        this.what = what;
    }

    /** Refuses at once a body whose declared length ({@code -1}: not declared) is over {@code limit}. */
    static void checkDeclared(long contentLength, long limit, String what) {
        if (contentLength > limit) throw tooLarge(limit, what);
    }

    static ApiError tooLarge(long limit, String what) {
        return ApiError.tooLarge(null, what + " is larger than this server takes (" + limit + " bytes at most)");
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) count(1);
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, (int) Math.min(len, limit + 1 - read));
        if (n > 0) count(n);
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long s = super.skip(Math.min(n, limit + 1 - read));
        if (s > 0) count(s);
        return s;
    }

    private void count(long n) {
        read += n;
        if (read > limit) throw tooLarge(limit, what);
    }
}

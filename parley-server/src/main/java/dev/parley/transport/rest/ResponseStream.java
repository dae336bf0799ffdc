package dev.parley.transport.rest;

import io.javalin.http.Context;
import jakarta.servlet.ServletOutputStream;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A response written as it is produced (chunked): its status and headers are sent with the first bytes, each write is
 * flushed at once. Until then an {@link ApiError} may still be answered instead; after, a failure can only
 * {@linkplain #abort(Throwable) abort} the response, so the client sees it cut short rather than complete. A client
 * that goes away turns {@link #gone()} true and makes writes throw {@link UncheckedIOException}.
 */
final class ResponseStream {
    private final Context ctx;
    private final String contentType;
    private ServletOutputStream out;
    private volatile boolean gone;

    ResponseStream(Context ctx, String contentType) {
        this.ctx = ctx;
        this.contentType = contentType;
    }

    /** Whether anything has been sent. */
    boolean committed() {
        return out != null;
    }

    /** Whether the client went away. */
    boolean gone() {
        return gone;
    }

    void write(byte[] bytes) {
        write(bytes, 0, bytes.length);
    }

    void write(byte[] bytes, int off, int len) {
        if (gone) throw new UncheckedIOException(new IOException("the client went away"));
        try {
            if (out == null) {
                ctx.status(200);
                ctx.res().setContentType(contentType);
                ctx.res().setHeader("Cache-Control", "no-cache");
                out = ctx.res().getOutputStream();
            }
            out.write(bytes, off, len);
            out.flush();
        } catch (IOException e) {
            gone = true;
            throw new UncheckedIOException(e);
        }
    }

    /** One server-sent event: {@code data: json} and a blank line. */
    void event(String json) {
        write(("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Ends the response normally (the last chunk). */
    void finish() {
        if (out == null) write(new byte[0]);
        try {
            out.close();
        } catch (IOException e) {
            gone = true;
        }
    }

    /** Cuts a committed response short: the connection is dropped without the last chunk. */
    void abort(Throwable cause) {
        gone = true;
        ServletContextRequest.getServletContextRequest(ctx.req()).getConnectionMetaData().getConnection().getEndPoint()
                .close(cause);
    }
}

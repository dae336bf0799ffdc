package dev.parley.transport.rest;

import dev.parley.dialog.DialogContext;
import dev.parley.dialog.DialogException;
import dev.parley.dialog.TextStream;
import dev.parley.session.VoiceSession;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Supplier;

/**
 * {@code POST /v1/chat/completions}: the conversation answered by the server's brain (a brain of its own per request,
 * as each conversation has: what it keeps, such as a timer, ends with the request). With {@code stream: true} the
 * reply goes out as {@code chat.completion.chunk} events, a piece as the brain produces it, ending with
 * {@code data: [DONE]}; otherwise as one {@code chat.completion} object.
 *
 * <p>The headers are sent with the brain's first piece, so a brain that fails before it is answered 502 with the
 * error JSON; one that fails later in a stream ends it with an event carrying the error object, and no
 * {@code [DONE]}. A client that goes away cancels the reply.
 */
final class ChatCompletions {
    private static final Logger log = LoggerFactory.getLogger(ChatCompletions.class);

    private final Supplier<VoiceSession.Engines> engines;
    private final RestLimits limits;

    ChatCompletions(Supplier<VoiceSession.Engines> engines, RestLimits limits) {
        this.engines = engines;
        this.limits = limits;
    }

    void handle(Context ctx) throws IOException {
        ChatCall call = ChatCall.parse(JsonBody.read(ctx, limits.maxChatBytes()));
        ChatChunks chunks = new ChatChunks("chatcmpl-" + java.util.UUID.randomUUID().toString().replace("-", ""), call.model(), System.currentTimeMillis() / 1000,
                call.includeUsage());
        try (EngineLease lease = EngineLease.open(engines)) {
            var dialog = lease.engines().dialog();
            dialog.attach(DialogContext.NONE);
            try (TextStream reply = dialog.respond(call.history(), call.userText())) {
                String first = next(reply, null);
                if (call.stream()) {
                    stream(ctx, call, chunks, reply, first);
                } else {
                    StringBuilder text = new StringBuilder();
                    for (String piece = first; piece != null; piece = next(reply, null)) text.append(piece);
                    String content = text.toString().strip();
                    ctx.status(200).contentType("application/json").result(chunks.completion(content, call.promptChars()));
                    log.debug("answered a chat completion of {} characters", content.length());
                }
            }
        }
    }

    private static void stream(Context ctx, ChatCall call, ChatChunks chunks, TextStream reply, String first) {
        ResponseStream out = new ResponseStream(ctx, "text/event-stream");
        int chars = 0;
        try {
            out.event(chunks.roleChunk());
            for (String piece = first; piece != null; piece = next(reply, out)) {
                if (piece.isEmpty()) continue;
                out.event(chunks.contentChunk(piece));
                chars += piece.length();
            }
            out.event(chunks.stopChunk());
            if (call.includeUsage()) out.event(chunks.usageChunk(call.promptChars(), chars));
            out.write("data: [DONE]\n\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.finish();
        } catch (UncheckedIOException e) {
            log.debug("the client went away during a streamed completion");
        } catch (ApiError e) {
            out.event(e.json().toString());
            out.finish();
        }
    }

    /**
     * The brain's next piece; a failure is a 502 {@link ApiError}. {@code out} is the stream being written (null
     * before it is): a client gone away ends the reply.
     */
    private static String next(TextStream reply, ResponseStream out) {
        if (out != null && out.gone()) return null;
        try {
            return reply.next();
        } catch (DialogException | RuntimeException e) {
            if (e instanceof ApiError a) throw a;
            log.warn("the brain failed: {}", e.getMessage());
            throw ApiError.engineFailed("the brain failed: " + e.getMessage());
        }
    }
}

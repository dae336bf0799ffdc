package dev.parley.dialog.llama;

import dev.parley.dialog.Dialog;
import dev.parley.dialog.Message;
import dev.parley.dialog.TextStream;
import dev.parley.stt.Transcript;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One session's LLM brain on a shared {@link LlamaBrain}: each turn's reply is generated from the brain's system
 * prompt, the session's instructions (the SYSTEM messages of {@code history}, normally one leading message), the
 * conversation so far and the user's new turn. It keeps no state between turns beyond its running replies, which
 * {@link #close()} cancels. Replies of different sessions take turns on the model (see {@link LlamaBrain}).
 */
public final class LlamaDialog implements Dialog {

    /** Said when the recogniser heard nothing intelligible: no model call for an empty turn. */
    static final String NOT_HEARD = "Sorry, I didn't catch that. Could you say it again?";

    private final LlamaBrain brain;
    private final Set<LlamaReply> running = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    LlamaDialog(LlamaBrain brain) {
        this.brain = Objects.requireNonNull(brain, "brain");
    }

    @Override
    public TextStream respond(List<Message> history, Transcript userTurn) {
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(userTurn, "userTurn");
        if (closed) {
            return TextStream.of();
        }
        if (userTurn.isEmpty()) {
            return TextStream.of(NOT_HEARD);
        }
        Conversation conversation = Conversation.of(brain.settings().systemPrompt(), history, userTurn.text());
        LlamaReply[] self = new LlamaReply[1];
        LlamaReply reply = brain.reply(conversation, () -> running.remove(self[0]));
        self[0] = reply;
        running.add(reply);
        if (closed) { // closed meanwhile
            reply.close();
        }
        return reply;
    }

    /** Cancels this session's replies that are still running or waiting; the model stays loaded for others. */
    @Override
    public void close() {
        closed = true;
        running.forEach(LlamaReply::close);
    }
}

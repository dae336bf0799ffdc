package dev.parley.dialog;

import dev.parley.stt.Transcript;

import java.util.List;

/**
 * The brain: given the conversation so far and the user's new turn, it streams a reply. One instance serves one
 * session (it may keep per-session state such as timers or a pending question); heavy shared parts (models, indexes)
 * are shared by whoever makes the instances.
 *
 * <p>Besides answering turns, a brain may speak up on its own through the {@link DialogContext} it is
 * {@linkplain #attach attached} to (a timer fires), and hears what happens in the session through
 * {@link #onSignal}. The session calls {@link #close()} when it ends.
 */
public interface Dialog extends AutoCloseable {

    /**
     * Starts a reply. Must return quickly; the work happens as the returned stream is pulled (on the session's reply
     * thread), and closing the stream cancels it.
     *
     * @param history  the conversation before this turn, oldest first (a leading SYSTEM message carries the
     *                 session's instructions), holding only what the user actually heard of earlier replies
     * @param userTurn what the user just said, with the recogniser's confidence (1 for typed text)
     */
    TextStream respond(List<Message> history, Transcript userTurn);

    /** A typed turn: {@link #respond(List, Transcript)} with full confidence. */
    default TextStream respond(List<Message> history, String userText) {
        return respond(history, new Transcript(userText, 1.0));
    }

    /** Called once by the session before the first turn: how this brain speaks up unprompted. */
    default void attach(DialogContext context) {
    }

    /** What happened in the session (the user started speaking, a reply finished playing). Must return quickly. */
    default void onSignal(DialogSignal signal) {
    }

    /** The session ended: cancel timers, release per-session resources. */
    @Override
    default void close() {
    }
}

package dev.parley.dialog;

import java.util.List;

/** The brain: given the conversation so far and the user's new turn, it streams a reply. */
public interface Dialog {

    /**
     * Starts a reply. Must return quickly; the work happens as the returned stream is pulled.
     *
     * @param history  the conversation before this turn, oldest first, holding only what the user actually heard
     * @param userText what the user just said (already transcribed)
     */
    TextStream respond(List<Message> history, String userText);
}

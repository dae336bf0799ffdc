package dev.parley.dialog.llama;

import dev.parley.dialog.Message;
import dev.parley.dialog.Message.Role;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a prompt is made of: the system instructions and the turns, which alternate between the user and the
 * assistant and end with the user's new turn. Chat templates differ in what they accept (some refuse two user turns
 * in a row, or a system message anywhere but first), so {@link #of} normalises the session's history into this form.
 *
 * @param system the instructions (may be empty)
 * @param turns  USER and ASSISTANT messages, alternating, the last one the user's
 */
record Conversation(String system, List<Message> turns) {

    Conversation {
        Objects.requireNonNull(system, "system");
        turns = List.copyOf(turns);
        if (turns.isEmpty() || turns.getLast().role() != Role.USER) {
            throw new IllegalArgumentException("a conversation ends with the user's turn");
        }
    }

    /**
     * The conversation for a reply: {@code systemPrompt}, then the session's SYSTEM messages (its instructions,
     * normally one leading message), each separated by a blank line; then the USER and ASSISTANT messages of
     * {@code history} and {@code userText}, consecutive messages of the same role joined by a line break and blank
     * ones dropped. A leading assistant message (an unprompted announcement) stays: templates accept it.
     */
    static Conversation of(String systemPrompt, List<Message> history, String userText) {
        List<String> system = new ArrayList<>();
        if (!systemPrompt.isBlank()) {
            system.add(systemPrompt.strip());
        }
        List<Message> turns = new ArrayList<>();
        for (Message m : history) {
            if (m == null || m.text() == null || m.text().isBlank()) {
                continue;
            }
            if (m.role() == Role.SYSTEM) {
                system.add(m.text().strip());
            } else {
                add(turns, m.role(), m.text().strip());
            }
        }
        add(turns, Role.USER, userText.strip());
        return new Conversation(String.join("\n\n", system), turns);
    }

    private static void add(List<Message> turns, Role role, String text) {
        if (!turns.isEmpty() && turns.getLast().role() == role) {
            Message last = turns.removeLast();
            turns.add(new Message(role, last.text() + "\n" + text));
        } else {
            turns.add(new Message(role, text));
        }
    }

    /** Whether older turns can be dropped (more than the user's last turn is left). */
    boolean canShorten() {
        return turns.size() > 1;
    }

    /**
     * Without the oldest exchange: the first turn and, if the next is the assistant's, that one too, so the
     * conversation still starts with the user where it did.
     */
    Conversation withoutOldest() {
        if (!canShorten()) {
            throw new IllegalStateException("only the last turn is left");
        }
        int drop = turns.getFirst().role() == Role.USER && turns.get(1).role() == Role.ASSISTANT
                && turns.size() > 2 ? 2 : 1;
        return new Conversation(system, turns.subList(drop, turns.size()));
    }
}

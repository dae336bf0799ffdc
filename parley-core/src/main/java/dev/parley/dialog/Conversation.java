package dev.parley.dialog;

import java.util.ArrayList;
import java.util.List;

/**
 * What was said and what was heard: the messages of a conversation, each with the turn it belongs to (a key of its
 * own, below 0, for a message added from outside, such as typed text). A reply records the user's words and what the user heard of it, right after
 * the messages it answered, even when other messages were added while it was produced and played. The oldest
 * messages go first once there are more than {@link #MAX_MESSAGES}. Thread-safe.
 */
public final class Conversation {
    public static final int MAX_MESSAGES = 40;

    /** A message and its turn; its text may be cut to what was heard, yet it stays the same entry for an anchor. */
    private static final class Entry {
        final int turn;
        Message message;

        Entry(int turn, Message message) {
            this.turn = turn;
            this.message = message;
        }

        int turn() {
            return turn;
        }

        Message message() {
            return message;
        }
    }

    private final List<Entry> entries = new ArrayList<>();

    /**
     * Where a reply's messages go: after the last message of the conversation it answered, once
     * {@link #answering(Anchor)} took it; at the end before that.
     */
    public static final class Anchor {
        private boolean set;
        private Entry last;
    }

    public synchronized List<Message> messages() {
        return entries.stream().map(Entry::message).toList();
    }

    /** Adds a message at the end. */
    public synchronized void add(int turn, Message message) {
        entries.add(new Entry(turn, message));
        trim();
    }

    /** The conversation a reply answers, noting in {@code anchor} where it ends. */
    public synchronized List<Message> answering(Anchor anchor) {
        anchor.set = true;
        anchor.last = entries.isEmpty() ? null : entries.getLast();
        return messages();
    }

    /** Inserts a reply's messages, in order, right after what it answered. */
    public synchronized void insert(Anchor anchor, int turn, List<Message> messages) {
        int at = place(anchor);
        for (Message m : messages) entries.add(at++, new Entry(turn, m));
        trim();
    }

    /**
     * Keeps only {@code heardText} of the reply of {@code turn} (an empty text removes it).
     *
     * @return false when the conversation holds no reply of that turn
     */
    public synchronized boolean truncate(int turn, String heardText) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            Entry e = entries.get(i);
            if (e.turn() == turn && e.message().role() == Message.Role.ASSISTANT) {
                if (heardText.isBlank()) entries.remove(i);
                else e.message = Message.assistant(heardText);
                return true;
            }
        }
        return false;
    }

    /** Removes the {@code role} messages of {@code turn}; false when there were none. */
    public synchronized boolean remove(int turn, Message.Role role) {
        return entries.removeIf(e -> e.turn() == turn && e.message().role() == role);
    }

    private int place(Anchor anchor) {
        if (!anchor.set) return entries.size();
        if (anchor.last == null) return 0;
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (entries.get(i) == anchor.last) return i + 1;
        }
        return entries.size(); // trimmed away meanwhile
    }

    private void trim() {
        while (entries.size() > MAX_MESSAGES) entries.removeFirst();
    }
}

package dev.parley.session;

import java.util.ArrayDeque;

/** What the brain asked to say unprompted, waiting for the floor, in the order asked. Thread-safe. */
final class Announcements {
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    /** Read without the lock on every frame: cheap to ask when nothing waits, the common case. */
    private volatile boolean waiting;

    synchronized void add(String words) {
        queue.add(words);
        waiting = true;
    }

    boolean waiting() {
        return waiting;
    }

    synchronized boolean isEmpty() {
        return queue.isEmpty();
    }

    /** The next announcement, or null. */
    synchronized String next() {
        String words = queue.poll();
        waiting = !queue.isEmpty();
        return words;
    }

    synchronized void clear() {
        queue.clear();
        waiting = false;
    }
}

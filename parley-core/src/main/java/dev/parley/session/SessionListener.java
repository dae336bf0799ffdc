package dev.parley.session;

/**
 * Receives a session's events. Called from the thread that feeds audio and from the threads producing a reply, one
 * event at a time (the session serialises the calls); an implementation must not block for long.
 */
@FunctionalInterface
public interface SessionListener {
    void on(SessionEvent event);

    SessionListener NONE = e -> {
    };
}

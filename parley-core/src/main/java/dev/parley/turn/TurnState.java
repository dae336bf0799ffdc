package dev.parley.turn;

/** Where a conversation stands. A session moves between these; each change is reported. */
public enum TurnState {
    /** Waiting for the user to speak. */
    LISTENING,
    /** The user is speaking (speech confirmed, turn not yet ended). */
    USER_SPEAKING,
    /** The user's turn ended; transcript, dialog and synthesis are under way, nothing audible yet. */
    THINKING,
    /** The reply is being played. */
    SPEAKING,
    /** The user spoke over the reply; it is being stopped and a new user turn begins. */
    INTERRUPTED
}

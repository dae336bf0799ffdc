package dev.parley.dialog;

import dev.parley.failover.ProviderEvents;

/** What a session offers its brain besides answering turns. */
public interface DialogContext {

    /**
     * Speaks {@code text} unprompted (a timer went off, "are you still there?"). When the floor is free it is said at
     * once; while the user speaks or a reply plays it waits until both are over. It becomes an assistant message of
     * the conversation like any reply. Thread-safe; returns at once.
     */
    void say(String text);

    /** The reply voice's volume and rate, for "louder" and "slower". */
    default VoiceControls voice() {
        return VoiceControls.NONE;
    }

    /**
     * Where a brain that calls a provider reports the call's time to first byte and a fallback taking over; both
     * are credited to the reply being produced.
     */
    default ProviderEvents providers() {
        return ProviderEvents.NONE;
    }

    /** A context that drops what it is given: for a brain used outside a voice session (one typed turn). */
    DialogContext NONE = text -> { };
}

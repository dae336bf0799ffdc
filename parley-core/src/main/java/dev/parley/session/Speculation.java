package dev.parley.session;

import dev.parley.reply.Reply;

/**
 * The reply prepared on a partial transcript while the user pauses, before the endpoint confirms the turn (see
 * {@link SessionConfig#speculateMs()}): dialog and TTS run, the audio is held back. If the user speaks again it is
 * thrown away; at the endpoint it is kept only when it was prepared for exactly the words heard. Input thread only.
 */
final class Speculation {
    private Reply reply;

    boolean active() {
        return reply != null;
    }

    /** Holds a reply being prepared (started by whoever made it). */
    void start(Reply speculative) {
        drop();
        reply = speculative;
    }

    /** Throws the prepared reply away, if any. */
    void drop() {
        if (reply == null) return;
        reply.drop();
        reply = null;
    }

    /**
     * At the endpoint: the prepared reply when it answers exactly {@code heardSoFar}, else null (and it is dropped).
     */
    Reply take(String heardSoFar) {
        Reply r = reply;
        reply = null;
        if (r == null) return null;
        if (heardSoFar != null && r.speculativeText().equals(heardSoFar)) return r;
        r.drop();
        return null;
    }
}

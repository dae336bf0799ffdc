package dev.parley.transport.realtime;

/** Where a Realtime session's server events go: the connection's outbound queue. Methods must not block. */
public interface Outbox {
    /** Queues one server event (a JSON text message). */
    void send(String json);

    /** Queues an audio delta of response {@code responseId}. */
    default void sendAudio(String json, String responseId) {
        send(json);
    }

    /** Drops the audio of {@code responseId} queued and not yet written (the response was cancelled). */
    default void discardAudio(String responseId) {
    }
}

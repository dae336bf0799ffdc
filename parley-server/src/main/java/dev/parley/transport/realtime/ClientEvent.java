package dev.parley.transport.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.dialog.Message;

/** The client events Parley acts on, parsed and checked by {@link ClientEventParser}. */
public sealed interface ClientEvent {
    /** The client's {@code event_id}, or null; repeated in an error the event causes. */
    String eventId();

    /** {@code session.update}: the {@code session} object, applied by {@link SessionSettings#apply}. */
    record SessionUpdate(String eventId, JsonNode session) implements ClientEvent {}

    /** {@code input_audio_buffer.append}: the audio bytes, decoded from base64, in the session's input format. */
    record AudioAppend(String eventId, byte[] audio) implements ClientEvent {}

    record AudioCommit(String eventId) implements ClientEvent {}

    record AudioClear(String eventId) implements ClientEvent {}

    /** {@code conversation.item.create} of a text message. */
    record ItemCreate(String eventId, String itemId, Message message) implements ClientEvent {}

    /** {@code conversation.item.retrieve}: the server sends the item back as {@code conversation.item.retrieved}. */
    record ItemRetrieve(String eventId, String itemId) implements ClientEvent {}

    /** {@code conversation.item.delete}: the item leaves the conversation (and what the dialog sees). */
    record ItemDelete(String eventId, String itemId) implements ClientEvent {}

    record ItemTruncate(String eventId, String itemId, int contentIndex, long audioEndMs) implements ClientEvent {}

    record ResponseCreate(String eventId) implements ClientEvent {}

    /** {@code response.cancel}; {@code responseId} is null when the client did not name one. */
    record ResponseCancel(String eventId, String responseId) implements ClientEvent {}

    /** Parley's {@code parley.playback.started}: the client began to play a response. */
    record PlaybackStarted(String eventId, String responseId, String itemId, double bufferedMs, double outputLatencyMs)
            implements ClientEvent {}
}

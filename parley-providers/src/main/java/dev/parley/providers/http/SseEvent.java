package dev.parley.providers.http;

import java.util.Objects;

/**
 * One dispatched server-sent event.
 *
 * @param type the {@code event:} field, {@code "message"} when the event had none
 * @param data the {@code data:} lines joined with {@code \n} (never null, may be empty only if a line said so)
 * @param id   the last event ID seen so far in the stream ({@code ""} when none)
 */
public record SseEvent(String type, String data, String id) {
    public SseEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(id, "id");
    }

    /** A {@code message} event with no ID. */
    public static SseEvent message(String data) {
        return new SseEvent("message", data, "");
    }
}

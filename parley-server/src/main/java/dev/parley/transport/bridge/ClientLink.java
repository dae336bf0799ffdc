package dev.parley.transport.bridge;

import dev.parley.transport.realtime.Outbox;

/** The client's side of a bridged session: its outbound queue, and a way to end the connection after it. */
public interface ClientLink extends Outbox {
    /** Closes the client's socket with {@code code} once the events queued before are written. Never blocks. */
    void closeAfterSent(int code, String reason);
}

package dev.parley.transport.realtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.audio.PcmAudio;

import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Server events on their way to the {@link Outbox}, in order. The {@link Conversation} posts them while holding its
 * lock, which fixes their order; {@link #flush} (called after that lock is let go) writes them: JSON text, Base64
 * audio. One thread at a time flushes, taking every event posted so far in the order posted, so the wire order is
 * the posting order; a flush returns once the events posted before it were handed to the outbox.
 */
final class ServerEventQueue {
    private sealed interface Pending {
    }

    private record Event(ObjectNode event) implements Pending {
    }

    private record Audio(String eventId, String responseId, String itemId, PcmAudio chunk, WireFormat format) implements Pending {
    }

    private record Discard(String responseId) implements Pending {
    }

    private final Outbox out;
    private final ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();
    private final Object writer = new Object();

    ServerEventQueue(Outbox out) {
        this.out = out;
    }

    /** Posts a server event; the tree is not changed after. */
    void event(ObjectNode event) {
        pending.add(new Event(event));
    }

    /** Posts a {@code response.output_audio.delta} of {@code chunk}, encoded when written. */
    void audio(String responseId, String itemId, PcmAudio chunk, WireFormat format) {
        pending.add(new Audio(Ids.next("event"), responseId, itemId, chunk, format));
    }

    /** Posts the dropping of the audio of {@code responseId} written before and not yet sent. */
    void discardAudio(String responseId) {
        pending.add(new Discard(responseId));
    }

    /** Writes every event posted so far to the outbox. Never call it while holding the conversation's lock. */
    void flush() {
        synchronized (writer) {
            for (Pending p; (p = pending.poll()) != null; ) {
                switch (p) {
                    case Event e -> out.send(ServerEvents.write(e.event()));
                    case Audio a -> out.sendAudio(ServerEvents.audioDelta(a.eventId(), a.responseId(), a.itemId(), a.format().encode(a.chunk())), a.responseId());
                    case Discard d -> out.discardAudio(d.responseId());
                }
            }
        }
    }
}

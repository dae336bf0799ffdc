package dev.parley.transport.realtime;

import dev.parley.latency.Waterfall;

import java.util.ArrayList;
import java.util.List;

/**
 * A reply: its item, its transcript, where each phrase starts in its audio. Its state is guarded by the
 * {@link Conversation} that holds it.
 */
final class Response {
    final String id;
    final int turn;
    final Item item;
    final StringBuilder transcript = new StringBuilder();
    final List<HeardText.Phrase> phrases = new ArrayList<>();
    final WireFormat format;
    int rate;
    long samples;
    long firstDeltaNanos;
    Waterfall waterfall;
    boolean done;
    boolean failed;
    boolean heard;
    String status = "in_progress";
    String reason;

    Response(String id, int turn, Item item, WireFormat format) {
        this.id = id;
        this.turn = turn;
        this.item = item;
        this.format = format;
        this.rate = format.rate();
    }

    long audioMs() {
        return samples * 1000 / rate;
    }

    /**
     * The words of the reply within its first {@code audioEndMs}: every phrase that ended by then, and of the
     * phrase playing at that moment, the share of its words its share of time covers.
     */
    String heardText(long audioEndMs) {
        return HeardText.of(phrases, samples, rate, audioEndMs);
    }
}

package dev.parley.bench.turns;

import dev.parley.session.SessionEvent;
import dev.parley.session.SessionListener;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Everything a session reported, each event stamped with where it happened on the recording's timeline (ms from the
 * first sample fed). The benchmark judges the session by these events alone, as a client would, so it measures any
 * implementation of {@code VoiceSession} the same way. It also knows whether a reply is under way, which is when the
 * clock must run in real time.
 */
final class EventLog implements SessionListener {

    /** An event and where it happened, in milliseconds of the recording. */
    record Stamped(double atMs, SessionEvent event) {}

    private final LongSupplier clock;
    private final long origin;
    private final List<Stamped> events = new ArrayList<>();
    private final Set<Integer> replying = new HashSet<>();
    private boolean closed;

    EventLog(LongSupplier clock, long origin) {
        this.clock = clock;
        this.origin = origin;
    }

    @Override
    public synchronized void on(SessionEvent event) {
        if (closed) return;
        events.add(new Stamped((clock.getAsLong() - origin) / 1e6, event));
        switch (event) {
            case SessionEvent.ReplyStarted r -> replying.add(r.turn());
            case SessionEvent.TurnCompleted t -> replying.remove(t.turn());
            case SessionEvent.Interrupted i -> replying.remove(i.turn());
            default -> {
            }
        }
    }

    /** Stops recording: what a session says while it is being closed is not part of the conversation. */
    synchronized void close() {
        closed = true;
    }

    /** Whether a reply is being prepared or played: work that must take its real time. */
    synchronized boolean replying() {
        return !replying.isEmpty();
    }

    synchronized List<Stamped> events() {
        return List.copyOf(events);
    }

    /** The events of one kind, in order. */
    <T extends SessionEvent> List<Stamped> all(Class<T> kind) {
        return events().stream().filter(s -> kind.isInstance(s.event())).toList();
    }

    /** Where each user turn was ended (the first of its SpeechStopped and InputCommitted), in order. */
    List<Stamped> turnEnds() {
        List<Stamped> ends = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (Stamped s : events()) {
            int turn = switch (s.event()) {
                case SessionEvent.SpeechStopped e -> e.turn();
                case SessionEvent.InputCommitted e -> e.turn();
                default -> -1;
            };
            if (turn > 0 && seen.add(turn)) ends.add(s);
        }
        return ends;
    }

    /** The first reply audio that started at or after {@code ms}. */
    Optional<Stamped> replyAudioFrom(double ms) {
        return all(SessionEvent.ReplyAudioStarted.class).stream().filter(s -> s.atMs() >= ms).findFirst();
    }

    /** The first reply audio at all. */
    Optional<Stamped> firstReplyAudio() {
        return replyAudioFrom(Double.NEGATIVE_INFINITY);
    }

    /** The last non-empty final transcript ("" if none). */
    String lastTranscript() {
        List<String> all = transcripts();
        return all.isEmpty() ? "" : all.getLast();
    }

    /**
     * Every non-empty final transcript that stands, in order: not those of turns the user's next words continued
     * ({@link SessionEvent.Merged}), whose transcript the merged one replaces everywhere.
     */
    List<String> transcripts() {
        Set<Integer> merged = new HashSet<>();
        for (Stamped m : all(SessionEvent.Merged.class)) merged.add(((SessionEvent.Merged) m.event()).turn());
        return all(SessionEvent.FinalTranscript.class).stream().map(s -> (SessionEvent.FinalTranscript) s.event())
                .filter(f -> !merged.contains(f.turn())).map(f -> f.transcript().text().strip()).filter(t -> !t.isEmpty()).toList();
    }

    /** Whether the reply of {@code turn} was stopped by the user (an Interrupted event, or its TurnCompleted says so). */
    boolean interrupted(int turn) {
        return events().stream().anyMatch(s -> s.event() instanceof SessionEvent.Interrupted i && i.turn() == turn
                || s.event() instanceof SessionEvent.TurnCompleted t && t.turn() == turn && t.interrupted());
    }

    /** Whether the turn's reply is over (completed or stopped). */
    boolean finished(int turn) {
        return events().stream().anyMatch(s -> s.event() instanceof SessionEvent.Interrupted i && i.turn() == turn
                || s.event() instanceof SessionEvent.TurnCompleted t && t.turn() == turn);
    }
}

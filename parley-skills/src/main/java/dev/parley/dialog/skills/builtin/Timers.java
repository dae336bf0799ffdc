package dev.parley.dialog.skills.builtin;

import dev.parley.dialog.Scheduler;
import dev.parley.dialog.skills.SkillSession;
import dev.parley.dialog.skills.slots.Durations;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One session's running timers and reminders, on the session's {@link Scheduler}. When one falls due it is removed
 * and announced through the session ("Your pasta timer is done.", "Reminder: call mom."), even between turns.
 * Closing cancels them all: they live as long as the session. Thread-safe.
 */
final class Timers implements AutoCloseable {

    /** Most timers and reminders at once, together. */
    static final int MAX = 20;

    enum Kind { TIMER, REMINDER }

    /**
     * A running timer or reminder.
     *
     * @param name   a timer's name ("pasta"), or null
     * @param length how long a timer was set for (a reminder: the delay from when it was set)
     * @param text   what a reminder is about ("call mom"), or null
     */
    record Entry(long id, Kind kind, String name, Duration length, Instant due, String text) {

        /** "pasta timer", "three minute timer", "timer for one hour and ten minutes". */
        String label() {
            if (name != null) {
                return name + " timer";
            }
            return Durations.adjective(length).map(a -> a + " timer")
                    .orElse("timer for " + Durations.spoken(length));
        }

        /** What is said when it falls due. */
        String announcement() {
            if (kind == Kind.REMINDER) {
                return text == null ? "This is your reminder." : "Reminder: " + text + ".";
            }
            return "Your " + label() + " is done.";
        }
    }

    private final SkillSession session;
    private final List<Entry> entries = new ArrayList<>();
    private final Map<Long, Scheduler.Cancellable> handles = new HashMap<>();
    private long nextId = 1;
    private boolean closed;

    Timers(SkillSession session) {
        this.session = session;
    }

    /** The session's timers. */
    static Timers of(SkillSession session) {
        return session.state(Timers.class, Timers::new);
    }

    /**
     * Starts a timer or reminder due at {@code due}; empty when {@link #MAX} are running or the session is over.
     * The current turn can take it back ({@link SkillSession#onUndo}).
     */
    Optional<Entry> start(Kind kind, String name, Duration length, Instant due, String text) {
        Entry e;
        synchronized (this) {
            if (closed || entries.size() >= MAX) {
                return Optional.empty();
            }
            e = new Entry(nextId++, kind, name, length, due, text);
            entries.add(e);
            Duration delay = Duration.between(session.scheduler().now(), due);
            handles.put(e.id(), session.scheduler().schedule(delay, () -> fire(e.id())));
        }
        session.onUndo(() -> cancel(e.id()));
        return Optional.of(e);
    }

    private void fire(long id) {
        Entry e;
        synchronized (this) {
            e = find(id);
            if (e == null || closed) {
                return;
            }
            entries.remove(e);
            handles.remove(id);
        }
        session.say(e.announcement());
    }

    private Entry find(long id) {
        for (Entry e : entries) {
            if (e.id() == id) {
                return e;
            }
        }
        return null;
    }

    /** Running entries of {@code kind}, soonest first. */
    synchronized List<Entry> active(Kind kind) {
        return entries.stream().filter(e -> e.kind() == kind).sorted(Comparator.comparing(Entry::due)).toList();
    }

    /** Cancels one; false when it was not running. */
    boolean cancel(long id) {
        synchronized (this) {
            Entry e = find(id);
            if (e == null) {
                return false;
            }
            entries.remove(e);
            Scheduler.Cancellable h = handles.remove(id);
            if (h != null) {
                h.cancel();
            }
            return true;
        }
    }

    /** Time left until {@code e} is due (zero when due). */
    Duration remaining(Entry e) {
        Duration d = Duration.between(session.scheduler().now(), e.due());
        return d.isNegative() ? Duration.ZERO : d;
    }

    @Override
    public void close() {
        List<Scheduler.Cancellable> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(handles.values());
            handles.clear();
            entries.clear();
        }
        all.forEach(Scheduler.Cancellable::cancel);
    }
}

package dev.parley.dialog.skills;

import dev.parley.dialog.DialogContext;
import dev.parley.dialog.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.Function;

/**
 * What one conversation's skills share: the clock and scheduler (in the user's time zone), the way to speak up
 * between turns (the {@link DialogContext}, once attached), the user's id (for data kept per user), a seeded random
 * source for varied phrasings, and each skill's per-session data ({@link #state}). The {@link SkillsDialog} and the
 * {@linkplain SkillTools tools} of one session share one instance, so a timer set through an LLM tool is the timer
 * "how much time is left" reports.
 *
 * <p>It also remembers how to take back what the current turn did ({@link #onUndo}): when a reply was cut off
 * before the user heard a word, the session carries the user's words into their next turn, which would otherwise
 * set the same timer twice.
 *
 * <p>Thread-safe. {@link #close()} closes every piece of state that is {@link AutoCloseable} (timers cancel).
 */
public final class SkillSession implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SkillSession.class);

    private final Scheduler scheduler;
    private final String userId;
    private final Random random;
    private final Map<Class<?>, Object> state = new LinkedHashMap<>();
    private final List<Runnable> undo = new ArrayList<>();
    private volatile DialogContext context = DialogContext.NONE;
    private volatile boolean closed;

    /**
     * @param scheduler the clock, time zone and timers
     * @param userId    whose data (lists) this is ("default" when null or blank); an id of up to 64 letters,
     *                  digits, '-' and '_' names the user's file as it is, any other is hashed
     * @param seed      for the choice among phrasings (fixed in tests, so replies are known)
     */
    public SkillSession(Scheduler scheduler, String userId, long seed) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.userId = userId == null || userId.isBlank() ? "default" : userId;
        this.random = new Random(seed);
    }

    /** A session of the user "default", phrasings varied at random. */
    public SkillSession(Scheduler scheduler) {
        this(scheduler, "default", System.nanoTime());
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    /** Now in the user's time zone (the scheduler's). */
    public ZonedDateTime now() {
        return scheduler.now().atZone(scheduler.zone());
    }

    public String userId() {
        return userId;
    }

    /** How to speak up unprompted; {@link DialogContext#NONE} until {@link #attach}. */
    public DialogContext context() {
        return context;
    }

    /** Sets the context announcements go to (the session's). */
    public void attach(DialogContext context) {
        this.context = Objects.requireNonNull(context, "context");
    }

    /** Says {@code text} unprompted, unless the session is closed; never throws. */
    public void say(String text) {
        if (closed) {
            return;
        }
        try {
            context.say(text);
        } catch (RuntimeException e) {
            log.warn("could not announce: {}", e.toString());
        }
    }

    /**
     * This session's {@code type} data, made by {@code create} on first use. Every skill keys its data by a class
     * of its own.
     */
    public <T> T state(Class<T> type, Function<SkillSession, T> create) {
        synchronized (state) {
            Object existing = state.get(type);
            if (existing == null) {
                existing = Objects.requireNonNull(create.apply(this), "state");
                state.put(type, existing);
            }
            return type.cast(existing);
        }
    }

    /** One of {@code options}, chosen by the session's seeded random source. */
    public String pick(List<String> options) {
        if (options.isEmpty()) {
            throw new IllegalArgumentException("nothing to pick from");
        }
        synchronized (random) {
            return options.get(random.nextInt(options.size()));
        }
    }

    /** A number in [0, bound) from the seeded random source. */
    public int nextInt(int bound) {
        synchronized (random) {
            return random.nextInt(bound);
        }
    }

    /** How to take back a change the current turn made (see the class comment). */
    public void onUndo(Runnable action) {
        synchronized (undo) {
            undo.add(action);
        }
    }

    /** A new turn starts: what the previous turn did stays. */
    void commitTurn() {
        synchronized (undo) {
            undo.clear();
        }
    }

    /** The current turn's reply went unheard: take back what it did, newest first. Returns how many changes. */
    int undoTurn() {
        List<Runnable> actions;
        synchronized (undo) {
            actions = new ArrayList<>(undo);
            undo.clear();
        }
        for (Runnable r : actions.reversed()) {
            try {
                r.run();
            } catch (RuntimeException e) {
                log.warn("could not undo a change: {}", e.toString());
            }
        }
        return actions.size();
    }

    public boolean isClosed() {
        return closed;
    }

    /** Ends the session: no more announcements; closes every piece of state that is {@link AutoCloseable}. */
    @Override
    public void close() {
        closed = true;
        List<Object> all;
        synchronized (state) {
            all = new ArrayList<>(state.values());
        }
        for (Object o : all) {
            if (o instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    log.warn("could not close {}: {}", o.getClass().getSimpleName(), e.toString());
                }
            }
        }
    }
}

package dev.parley.dialog;

import dev.parley.stt.Transcript;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Wraps a brain with the conversation repairs every voice assistant needs, whatever answers the turns:
 * <ul>
 *   <li>a turn with nothing intelligible in it (empty, or only "uh", "um", "hmm") is not passed on: Parley asks the
 *       user to say it again, and after {@link #MISSES_BEFORE_ADVICE} such turns in a row suggests moving closer to
 *       the microphone;</li>
 *   <li>after a reply that asked the user something has played in full, and nobody speaks for
 *       {@code stillThereAfter}, Parley asks once "Are you still there?".</li>
 * </ul>
 * Everything else goes to the wrapped brain unchanged.
 */
public final class RecoveringDialog implements Dialog {
    public static final String SAY_AGAIN = "Sorry, I didn't catch that. Could you say it again?";
    public static final String MOVE_CLOSER = "I'm having trouble hearing you. Try moving closer to the microphone.";
    public static final String STILL_THERE = "Are you still there?";
    static final int MISSES_BEFORE_ADVICE = 2;

    private static final Set<String> FILLERS = Set.of("uh", "uhh", "um", "umm", "uhm", "hmm", "hm", "mm", "mhm",
            "er", "erm", "ah", "eh", "huh", "the", "a");

    private final Dialog inner;
    private final Scheduler scheduler;
    private final Duration stillThereAfter;
    private volatile DialogContext context = DialogContext.NONE;
    private int misses; // guarded by this
    private Scheduler.Cancellable stillThere; // guarded by this

    /**
     * @param stillThereAfter silence after a question before "Are you still there?"; zero or negative turns it off
     */
    public RecoveringDialog(Dialog inner, Scheduler scheduler, Duration stillThereAfter) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.stillThereAfter = Objects.requireNonNull(stillThereAfter, "stillThereAfter");
    }

    @Override
    public TextStream respond(List<Message> history, Transcript userTurn) {
        synchronized (this) {
            cancelStillThere();
            if (unintelligible(userTurn.text())) {
                misses++;
                return TextStream.of(misses >= MISSES_BEFORE_ADVICE ? MOVE_CLOSER : SAY_AGAIN);
            }
            misses = 0;
        }
        return inner.respond(history, userTurn);
    }

    /** Nothing but fillers, punctuation or noise words. */
    static boolean unintelligible(String text) {
        String n = text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}']+", " ").strip();
        if (n.isEmpty()) return true;
        for (String w : n.split(" ")) {
            if (!FILLERS.contains(w)) return false;
        }
        return true;
    }

    @Override
    public void attach(DialogContext context) {
        this.context = context;
        inner.attach(context);
    }

    @Override
    public void onSignal(DialogSignal signal) {
        switch (signal) {
            case DialogSignal.UserSpeechStarted s -> {
                synchronized (this) {
                    cancelStillThere();
                }
            }
            case DialogSignal.ReplyPlayed p -> {
                if (!p.interrupted() && asks(p.heardText()) && !p.heardText().strip().equals(STILL_THERE)
                        && stillThereAfter.isPositive()) {
                    synchronized (this) {
                        cancelStillThere();
                        stillThere = scheduler.schedule(stillThereAfter, this::askStillThere);
                    }
                }
            }
        }
        inner.onSignal(signal);
    }

    private void askStillThere() {
        synchronized (this) {
            if (stillThere == null) return;
            stillThere = null;
        }
        context.say(STILL_THERE);
    }

    private static boolean asks(String text) {
        return text.strip().endsWith("?");
    }

    private void cancelStillThere() {
        // callers hold this
        if (stillThere != null) {
            stillThere.cancel();
            stillThere = null;
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            cancelStillThere();
        }
        inner.close();
    }
}

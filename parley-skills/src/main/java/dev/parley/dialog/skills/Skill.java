package dev.parley.dialog.skills;

import dev.parley.dialog.Tool;

import java.util.List;
import java.util.Set;

/**
 * One thing the assistant can do (tell the time, run timers, keep lists...). Adding a skill is writing one class:
 * name the intents it answers, answer a request, and optionally offer the same abilities as {@link Tool}s for an
 * LLM. A skill is shared by every session: it keeps per-session data in {@link SkillSession#state}, never in
 * fields, and must be thread-safe.
 *
 * <p>A skill that answers {@link dev.parley.dialog.nlu.IntentMatch#OUT_OF_SCOPE} is a knowledge skill (the user's
 * notes): it is asked, in order, whenever the classifier has nothing better, and {@linkplain SkillReply#pass()
 * passes} when it has no answer.
 *
 * <p>Replies must come quickly (well under 20 ms): no model calls or network on {@link #handle}, beyond what
 * {@link SkillRequest} already carries.
 */
public interface Skill {

    /** The intents this skill answers ("timer.set", "timer.cancel"). */
    Set<String> intents();

    /** Answers a request for one of its {@link #intents()}. Never throws for bad input: say what was wrong. */
    SkillReply handle(SkillRequest request);

    /**
     * The intents that change something (set a timer, add to a list): when speech recognition was unsure of the
     * words, the router asks "Did you say: ...?" before running them.
     */
    default Set<String> actions() {
        return Set.of();
    }

    /** The skill's abilities as tools for LLM function calling, acting on {@code session}'s data. */
    default List<Tool> tools(SkillSession session) {
        return List.of();
    }

    /**
     * What it can do, as a phrase completing "I can ..." ("set timers and reminders"), for help and hints; empty
     * when it should not be mentioned.
     */
    default String capability() {
        return "";
    }

    /** A few things to say to use it ("set a pasta timer for ten minutes"), for help and hints. */
    default List<String> examples() {
        return List.of();
    }
}

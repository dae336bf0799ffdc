package dev.parley.dialog.skills;

import java.util.Objects;

/** What a skill answers. */
public sealed interface SkillReply {

    /**
     * Words to say.
     *
     * @param followUp how to read the user's next turn as an answer to a question in {@code text} ("For how
     *                 long?"), or null
     */
    record Speak(String text, FollowUp followUp) implements SkillReply {
        public Speak {
            Objects.requireNonNull(text, "text");
            if (text.isBlank()) {
                throw new IllegalArgumentException("nothing to say: use SkillReply.silence()");
            }
        }
    }

    /** Nothing is said ("stop": the barge-in already silenced the reply). */
    record Silence() implements SkillReply {
    }

    /** The skill has no answer (a knowledge skill found nothing): the router tries something else. */
    record Pass() implements SkillReply {
    }

    /** Says {@code text}. */
    static Speak say(String text) {
        return new Speak(text, null);
    }

    /** Says {@code text}, a question, and reads the next turn with {@code followUp} first. */
    static Speak ask(String text, FollowUp followUp) {
        return new Speak(text, Objects.requireNonNull(followUp, "followUp"));
    }

    static SkillReply silence() {
        return new Silence();
    }

    static SkillReply pass() {
        return new Pass();
    }
}

package dev.parley.dialog.skills;

import dev.parley.dialog.Message;
import dev.parley.dialog.nlu.IntentMatch;

import java.time.ZonedDateTime;
import java.util.List;
import java.util.Objects;

/**
 * One turn, as a skill sees it.
 *
 * @param match      what the classifier made of it
 * @param text       what the user said, as recognised
 * @param normalized the same in {@link dev.parley.dialog.skills.slots.SpokenText} form (lower case words)
 * @param words      the words of {@code normalized}, for the slot parsers
 * @param history    the conversation before this turn, oldest first (what the user actually heard of replies)
 * @param confidence the recogniser's confidence in the words, in [0, 1]
 * @param session    the session: its clock and scheduler, how to speak up later, per-session data
 * @param skills     every skill of the assistant (for help)
 */
public record SkillRequest(IntentMatch match, String text, String normalized, List<String> words,
                           List<Message> history, double confidence, SkillSession session, SkillSet skills) {
    public SkillRequest {
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(normalized, "normalized");
        words = List.copyOf(words);
        history = List.copyOf(history);
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(skills, "skills");
    }

    /** The intent's name. */
    public String intent() {
        return match.intent();
    }

    /** Now, in the user's time zone. */
    public ZonedDateTime now() {
        return session.now();
    }

    /** Whether {@code word} is one of the words said. */
    public boolean has(String word) {
        return words.contains(word);
    }

    @Override
    public String toString() {
        return "SkillRequest[" + match.intent() + ", \"" + text + "\"]";
    }
}

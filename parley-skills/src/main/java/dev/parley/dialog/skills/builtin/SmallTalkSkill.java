package dev.parley.dialog.skills.builtin;

import dev.parley.dialog.skills.Skill;
import dev.parley.dialog.skills.SkillReply;
import dev.parley.dialog.skills.SkillRequest;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Greetings, thanks, "who are you", "how are you" and goodbyes, each with a few phrasings chosen by the session's
 * seeded random source (varied in use, known in tests).
 */
public final class SmallTalkSkill implements Skill {

    static final Map<String, List<String>> REPLIES = Map.of(
            "smalltalk.greeting", List.of("Hello! How can I help?", "Hi there! What can I do for you?",
                    "Hey! What can I do for you?"),
            "smalltalk.thanks", List.of("You're welcome.", "Happy to help.", "Any time."),
            "smalltalk.identity", List.of("I'm Parley, a voice assistant that runs on your computer.",
                    "I'm Parley, your offline voice assistant.",
                    "My name is Parley. I'm a voice assistant, and I run right here on your computer."),
            "smalltalk.howareyou", List.of("I'm doing well, thanks for asking. How can I help?",
                    "All good here, thanks! What can I do for you?",
                    "I'm great, thank you. What would you like to do?"),
            "smalltalk.goodbye", List.of("Goodbye!", "Bye for now!", "See you later!"));

    @Override
    public Set<String> intents() {
        return REPLIES.keySet();
    }

    @Override
    public SkillReply handle(SkillRequest r) {
        List<String> options = REPLIES.get(r.intent());
        return options == null ? SkillReply.pass() : SkillReply.say(r.session().pick(options));
    }
}

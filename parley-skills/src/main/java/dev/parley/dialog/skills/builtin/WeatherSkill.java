package dev.parley.dialog.skills.builtin;

import dev.parley.dialog.skills.Skill;
import dev.parley.dialog.skills.SkillReply;
import dev.parley.dialog.skills.SkillRequest;

import java.util.Set;

/** The weather: honestly out of reach, since the assistant runs offline. */
public final class WeatherSkill implements Skill {
    static final String REPLY = "Sorry, I can't check the weather: I run offline, without an internet connection.";

    @Override
    public Set<String> intents() {
        return Set.of("weather");
    }

    @Override
    public SkillReply handle(SkillRequest r) {
        return SkillReply.say(REPLY);
    }
}

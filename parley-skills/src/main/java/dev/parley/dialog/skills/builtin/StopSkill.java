package dev.parley.dialog.skills.builtin;

import dev.parley.dialog.skills.Skill;
import dev.parley.dialog.skills.SkillReply;
import dev.parley.dialog.skills.SkillRequest;

import java.util.Set;

/**
 * "Stop", "be quiet", "never mind": nothing is said. The user's speech already stopped the reply that was playing
 * (barge-in); answering "OK" would only start talking again. A question the assistant had asked is dropped.
 */
public final class StopSkill implements Skill {

    @Override
    public Set<String> intents() {
        return Set.of("control.stop");
    }

    @Override
    public SkillReply handle(SkillRequest r) {
        return SkillReply.silence();
    }
}

package dev.parley.dialog.skills.builtin;

import dev.parley.dialog.Message;
import dev.parley.dialog.skills.Skill;
import dev.parley.dialog.skills.SkillReply;
import dev.parley.dialog.skills.SkillRequest;

import java.util.List;
import java.util.Set;

/**
 * "Say that again": the last assistant message the user heard (from the conversation history, which holds what
 * was heard of each reply and the unprompted announcements), or "I haven't said anything yet."
 */
public final class RepeatSkill implements Skill {
    static final String NOTHING_YET = "I haven't said anything yet.";

    @Override
    public Set<String> intents() {
        return Set.of("control.repeat");
    }

    @Override
    public SkillReply handle(SkillRequest r) {
        List<Message> h = r.history();
        for (int i = h.size() - 1; i >= 0; i--) {
            Message m = h.get(i);
            if (m.role() == Message.Role.ASSISTANT && m.text() != null && !m.text().isBlank()) {
                return SkillReply.say(m.text().strip());
            }
        }
        return SkillReply.say(NOTHING_YET);
    }
}

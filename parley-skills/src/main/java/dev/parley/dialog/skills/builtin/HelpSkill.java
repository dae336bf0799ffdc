package dev.parley.dialog.skills.builtin;

import dev.parley.dialog.skills.Skill;
import dev.parley.dialog.skills.SkillReply;
import dev.parley.dialog.skills.SkillRequest;
import dev.parley.dialog.skills.slots.Durations;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * "What can you do?": the skills' {@linkplain Skill#capability() capabilities} in one sentence, then two examples
 * from two different skills (chosen by the session's seeded random source, so they vary).
 */
public final class HelpSkill implements Skill {

    @Override
    public Set<String> intents() {
        return Set.of("help");
    }

    @Override
    public SkillReply handle(SkillRequest r) {
        List<Skill> described = r.skills().described();
        if (described.isEmpty()) {
            return SkillReply.say("I can chat a little, but I don't have any skills yet.");
        }
        List<String> caps = described.stream().map(Skill::capability).toList();
        StringBuilder sb = new StringBuilder("I can ").append(Durations.joinAnd(caps)).append('.');
        List<Skill> withExamples = new ArrayList<>(described.stream().filter(s -> !s.examples().isEmpty()).toList());
        if (!withExamples.isEmpty()) {
            Skill a = withExamples.remove(r.session().nextInt(withExamples.size()));
            sb.append(" For example, say: ").append(r.session().pick(a.examples()));
            if (!withExamples.isEmpty()) {
                Skill b = withExamples.get(r.session().nextInt(withExamples.size()));
                sb.append(", or: ").append(r.session().pick(b.examples()));
            }
            sb.append('.');
        }
        return SkillReply.say(sb.toString());
    }
}

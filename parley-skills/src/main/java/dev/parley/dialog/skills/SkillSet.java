package dev.parley.dialog.skills;

import dev.parley.dialog.nlu.IntentMatch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The assistant's skills, shared by every session: which skill answers which intent, and the knowledge skills
 * (those answering {@link IntentMatch#OUT_OF_SCOPE}) in the order they are asked. Immutable.
 */
public final class SkillSet {
    private final List<Skill> skills;
    private final Map<String, Skill> byIntent = new HashMap<>();
    private final List<Skill> knowledge = new ArrayList<>();

    private SkillSet(List<Skill> skills) {
        this.skills = List.copyOf(skills);
        for (Skill s : this.skills) {
            for (String intent : s.intents()) {
                if (intent.equals(IntentMatch.OUT_OF_SCOPE)) {
                    knowledge.add(s);
                    continue;
                }
                Skill old = byIntent.put(intent, s);
                if (old != null) {
                    throw new IllegalArgumentException("intent " + intent + " is answered by both "
                            + old.getClass().getSimpleName() + " and " + s.getClass().getSimpleName());
                }
            }
        }
    }

    /** The given skills; each intent may be answered by one skill only (knowledge skills aside). */
    public static SkillSet of(List<? extends Skill> skills) {
        return new SkillSet(new ArrayList<>(skills));
    }

    public static SkillSet of(Skill... skills) {
        return of(List.of(skills));
    }

    /** The skill for {@code intent}. */
    public Optional<Skill> forIntent(String intent) {
        return Optional.ofNullable(byIntent.get(intent));
    }

    /** The skills asked when nothing else fits (the user's notes), in order. */
    public List<Skill> knowledge() {
        return List.copyOf(knowledge);
    }

    /** Every skill, in the order given. */
    public List<Skill> all() {
        return skills;
    }

    /** The skills that say what they can do ({@link Skill#capability()} not empty). */
    public List<Skill> described() {
        return skills.stream().filter(s -> !s.capability().isBlank()).toList();
    }
}

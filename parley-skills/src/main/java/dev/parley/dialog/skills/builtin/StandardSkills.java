package dev.parley.dialog.skills.builtin;

import dev.parley.dialog.skills.Skill;
import dev.parley.dialog.skills.SkillSet;
import dev.parley.dialog.skills.notes.NotesIndex;
import dev.parley.dialog.skills.notes.NotesSkill;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The built-in skills, for every intent of the dataset: time and date, timers, reminders, arithmetic, unit
 * conversion, lists, repeat, stop, voice louder/quieter/slower/faster, help, weather, small talk, and the user's
 * notes when given.
 */
public final class StandardSkills {
    private StandardSkills() {
    }

    /** Every built-in skill, lists in memory, no notes. */
    public static SkillSet create() {
        return create(null, null);
    }

    /**
     * Every built-in skill.
     *
     * @param listsDirectory where each user's lists are saved, or null to keep them in memory per session
     * @param notes          the user's notes, or null
     */
    public static SkillSet create(Path listsDirectory, NotesIndex notes) {
        return create(listsDirectory, notes, NotesSkill.DEFAULT_MIN_SCORE);
    }

    /** As {@link #create(Path, NotesIndex)}, with the similarity a note needs to be read out. */
    public static SkillSet create(Path listsDirectory, NotesIndex notes, double notesMinScore) {
        List<Skill> skills = new ArrayList<>(List.of(
                new TimeSkill(),
                new TimerSkill(),
                new ReminderSkill(),
                new MathSkill(),
                new UnitsSkill(),
                listsDirectory == null ? new ListSkill() : new ListSkill(listsDirectory),
                new VoiceSkill(),
                new RepeatSkill(),
                new StopSkill(),
                new HelpSkill(),
                new WeatherSkill(),
                new SmallTalkSkill()));
        if (notes != null) {
            skills.add(new NotesSkill(notes, notesMinScore));
        }
        return SkillSet.of(skills);
    }
}

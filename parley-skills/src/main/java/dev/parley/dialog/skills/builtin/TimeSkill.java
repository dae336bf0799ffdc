package dev.parley.dialog.skills.builtin;

import dev.parley.dialog.RuleBasedDialog;
import dev.parley.dialog.Tool;
import dev.parley.dialog.skills.Skill;
import dev.parley.dialog.skills.SkillReply;
import dev.parley.dialog.skills.SkillRequest;
import dev.parley.dialog.skills.SkillSession;
import dev.parley.dialog.skills.SkillTools;

import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;

/**
 * The time and the date in the user's time zone (the session scheduler's), said as {@link RuleBasedDialog} says
 * them: "It's five oh seven PM.", "It's noon.", "Today is Saturday, November 21st." ("Tomorrow is ..." and
 * "Yesterday was ..." when asked).
 */
public final class TimeSkill implements Skill {

    @Override
    public Set<String> intents() {
        return Set.of("time.now", "date.today");
    }

    @Override
    public String capability() {
        return "tell you the time and the date";
    }

    @Override
    public List<String> examples() {
        return List.of("what time is it", "what's the date today");
    }

    @Override
    public SkillReply handle(SkillRequest r) {
        ZonedDateTime now = r.now();
        if (r.intent().equals("time.now")) {
            return SkillReply.say(time(now));
        }
        if (r.has("tomorrow")) {
            return SkillReply.say("Tomorrow is " + RuleBasedDialog.spokenDate(now.toLocalDate().plusDays(1)) + ".");
        }
        if (r.has("yesterday")) {
            return SkillReply.say("Yesterday was " + RuleBasedDialog.spokenDate(now.toLocalDate().minusDays(1))
                    + ".");
        }
        return SkillReply.say("Today is " + RuleBasedDialog.spokenDate(now.toLocalDate()) + ".");
    }

    static String time(ZonedDateTime now) {
        return "It's " + RuleBasedDialog.spokenTime(now.toLocalTime()) + ".";
    }

    @Override
    public List<Tool> tools(SkillSession session) {
        return List.of(SkillTools.tool("current_time", "The current local time and date of the user.",
                "{\"type\":\"object\",\"properties\":{}}",
                a -> {
                    ZonedDateTime now = session.now();
                    return String.format("It's %02d:%02d (%s) on %s, %d, time zone %s.", now.getHour(),
                            now.getMinute(), RuleBasedDialog.spokenTime(now.toLocalTime()),
                            RuleBasedDialog.spokenDate(now.toLocalDate()), now.getYear(), now.getZone().getId());
                }));
    }
}

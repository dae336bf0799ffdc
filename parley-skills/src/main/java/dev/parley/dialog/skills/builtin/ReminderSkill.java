package dev.parley.dialog.skills.builtin;

import dev.parley.dialog.RuleBasedDialog;
import dev.parley.dialog.Tool;
import dev.parley.dialog.skills.FollowUp;
import dev.parley.dialog.skills.Skill;
import dev.parley.dialog.skills.SkillReply;
import dev.parley.dialog.skills.SkillRequest;
import dev.parley.dialog.skills.SkillSession;
import dev.parley.dialog.skills.SkillTools;
import dev.parley.dialog.skills.ToolArgumentException;
import dev.parley.dialog.skills.slots.Durations;
import dev.parley.dialog.skills.slots.NumberWords;
import dev.parley.dialog.skills.slots.SpokenText;
import dev.parley.dialog.skills.slots.When;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reminders: "remind me to call mom in ten minutes", "remind me at five pm to take the bread out", "remind me
 * tomorrow at nine to call the dentist", "set a reminder for 17:30 to leave", "in an hour remind me about the
 * laundry". When due it says "Reminder: call mom." between turns. The user's "my" becomes "your" ("take your
 * pills"). Without a time it asks "When should I remind you?".
 *
 * <p>Reminders live in the session, like timers: they are not kept once the session ends.
 */
public final class ReminderSkill implements Skill {
    static final Duration MAX_AHEAD = Duration.ofDays(7);

    private static final Map<String, String> PRONOUNS = Map.of("my", "your", "me", "you", "i", "you",
            "myself", "yourself", "mine", "yours", "im", "you are", "am", "are", "ive", "you have");
    private static final Set<String> CONNECTORS = Set.of("to", "about", "that", "of", "for");

    @Override
    public Set<String> intents() {
        return Set.of("reminder.set");
    }

    @Override
    public Set<String> actions() {
        return Set.of("reminder.set");
    }

    @Override
    public String capability() {
        return "remind you of things";
    }

    @Override
    public List<String> examples() {
        return List.of("remind me to call mom in ten minutes", "remind me at five pm to take the bread out");
    }

    /** What to be reminded of, and how it was introduced ("to" or "about"). */
    private record Subject(String text, String connector) {}

    @Override
    public SkillReply handle(SkillRequest r) {
        Optional<When> when = When.find(r.words());
        Subject subject = subject(r.words(), when.map(When::words).orElse(List.of()));
        if (when.isEmpty()) {
            // "remind me to ... at five" is a request of its own, answered as such
            FollowUp answer = next -> next.has("remind") || next.has("reminder") ? Optional.empty()
                    : When.find(next.words())
                    .map(w -> SkillReply.say(set(next.session(), subject, w.resolve(next.now()),
                            w instanceof When.At)));
            return SkillReply.ask("When should I remind you?", answer);
        }
        return SkillReply.say(set(r.session(), subject, when.get().resolve(r.now()), when.get() instanceof When.At));
    }

    /** What is left of the request once the time and "remind me" are taken out, "my" said as "your". */
    private static Subject subject(List<String> words, List<Integer> timeWords) {
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            if (!timeWords.contains(i)) {
                rest.add(words.get(i));
            }
        }
        int start = -1;
        for (int i = 0; i < rest.size(); i++) {
            String t = rest.get(i);
            if (t.equals("remind") || t.equals("reminder") || t.equals("reminders")) {
                start = i + 1;
            }
        }
        if (start < 0) {
            start = 0;
        }
        while (start < rest.size() && Set.of("me", "us", "a", "please").contains(rest.get(start))) {
            start++;
        }
        String connector = "to";
        while (start < rest.size() && CONNECTORS.contains(rest.get(start))) {
            if (rest.get(start).equals("about") || rest.get(start).equals("of")) {
                connector = "about";
            }
            start++;
        }
        int end = rest.size();
        while (end > start && Set.of("please", "thanks", "okay", "ok").contains(rest.get(end - 1))) {
            end--;
        }
        if (end <= start) {
            return new Subject(null, connector);
        }
        List<String> said = new ArrayList<>();
        for (String t : rest.subList(start, end)) {
            said.add(PRONOUNS.getOrDefault(t, t));
        }
        return new Subject(String.join(" ", said), connector);
    }

    /** Sets the reminder and says when ({@code clock}: as a time of day); the reply when it cannot. */
    private static String set(SkillSession session, Subject subject, ZonedDateTime due, boolean clock) {
        ZonedDateTime now = session.now();
        Duration ahead = Duration.between(now, due);
        if (!ahead.isPositive()) {
            return "That time has already passed.";
        }
        if (ahead.compareTo(MAX_AHEAD) > 0) {
            return "I can only set reminders up to a week ahead.";
        }
        Optional<Timers.Entry> e = Timers.of(session).start(Timers.Kind.REMINDER, null, ahead, due.toInstant(),
                subject.text());
        if (e.isEmpty()) {
            return "You already have " + Timers.MAX + " timers and reminders running. Cancel one first.";
        }
        String what = subject.text() == null ? "" : " " + subject.connector() + " " + subject.text();
        return "OK, I'll remind you" + what + " " + when(now, due, ahead, clock) + ".";
    }

    /** "in ten minutes" (not {@code clock}), else "at five PM", "tomorrow at nine AM", "on Monday at noon". */
    static String when(ZonedDateTime now, ZonedDateTime due, Duration ahead, boolean clock) {
        if (!clock) {
            return "in " + TimerSkill.remaining(ahead);
        }
        String at = "at " + RuleBasedDialog.spokenTime(due.toLocalTime());
        LocalDate today = now.toLocalDate(), day = due.toLocalDate();
        if (day.equals(today)) {
            return at;
        }
        if (day.equals(today.plusDays(1))) {
            return "tomorrow " + at;
        }
        return "on " + due.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + " " + at;
    }

    /** "You have two reminders: call mom at five PM, and ..." */
    static SkillReply status(SkillSession session) {
        Timers timers = Timers.of(session);
        List<Timers.Entry> all = timers.active(Timers.Kind.REMINDER);
        if (all.isEmpty()) {
            return SkillReply.say("You don't have any reminders.");
        }
        List<String> parts = new ArrayList<>();
        ZonedDateTime now = session.now();
        for (Timers.Entry e : all) {
            ZonedDateTime due = e.due().atZone(now.getZone());
            Duration left = timers.remaining(e);
            parts.add((e.text() == null ? "one" : e.text()) + " " + when(now, due, left,
                    left.compareTo(Duration.ofHours(1)) >= 0));
        }
        return SkillReply.say("You have " + (all.size() == 1 ? "one reminder" : NumberWords.toWords(all.size())
                + " reminders") + ": " + Durations.joinAnd(parts) + ".");
    }

    /** "cancel the reminder", "cancel the reminder to call mom", "cancel all reminders". */
    static SkillReply cancel(SkillSession session, List<String> words) {
        Timers timers = Timers.of(session);
        List<Timers.Entry> all = timers.active(Timers.Kind.REMINDER);
        if (all.isEmpty()) {
            return SkillReply.say("You don't have any reminders.");
        }
        if (words.contains("all") || words.contains("reminders") || words.contains("both") || all.size() == 1) {
            all.forEach(e -> timers.cancel(e.id()));
            return SkillReply.say(all.size() == 1 ? "OK, I cancelled the reminder"
                    + (all.getFirst().text() == null ? "." : " to " + all.getFirst().text() + ".")
                    : "OK, I cancelled all " + NumberWords.toWords(all.size()) + " reminders.");
        }
        // the reminder whose words were said
        Timers.Entry best = null;
        int bestOverlap = 0;
        for (Timers.Entry e : all) {
            if (e.text() == null) {
                continue;
            }
            int overlap = 0;
            for (String t : e.text().split(" ")) {
                if (t.length() > 2 && words.contains(t)) {
                    overlap++;
                }
            }
            if (overlap > bestOverlap) {
                best = e;
                bestOverlap = overlap;
            }
        }
        if (best == null) {
            return SkillReply.say("You have " + NumberWords.toWords(all.size())
                    + " reminders. Say which one to cancel, for example: cancel the reminder to "
                    + all.stream().filter(e -> e.text() != null).findFirst().map(Timers.Entry::text).orElse("call mom")
                    + ". Or say: cancel all reminders.");
        }
        timers.cancel(best.id());
        return SkillReply.say("OK, I cancelled the reminder to " + best.text() + ".");
    }

    @Override
    public List<Tool> tools(SkillSession session) {
        return List.of(SkillTools.tool("set_reminder",
                "Remind the user of something later: after a delay in seconds, or at a time of day (24-hour HH:MM,"
                        + " the next such time).", """
                        {"type":"object","properties":{
                        "text":{"type":"string","description":"what to remind of, e.g. call mom"},
                        "delay_seconds":{"type":"integer","minimum":1,"description":"remind after this many seconds"},
                        "at":{"type":"string","pattern":"^\\\\d{1,2}:\\\\d{2}$","description":"or remind at this time of day, HH:MM (24-hour)"}},
                        "required":["text"]}""",
                a -> {
                    String text = a.text("text");
                    boolean hasDelay = a.has("delay_seconds"), hasAt = a.has("at");
                    if (hasDelay == hasAt) {
                        throw new ToolArgumentException("give exactly one of delay_seconds or at");
                    }
                    ZonedDateTime now = session.now();
                    ZonedDateTime due;
                    if (hasDelay) {
                        double s = a.number("delay_seconds");
                        if (s < 1 || s > MAX_AHEAD.toSeconds()) {
                            throw new ToolArgumentException("delay_seconds must be between 1 and "
                                    + MAX_AHEAD.toSeconds());
                        }
                        due = now.plus(Duration.ofMillis(Math.round(s * 1000)));
                    } else {
                        LocalTime t;
                        try {
                            String at = a.text("at");
                            t = LocalTime.parse(at.length() == 4 ? "0" + at : at);
                        } catch (DateTimeParseException e) {
                            throw new ToolArgumentException("at must be a time of day as HH:MM, e.g. 17:30");
                        }
                        due = ZonedDateTime.of(now.toLocalDate(), t, now.getZone());
                        if (!due.isAfter(now)) {
                            due = due.plusDays(1);
                        }
                    }
                    String words = SpokenText.normalize(text);
                    Subject subject = words.isEmpty() ? new Subject(null, "to") : new Subject(text.strip()
                            .replaceAll("[.!?]+$", ""), "to");
                    return set(session, subject, due, hasAt);
                }));
    }
}

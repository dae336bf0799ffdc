package dev.parley.dialog.skills.builtin;

import dev.parley.dialog.Tool;
import dev.parley.dialog.skills.FollowUp;
import dev.parley.dialog.skills.Skill;
import dev.parley.dialog.skills.SkillReply;
import dev.parley.dialog.skills.SkillRequest;
import dev.parley.dialog.skills.SkillSession;
import dev.parley.dialog.skills.SkillTools;
import dev.parley.dialog.skills.ToolArgumentException;
import dev.parley.dialog.skills.slots.DurationMatch;
import dev.parley.dialog.skills.slots.Durations;
import dev.parley.dialog.skills.slots.NumberWords;
import dev.parley.dialog.skills.slots.SpokenText;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Kitchen timers, several at once, optionally named: "set a timer for three minutes", "set a pasta timer for ten
 * minutes", "a ten minute egg timer", "how much time is left", "timer status", "how long on the pasta timer",
 * "cancel the timer", "cancel the pasta timer", "cancel all timers". When one is done it says so between turns:
 * "Your three minute timer is done." / "Your pasta timer is done."
 *
 * <p>Asked without a length, it asks "For how long?"; asked to cancel one of several without saying which, it asks
 * which. Status and cancel requests that mention reminders act on reminders ({@link ReminderSkill}).
 */
public final class TimerSkill implements Skill {
    static final Duration MAX_LENGTH = Duration.ofHours(24);
    /** Most timers read out one by one in a status; beyond, only the next one. */
    static final int MAX_LISTED = 3;

    /** Words around a timer's name that are not the name. */
    private static final Set<String> NOT_NAME = Set.copyOf(List.of("set", "start", "begin", "make", "create", "put", "add",
            "a", "an", "the", "my", "me", "new", "another", "second", "up", "on", "please", "can", "could", "would",
            "will", "you", "for", "hey", "parley", "ok", "okay", "i", "need", "want", "to", "timer", "timers", "one",
            "and", "of", "give", "called", "named", "labelled", "labeled", "start", "countdown", "minute",
            "minutes", "hour", "hours", "second", "seconds", "quick", "just", "cancel", "stop", "delete", "remove",
            "how", "much", "long", "time", "left", "is", "there", "on", "whats", "what", "status", "remaining",
            "check", "the", "all", "every", "off", "turn", "kill", "clear"));

    @Override
    public Set<String> intents() {
        return Set.of("timer.set", "timer.remaining", "timer.cancel");
    }

    @Override
    public Set<String> actions() {
        return Set.of("timer.set", "timer.cancel");
    }

    @Override
    public String capability() {
        return "set timers";
    }

    @Override
    public List<String> examples() {
        return List.of("set a timer for ten minutes", "set a pasta timer for eight minutes",
                "how much time is left on the timer");
    }

    @Override
    public SkillReply handle(SkillRequest r) {
        return switch (r.intent()) {
            case "timer.set" -> set(r);
            case "timer.remaining" -> mentionsReminder(r.words()) ? ReminderSkill.status(r.session())
                    : SkillReply.say(status(r.session(), r.words()));
            case "timer.cancel" -> mentionsReminder(r.words()) ? ReminderSkill.cancel(r.session(), r.words())
                    : cancel(r.session(), r.words());
            default -> SkillReply.pass();
        };
    }

    static boolean mentionsReminder(List<String> words) {
        return words.contains("reminder") || words.contains("reminders");
    }

    // -- set ------------------------------------------------------------------------------------------------------

    private SkillReply set(SkillRequest r) {
        Optional<DurationMatch> d = Durations.find(r.words());
        String name = name(r.words(), d.orElse(null));
        if (d.isEmpty() || d.get().duration().isZero()) {
            return askLength(name);
        }
        return SkillReply.say(start(r.session(), name, d.get().duration()));
    }

    private static SkillReply askLength(String name) {
        // "set a timer for five minutes" is a request of its own, answered as such
        FollowUp answer = next -> next.has("timer") ? Optional.empty()
                : Durations.find(next.words()).filter(m -> m.duration().isPositive())
                .map(m -> SkillReply.say(start(next.session(), name, m.duration())));
        return SkillReply.ask("For how long?", answer);
    }

    /** Starts a timer and says so; the reply when it cannot. */
    static String start(SkillSession session, String name, Duration length) {
        if (length.compareTo(MAX_LENGTH) > 0) {
            return "I can set timers for up to 24 hours.";
        }
        if (length.toMillis() < 1000) {
            return "That's too short for a timer.";
        }
        Timers timers = Timers.of(session);
        String replaced = "";
        if (name != null) {
            for (Timers.Entry e : timers.active(Timers.Kind.TIMER)) {
                if (name.equals(e.name())) {
                    timers.cancel(e.id());
                    replaced = " The old one is cancelled.";
                }
            }
        }
        Instant due = session.scheduler().now().plus(length);
        Optional<Timers.Entry> e = timers.start(Timers.Kind.TIMER, name, length, due, null);
        if (e.isEmpty()) {
            return "You already have " + Timers.MAX + " timers and reminders running. Cancel one first.";
        }
        String what = name == null ? "Timer" : capitalize(name) + " timer";
        return what + " set for " + Durations.spoken(length) + "." + replaced;
    }

    /**
     * The timer's name from "set a pasta timer", "a ten minute egg timer", "a timer for the pasta", "a timer called
     * pasta"; null when none was given. At most three words.
     */
    static String name(List<String> w, DurationMatch d) {
        int timer = w.indexOf("timer");
        List<String> name = new ArrayList<>();
        if (timer >= 0) {
            for (int i = timer - 1; i >= 0 && !inside(d, i) && !NOT_NAME.contains(w.get(i)) && name.size() < 3; i--) {
                name.addFirst(w.get(i));
            }
        }
        if (name.isEmpty()) {
            for (int i = 0; i < w.size(); i++) {
                String t = w.get(i);
                if ((t.equals("called") || t.equals("named") || t.equals("labelled") || t.equals("labeled")
                        || (t.equals("for") && i > timer && timer >= 0)) && !inside(d, i + 1)) {
                    for (int j = i + 1; j < w.size() && !inside(d, j) && name.size() < 3; j++) {
                        if (w.get(j).equals("the") || w.get(j).equals("my")) {
                            continue;
                        }
                        if (NOT_NAME.contains(w.get(j))) {
                            break;
                        }
                        name.add(w.get(j));
                    }
                    if (!name.isEmpty()) {
                        break;
                    }
                }
            }
        }
        if (name.isEmpty() || name.stream().allMatch(t -> t.matches("\\d.*"))) {
            return null;
        }
        return String.join(" ", name);
    }

    private static boolean inside(DurationMatch d, int i) {
        return d != null && i >= d.start() && i < d.end();
    }

    // -- status ---------------------------------------------------------------------------------------------------

    /** "Your pasta timer has four minutes left." and the like. */
    static String status(SkillSession session, List<String> words) {
        Timers timers = Timers.of(session);
        List<Timers.Entry> all = timers.active(Timers.Kind.TIMER);
        if (all.isEmpty()) {
            return "You don't have any timers running.";
        }
        List<Timers.Entry> named = matching(all, words);
        if (named.size() == 1 || all.size() == 1) {
            Timers.Entry e = named.size() == 1 ? named.getFirst() : all.getFirst();
            return "Your " + e.label() + " has " + remaining(timers.remaining(e)) + " left.";
        }
        if (all.size() > MAX_LISTED) {
            Timers.Entry e = all.getFirst();
            return "You have " + NumberWords.toWords(all.size()) + " timers. The next one, the " + e.label()
                    + ", has " + remaining(timers.remaining(e)) + " left.";
        }
        List<String> parts = new ArrayList<>();
        for (Timers.Entry e : all) {
            parts.add("the " + e.label() + " has " + remaining(timers.remaining(e)) + " left");
        }
        return "You have " + NumberWords.toWords(all.size()) + " timers: " + Durations.joinAnd(parts) + ".";
    }

    /**
     * Time left, said as precisely as is useful: seconds under two minutes ("ninety seconds"), minutes and seconds
     * under ten minutes, whole minutes under an hour, hours and minutes beyond.
     */
    static String remaining(Duration d) {
        long s = (d.toMillis() + 999) / 1000;
        if (s >= 600) {
            long minutes = Math.round(s / 60.0);
            return Durations.spoken(Duration.ofMinutes(minutes));
        }
        return Durations.spoken(Duration.ofSeconds(Math.max(1, s)));
    }

    /** The entries named in {@code words}: by name ("pasta") or by length ("the ten minute timer"). */
    static List<Timers.Entry> matching(List<Timers.Entry> entries, List<String> words) {
        Optional<Duration> said = Durations.find(words).map(DurationMatch::duration);
        String text = " " + String.join(" ", words) + " ";
        List<Timers.Entry> out = new ArrayList<>();
        for (Timers.Entry e : entries) {
            if (e.name() != null && text.contains(" " + e.name() + " ")) {
                out.add(e);
            }
        }
        if (out.isEmpty() && said.isPresent()) {
            for (Timers.Entry e : entries) {
                if (e.length().equals(said.get())) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    // -- cancel ---------------------------------------------------------------------------------------------------

    private SkillReply cancel(SkillSession session, List<String> words) {
        Timers timers = Timers.of(session);
        List<Timers.Entry> all = timers.active(Timers.Kind.TIMER);
        if (all.isEmpty()) {
            return SkillReply.say("You don't have any timers running.");
        }
        if (words.contains("all") || words.contains("every") || words.contains("both") || words.contains("timers")) {
            all.forEach(e -> timers.cancel(e.id()));
            return SkillReply.say(all.size() == 1 ? "OK, I cancelled the " + all.getFirst().label() + "."
                    : all.size() == 2 ? "OK, I cancelled both timers."
                    : "OK, I cancelled all " + NumberWords.toWords(all.size()) + " timers.");
        }
        List<Timers.Entry> named = matching(all, words);
        if (named.size() == 1 || (named.isEmpty() && all.size() == 1 && name(words, null) == null)) {
            Timers.Entry e = named.isEmpty() ? all.getFirst() : named.getFirst();
            timers.cancel(e.id());
            return SkillReply.say("OK, I cancelled the " + e.label() + ".");
        }
        String asked = name(words, Durations.find(words).orElse(null));
        if (named.isEmpty() && asked != null) {
            return SkillReply.say("You don't have a " + asked + " timer. You have " + labels(all, "a") + ".");
        }
        List<Timers.Entry> choices = named.isEmpty() ? all : named;
        FollowUp which = next -> {
            List<Timers.Entry> still = Timers.of(next.session()).active(Timers.Kind.TIMER);
            if (next.words().contains("all") || next.words().contains("both")) {
                return Optional.of(cancel(next.session(), List.of("all")));
            }
            List<Timers.Entry> picked = matching(still, next.words());
            if (picked.size() != 1) {
                return Optional.empty();
            }
            timers.cancel(picked.getFirst().id());
            return Optional.of(SkillReply.say("OK, I cancelled the " + picked.getFirst().label() + "."));
        };
        return SkillReply.ask("You have " + NumberWords.toWords(choices.size()) + " timers: " + labels(choices, "the")
                + ". Which one should I cancel?", which);
    }

    private static String labels(List<Timers.Entry> entries, String article) {
        return Durations.joinAnd(entries.stream().map(e -> article + " " + e.label()).toList());
    }

    static String capitalize(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }

    // -- tools ----------------------------------------------------------------------------------------------------

    @Override
    public List<Tool> tools(SkillSession session) {
        return List.of(
                SkillTools.tool("set_timer", "Start a countdown timer. It announces itself when done.", """
                                {"type":"object","properties":{
                                "duration_seconds":{"type":"integer","minimum":1,"maximum":86400,"description":"how long, in seconds"},
                                "name":{"type":"string","description":"optional name, e.g. pasta"}},
                                "required":["duration_seconds"]}""",
                        a -> {
                            double seconds = a.number("duration_seconds");
                            if (seconds < 1 || seconds > MAX_LENGTH.toSeconds()) {
                                throw new ToolArgumentException("duration_seconds must be between 1 and "
                                        + MAX_LENGTH.toSeconds());
                            }
                            String name = a.optionalText("name").map(TimerSkill::toolName).orElse(null);
                            return start(session, name, Duration.ofMillis(Math.round(seconds * 1000)));
                        }),
                SkillTools.tool("cancel_timer", "Cancel a running timer, by name when several are running.", """
                                {"type":"object","properties":{
                                "name":{"type":"string","description":"the timer's name; omit when only one runs, or 'all'"}}}""",
                        a -> {
                            Optional<String> name = a.optionalText("name").map(TimerSkill::toolName);
                            List<String> words = new ArrayList<>(List.of("cancel"));
                            name.ifPresent(n -> words.addAll(List.of(n.split(" "))));
                            words.add("timer");
                            SkillReply r = cancel(session, words);
                            return r instanceof SkillReply.Speak s ? s.text() : "";
                        }),
                SkillTools.tool("timer_status", "How much time is left on each running timer.",
                        "{\"type\":\"object\",\"properties\":{}}",
                        a -> status(session, List.of())));
    }

    /** A name as the model sends it: "Pasta Timer" → "pasta". */
    private static String toolName(String name) {
        String n = SpokenText.normalize(name).replaceAll("(^| )timer$", "").strip();
        if (n.isEmpty()) {
            throw new ToolArgumentException("name must have letters or digits");
        }
        if (n.split(" ").length > 4) {
            throw new ToolArgumentException("name must be a few words at most");
        }
        return n;
    }
}

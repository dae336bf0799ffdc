package dev.parley.dialog.skills.slots;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads lengths of time as people say them and speaks them back.
 *
 * <p>Understood (words from {@link SpokenText#tokens}): a number or "a"/"an" and a unit ("ten minutes", "a minute",
 * "90 seconds", "1.5 hours", "5 mins", "2 hrs", "1h 30m"; singular or plural, so "a ten minute timer" works); halves and
 * quarters ("half an hour", "a half hour", "a quarter of an hour", "three quarters of an hour", "an hour and a
 * half", "one and a half hours", "two and a half minutes"); "a couple of minutes"; several parts, with or without
 * "and" ("three hours and ten minutes", "one hour ten minutes"); and a bare number after hours or minutes that
 * carries on the count ("an hour thirty", "five minutes thirty"). Units: seconds, minutes, hours, days, weeks.
 */
public final class Durations {
    private Durations() {
    }

    private static final Map<String, Duration> UNITS = Map.ofEntries(
            Map.entry("second", Duration.ofSeconds(1)), Map.entry("seconds", Duration.ofSeconds(1)),
            Map.entry("sec", Duration.ofSeconds(1)), Map.entry("secs", Duration.ofSeconds(1)),
            Map.entry("minute", Duration.ofMinutes(1)), Map.entry("minutes", Duration.ofMinutes(1)),
            Map.entry("min", Duration.ofMinutes(1)), Map.entry("mins", Duration.ofMinutes(1)),
            Map.entry("hour", Duration.ofHours(1)), Map.entry("hours", Duration.ofHours(1)),
            Map.entry("hr", Duration.ofHours(1)), Map.entry("hrs", Duration.ofHours(1)),
            Map.entry("h", Duration.ofHours(1)), Map.entry("m", Duration.ofMinutes(1)),
            Map.entry("day", Duration.ofDays(1)), Map.entry("days", Duration.ofDays(1)),
            Map.entry("week", Duration.ofDays(7)), Map.entry("weeks", Duration.ofDays(7)));

    private record Part(double amount, Duration unit, int end) {
        Duration duration() {
            return Duration.ofMillis(Math.round(amount * unit.toMillis()));
        }
    }

    /** The first length of time in {@code words} (a negative one, "minus five minutes", is none). */
    public static Optional<DurationMatch> find(List<String> words) {
        for (int i = 0; i < words.size(); i++) {
            if (i > 0 && (words.get(i - 1).equals("minus") || words.get(i - 1).equals("negative"))) {
                continue;
            }
            Optional<DurationMatch> d = parseAt(words, i);
            if (d.isPresent()) {
                return d;
            }
        }
        return Optional.empty();
    }

    /** The first length of time in {@code text}. */
    public static Optional<Duration> parse(String text) {
        return find(SpokenText.tokens(text)).map(DurationMatch::duration);
    }

    /** The length of time that starts at word {@code start}, if one does. */
    public static Optional<DurationMatch> parseAt(List<String> w, int start) {
        Optional<Part> first = part(w, start);
        if (first.isEmpty()) {
            return Optional.empty();
        }
        Duration total = first.get().duration();
        Duration lastUnit = first.get().unit();
        int end = first.get().end();
        while (end < w.size()) {
            int next = w.get(end).equals("and") ? end + 1 : end;
            Optional<Part> p = part(w, next);
            if (p.isPresent()) {
                total = total.plus(p.get().duration());
                lastUnit = p.get().unit();
                end = p.get().end();
                continue;
            }
            // "an hour thirty", "five minutes thirty": the next smaller unit, unsaid
            Optional<ParsedNumber> bare = NumberParser.parseAt(w, next);
            if (next == end && bare.isPresent() && bare.get().isWhole() && !bare.get().ordinal()
                    && bare.get().value() > 0 && bare.get().value() < 60
                    && (lastUnit.equals(Duration.ofHours(1)) || lastUnit.equals(Duration.ofMinutes(1)))
                    && (bare.get().end() == w.size() || !isUnitAhead(w, bare.get().end()))) {
                Duration smaller = lastUnit.equals(Duration.ofHours(1)) ? Duration.ofMinutes(1) : Duration.ofSeconds(1);
                total = total.plus(smaller.multipliedBy((long) bare.get().value()));
                end = bare.get().end();
            }
            break;
        }
        return Optional.of(new DurationMatch(total, start, end));
    }

    private static boolean isUnitAhead(List<String> w, int i) {
        return i < w.size() && UNITS.containsKey(w.get(i));
    }

    private static Optional<Part> part(List<String> w, int i) {
        if (i >= w.size()) {
            return Optional.empty();
        }
        String t = w.get(i);
        boolean article = t.equals("a") || t.equals("an");
        // half an hour
        if (t.equals("half") && (at(w, i + 1, "an") || at(w, i + 1, "a")) && unit(w, i + 2) != null) {
            return Optional.of(new Part(0.5, unit(w, i + 2), i + 3));
        }
        // a half hour, half hour
        int h = article ? i + 1 : i;
        if (at(w, h, "half") && unit(w, h + 1) != null) {
            return Optional.of(new Part(0.5, unit(w, h + 1), h + 2));
        }
        // a quarter of an hour, quarter hour
        int q = article || t.equals("one") ? i + 1 : i;
        if (at(w, q, "quarter")) {
            int u = skipOfArticle(w, q + 1);
            if (unit(w, u) != null) {
                return Optional.of(new Part(0.25, unit(w, u), u + 1));
            }
        }
        // three quarters of an hour
        if (t.equals("three") && at(w, i + 1, "quarters")) {
            int u = skipOfArticle(w, i + 2);
            if (unit(w, u) != null) {
                return Optional.of(new Part(0.75, unit(w, u), u + 1));
            }
        }
        // a couple of minutes
        if (article && at(w, i + 1, "couple")) {
            int u = at(w, i + 2, "of") ? i + 3 : i + 2;
            if (unit(w, u) != null) {
                return Optional.of(withHalf(w, new Part(2, unit(w, u), u + 1)));
            }
        }
        // ten minutes, one and a half hours, a hundred seconds
        Optional<ParsedNumber> n = NumberParser.parseAt(w, i);
        if (n.isPresent() && !n.get().ordinal() && n.get().value() >= 0 && unit(w, n.get().end()) != null) {
            return Optional.of(withHalf(w, new Part(n.get().value(), unit(w, n.get().end()), n.get().end() + 1)));
        }
        // a minute, an hour
        if (article && unit(w, i + 1) != null) {
            return Optional.of(withHalf(w, new Part(1, unit(w, i + 1), i + 2)));
        }
        return Optional.empty();
    }

    /** "an hour" + "and a half". */
    private static Part withHalf(List<String> w, Part p) {
        int i = p.end();
        if (at(w, i, "and") && (at(w, i + 1, "a") || at(w, i + 1, "one"))) {
            if (at(w, i + 2, "half")) {
                return new Part(p.amount() + 0.5, p.unit(), i + 3);
            }
            if (at(w, i + 2, "quarter")) {
                return new Part(p.amount() + 0.25, p.unit(), i + 3);
            }
        }
        return p;
    }

    private static int skipOfArticle(List<String> w, int i) {
        if (at(w, i, "of")) {
            i++;
        }
        if (at(w, i, "an") || at(w, i, "a")) {
            i++;
        }
        return i;
    }

    private static boolean at(List<String> w, int i, String word) {
        return i < w.size() && w.get(i).equals(word);
    }

    private static Duration unit(List<String> w, int i) {
        return i < w.size() ? UNITS.get(w.get(i)) : null;
    }

    /**
     * {@code d} in words, to the second: "three minutes", "one hour and ten minutes", "two days, one hour and five
     * seconds", "zero seconds".
     */
    public static String spoken(Duration d) {
        List<String> parts = new ArrayList<>();
        for (long[] c : components(d)) {
            parts.add(NumberWords.toWords(c[0]) + " " + UNIT_NAMES[(int) c[1]] + (c[0] == 1 ? "" : "s"));
        }
        if (parts.isEmpty()) {
            return "zero seconds";
        }
        return joinAnd(parts);
    }

    /**
     * {@code d} as a word before a noun ("a three minute timer"), when it is a whole number of one unit: "three
     * minute", "one hour", "ninety second"; empty when it has several parts (one minute and thirty seconds).
     */
    public static Optional<String> adjective(Duration d) {
        List<long[]> c = components(d);
        if (c.size() != 1) {
            return Optional.empty();
        }
        return Optional.of(NumberWords.toWords(c.getFirst()[0]) + " " + UNIT_NAMES[(int) c.getFirst()[1]]);
    }

    private static final String[] UNIT_NAMES = {"day", "hour", "minute", "second"};

    /** [amount, unit index] for each non-zero unit, to the second; under two minutes, all seconds ("ninety"). */
    private static List<long[]> components(Duration d) {
        long s = Math.max(0, Math.round(d.toMillis() / 1000.0));
        List<long[]> out = new ArrayList<>();
        if (s < 120 && s % 60 != 0) {
            if (s > 0) {
                out.add(new long[]{s, 3});
            }
            return out;
        }
        long[] amounts = {s / 86_400, s % 86_400 / 3600, s % 3600 / 60, s % 60};
        for (int i = 0; i < 4; i++) {
            if (amounts[i] != 0) {
                out.add(new long[]{amounts[i], i});
            }
        }
        return out;
    }

    /** "a", "a and b", "a, b and c". */
    public static String joinAnd(List<String> parts) {
        if (parts.size() == 1) {
            return parts.getFirst();
        }
        return String.join(", ", parts.subList(0, parts.size() - 1)) + " and " + parts.getLast();
    }
}

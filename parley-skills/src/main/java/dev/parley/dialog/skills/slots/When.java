package dev.parley.dialog.skills.slots;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * When something should happen, as said in a request: after a delay ("in ten minutes", "after an hour", "twenty
 * minutes from now") or at a time of day ("at five pm", "tomorrow at nine", "tonight at eight", "at half past four
 * this afternoon").
 */
public sealed interface When {

    /** The indexes of the words that said it (so the rest of the request can be read without them). */
    List<Integer> words();

    /** The moment meant, seen from {@code now} (in the user's zone). */
    ZonedDateTime resolve(ZonedDateTime now);

    /** After a delay. */
    record After(Duration delay, List<Integer> words) implements When {
        public After {
            words = List.copyOf(words);
        }

        @Override
        public ZonedDateTime resolve(ZonedDateTime now) {
            return now.plus(delay);
        }
    }

    /**
     * At a time of day.
     *
     * @param time     the time said
     * @param tomorrow "tomorrow" was said
     * @param hint     morning (AM) or afternoon/evening (PM) said apart from the time ("tonight", "this
     *                 afternoon", "tomorrow morning"), or null
     */
    record At(ClockTime time, boolean tomorrow, Half hint, List<Integer> words) implements When {
        public At {
            words = List.copyOf(words);
        }

        /**
         * The next such moment: today if still ahead, else tomorrow; "tomorrow" moves it a day. An hour said
         * without AM or PM ("at five") is the sooner of 5:00 and 17:00 that is still ahead; said with "tomorrow", 7 to
         * 11 are the morning and 1 to 6 the afternoon.
         */
        @Override
        public ZonedDateTime resolve(ZonedDateTime now) {
            LocalTime t = time.time();
            boolean known = time.meridiemKnown();
            if (!known && hint != null) {
                int h = t.getHour();
                if (hint == Half.PM && h >= 1 && h < 12) {
                    t = t.plusHours(12);
                } else if (hint == Half.AM && h == 12) {
                    t = t.minusHours(12);
                }
                known = true;
            }
            LocalDate today = now.toLocalDate();
            if (tomorrow) {
                LocalDate day = today.plusDays(1);
                if (!known) {
                    int h = t.getHour();
                    if (h >= 1 && h <= 6) {
                        t = t.plusHours(12);
                    }
                }
                return ZonedDateTime.of(day, t, now.getZone());
            }
            List<ZonedDateTime> candidates = new ArrayList<>();
            candidates.add(ZonedDateTime.of(today, t, now.getZone()));
            if (!known) {
                candidates.add(ZonedDateTime.of(today, t, now.getZone()).plusHours(12));
            }
            for (ZonedDateTime c : candidates) {
                if (c.isAfter(now)) {
                    return c;
                }
            }
            return ZonedDateTime.of(today.plusDays(1), t, now.getZone());
        }
    }

    /** Morning or afternoon. */
    enum Half { AM, PM }

    /** When, in {@code words}; a delay is looked for before a time of day. */
    static Optional<When> find(List<String> words) {
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (w.equals("in") || w.equals("after")) {
                Optional<DurationMatch> d = Durations.parseAt(words, i + 1);
                if (d.isPresent() && d.get().duration().isPositive()) {
                    return Optional.of(new After(d.get().duration(), range(i, d.get().end())));
                }
            }
            Optional<DurationMatch> d = Durations.parseAt(words, i);
            if (d.isPresent() && d.get().end() + 1 < words.size() && words.get(d.get().end()).equals("from")
                    && words.get(d.get().end() + 1).equals("now")) {
                return Optional.of(new After(d.get().duration(), range(i, d.get().end() + 2)));
            }
        }
        Optional<ClockTime> c = ClockTimes.find(words);
        if (c.isEmpty()) {
            return Optional.empty();
        }
        List<Integer> used = new ArrayList<>(range(c.get().start(), c.get().end()));
        boolean tomorrow = false;
        Half hint = null;
        for (int i = 0; i < words.size(); i++) {
            if (used.contains(i)) {
                continue;
            }
            String w = words.get(i);
            String next = i + 1 < words.size() ? words.get(i + 1) : "";
            if (w.equals("tomorrow")) {
                tomorrow = true;
                used.add(i);
                if (Set.of("morning", "afternoon", "evening", "night").contains(next)) {
                    hint = next.equals("morning") ? Half.AM : Half.PM;
                    used.add(i + 1);
                }
            } else if (w.equals("tonight")) {
                hint = Half.PM;
                used.add(i);
            } else if (w.equals("this") && Set.of("morning", "afternoon", "evening").contains(next)) {
                hint = next.equals("morning") ? Half.AM : Half.PM;
                used.add(i);
                used.add(i + 1);
            }
        }
        used.sort(null);
        return Optional.of(new At(c.get(), tomorrow, hint, used));
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(i);
        }
        return out;
    }
}

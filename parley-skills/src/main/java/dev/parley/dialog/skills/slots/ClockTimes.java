package dev.parley.dialog.skills.slots;

import java.time.LocalTime;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads times of day as people say them: "at five pm", "at 5 p.m.", "at 17:30", "at five thirty", "at five oh
 * seven", "at seventeen hundred", "at half past four", "quarter to five", "twenty past six", "ten minutes past
 * four", "at noon", "midnight", "at nine in the morning", "at eight in the evening", "at seven at night", "five
 * oclock". A bare hour ("at five") needs the "at"; the other forms are found anywhere.
 */
public final class ClockTimes {
    private ClockTimes() {
    }

    private static final Pattern COLON = Pattern.compile("(\\d{1,2}):(\\d{2})");

    private enum Meridiem { NONE, AM, PM }

    /** A parse before the optional "at": {@code strong} when it cannot be a plain number. */
    private record Parsed(LocalTime time, boolean known, boolean strong, int end) {}

    /** The first time of day in {@code words}. */
    public static Optional<ClockTime> find(List<String> words) {
        for (int i = 0; i < words.size(); i++) {
            if (words.get(i).equals("at")) {
                Optional<Parsed> p = parse(words, i + 1);
                if (p.isPresent()) {
                    return Optional.of(new ClockTime(p.get().time(), p.get().known(), i, p.get().end()));
                }
            }
            Optional<Parsed> p = parse(words, i);
            if (p.isPresent() && p.get().strong()) {
                return Optional.of(new ClockTime(p.get().time(), p.get().known(), i, p.get().end()));
            }
        }
        return Optional.empty();
    }

    /** The first time of day in {@code text}. */
    public static Optional<ClockTime> find(String text) {
        return find(SpokenText.tokens(text));
    }

    private static Optional<Parsed> parse(List<String> w, int i) {
        if (i >= w.size()) {
            return Optional.empty();
        }
        String t = w.get(i);
        if (t.equals("noon") || t.equals("midday")) {
            return Optional.of(new Parsed(LocalTime.NOON, true, true, i + 1));
        }
        if (t.equals("midnight")) {
            return Optional.of(new Parsed(LocalTime.MIDNIGHT, true, true, i + 1));
        }
        Optional<Parsed> relative = relative(w, i);
        if (relative.isPresent()) {
            return relative;
        }
        int hour, minute = 0, end;
        boolean known = false, strong = false;
        Matcher colon = COLON.matcher(t);
        if (colon.matches()) {
            hour = Integer.parseInt(colon.group(1));
            minute = Integer.parseInt(colon.group(2));
            known = hour == 0 || hour > 12 || colon.group(1).length() == 2 && colon.group(1).startsWith("0");
            strong = true;
            end = i + 1;
        } else {
            Optional<ParsedNumber> h = NumberParser.parseAt(w, i);
            if (h.isEmpty() || !h.get().isWhole() || h.get().ordinal() || h.get().value() < 0) {
                return Optional.empty();
            }
            int v = (int) Math.min(h.get().value(), 10_000);
            end = h.get().end();
            boolean military = w.subList(i, end).contains("hundred") || w.get(i).matches("\\d{3,4}");
            if (military && v >= 100 && v <= 2359 && v % 100 < 60) {
                hour = v / 100;
                minute = v % 100;
                known = true;
                strong = w.subList(i, end).contains("hundred");
            } else if (v <= 24) {
                hour = v == 24 ? 0 : v;
                known = v == 0 || v > 12;
                // the minutes: "oh seven", "thirty", "15"
                if (end < w.size() && (w.get(end).equals("oh") || w.get(end).equals("o")) && end + 1 < w.size()
                        && NumberParser.ONES.containsKey(w.get(end + 1)) && !w.get(end + 1).equals("zero")) {
                    minute = NumberParser.ONES.get(w.get(end + 1));
                    end += 2;
                } else {
                    Optional<ParsedNumber> m = NumberParser.parseAt(w, end);
                    if (m.isPresent() && m.get().isWhole() && !m.get().ordinal() && m.get().value() >= 10
                            && m.get().value() < 60 && !w.get(end).startsWith("-")) {
                        minute = (int) m.get().value();
                        end = m.get().end();
                    }
                }
            } else {
                return Optional.empty();
            }
        }
        if (end < w.size() && (w.get(end).equals("oclock") || w.get(end).equals("o'clock"))) {
            end++;
            strong = true;
        }
        Meridiem meridiem = Meridiem.NONE;
        int[] after = new int[1];
        meridiem = meridiem(w, end, after);
        if (meridiem != Meridiem.NONE) {
            end = after[0];
            strong = true;
            if (hour >= 1 && hour <= 12) {
                hour = meridiem == Meridiem.PM ? (hour == 12 ? 12 : hour + 12) : (hour == 12 ? 0 : hour);
            }
            known = true;
        }
        if (hour > 23 || minute > 59) {
            return Optional.empty();
        }
        return Optional.of(new Parsed(LocalTime.of(hour, minute), known, strong, end));
    }

    /** "half past four", "quarter to five", "twenty past six", "ten minutes to nine". */
    private static Optional<Parsed> relative(List<String> w, int i) {
        int minutes;
        int j;
        String t = w.get(i);
        if (t.equals("half")) {
            minutes = 30;
            j = i + 1;
        } else if (t.equals("quarter") || (t.equals("a") && i + 1 < w.size() && w.get(i + 1).equals("quarter"))) {
            minutes = 15;
            j = t.equals("a") ? i + 2 : i + 1;
        } else {
            Optional<ParsedNumber> n = NumberParser.parseAt(w, i);
            if (n.isEmpty() || !n.get().isWhole() || n.get().ordinal() || n.get().value() < 1
                    || n.get().value() > 30) {
                return Optional.empty();
            }
            minutes = (int) n.get().value();
            j = n.get().end();
            if (j < w.size() && (w.get(j).equals("minutes") || w.get(j).equals("minute"))) {
                j++;
            }
        }
        if (j >= w.size()) {
            return Optional.empty();
        }
        String dir = w.get(j);
        boolean past = dir.equals("past") || dir.equals("after");
        boolean to = dir.equals("to") || dir.equals("before") || dir.equals("till") || dir.equals("til");
        if (!past && !to || (t.equals("half") && !past)) {
            return Optional.empty();
        }
        Optional<Parsed> hour = hourOnly(w, j + 1);
        if (hour.isEmpty()) {
            return Optional.empty();
        }
        LocalTime base = hour.get().time();
        LocalTime time = past ? base.plusMinutes(minutes) : base.minusMinutes(minutes);
        return Optional.of(new Parsed(time, hour.get().known(), true, hour.get().end()));
    }

    /** "four", "4", "four pm", "noon", "midnight" after "past" or "to". */
    private static Optional<Parsed> hourOnly(List<String> w, int i) {
        if (i >= w.size()) {
            return Optional.empty();
        }
        if (w.get(i).equals("noon") || w.get(i).equals("midday")) {
            return Optional.of(new Parsed(LocalTime.NOON, true, true, i + 1));
        }
        if (w.get(i).equals("midnight")) {
            return Optional.of(new Parsed(LocalTime.MIDNIGHT, true, true, i + 1));
        }
        Optional<ParsedNumber> h = NumberParser.parseAt(w, i);
        if (h.isEmpty() || !h.get().isWhole() || h.get().ordinal() || h.get().value() < 0 || h.get().value() > 23) {
            return Optional.empty();
        }
        int hour = (int) h.get().value();
        int end = h.get().end();
        int[] after = new int[1];
        Meridiem m = meridiem(w, end, after);
        boolean known = hour == 0 || hour > 12;
        if (m != Meridiem.NONE) {
            end = after[0];
            known = true;
            if (hour >= 1 && hour <= 12) {
                hour = m == Meridiem.PM ? (hour == 12 ? 12 : hour + 12) : (hour == 12 ? 0 : hour);
            }
        }
        return Optional.of(new Parsed(LocalTime.of(hour, 0), known, true, end));
    }

    /** am / pm / a m / p m / in the morning / in the afternoon / in the evening / at night, at {@code i}. */
    private static Meridiem meridiem(List<String> w, int i, int[] end) {
        if (i >= w.size()) {
            return Meridiem.NONE;
        }
        String t = w.get(i);
        if (t.equals("am") || t.equals("pm")) {
            end[0] = i + 1;
            return t.equals("am") ? Meridiem.AM : Meridiem.PM;
        }
        if ((t.equals("a") || t.equals("p")) && i + 1 < w.size() && w.get(i + 1).equals("m")) {
            end[0] = i + 2;
            return t.equals("a") ? Meridiem.AM : Meridiem.PM;
        }
        if (t.equals("in") && i + 2 < w.size() && w.get(i + 1).equals("the")) {
            end[0] = i + 3;
            return switch (w.get(i + 2)) {
                case "morning" -> Meridiem.AM;
                case "afternoon", "evening" -> Meridiem.PM;
                default -> Meridiem.NONE;
            };
        }
        if (t.equals("at") && i + 1 < w.size() && w.get(i + 1).equals("night")) {
            end[0] = i + 2;
            return Meridiem.PM;
        }
        return Meridiem.NONE;
    }
}

package dev.parley.dialog.skills.slots;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads numbers in the words speech recognition produces, spelled out or in digits (words from
 * {@link SpokenText#tokens}).
 *
 * <p>Understood: digits ("17", "2.5", "-3", "21st", "2 million"); cardinals in words, with or without "and"
 * ("twenty five", "a hundred and twelve", "one hundred twelve", "two thousand twenty six", "twenty five hundred",
 * "three million four hundred thousand and one"); "a"/"an" before hundred or a scale word ("a thousand");
 * decimals ("two point five", "three point one four", "point five"); fractions after a whole number ("one and a
 * half", "two and a quarter", "three and three quarters"); signs ("minus five", "negative two point five"); ordinals
 * ("third", "twenty first", "hundredth"). A lone "second" counts as an ordinal only after "the" (otherwise it is the
 * unit of time).
 *
 * <p>A number stops where the grammar of English numbers stops: "five six" is two numbers, "twenty thirty" too, and
 * "five thirty" is five then thirty (which the clock-time parser reads as 5:30).
 */
public final class NumberParser {
    private NumberParser() {
    }

    private enum Last { NONE, ARTICLE, ONES, TEENS, TENS, HUNDRED, SCALE, AND }

    static final Map<String, Integer> ONES = Map.of("zero", 0, "one", 1, "two", 2, "three", 3, "four", 4,
            "five", 5, "six", 6, "seven", 7, "eight", 8, "nine", 9);
    static final Map<String, Integer> TEENS = Map.of("ten", 10, "eleven", 11, "twelve", 12, "thirteen", 13,
            "fourteen", 14, "fifteen", 15, "sixteen", 16, "seventeen", 17, "eighteen", 18, "nineteen", 19);
    static final Map<String, Integer> TENS = Map.of("twenty", 20, "thirty", 30, "forty", 40, "fourty", 40,
            "fifty", 50, "sixty", 60, "seventy", 70, "eighty", 80, "ninety", 90);
    static final Map<String, Long> SCALES = Map.of("thousand", 1_000L, "million", 1_000_000L,
            "billion", 1_000_000_000L, "trillion", 1_000_000_000_000L);
    private static final Map<String, Integer> ORDINAL_ONES = Map.of("first", 1, "second", 2, "third", 3,
            "fourth", 4, "fifth", 5, "sixth", 6, "seventh", 7, "eighth", 8, "ninth", 9);
    private static final Map<String, Integer> ORDINAL_TEENS = Map.of("tenth", 10, "eleventh", 11, "twelfth", 12,
            "thirteenth", 13, "fourteenth", 14, "fifteenth", 15, "sixteenth", 16, "seventeenth", 17,
            "eighteenth", 18, "nineteenth", 19);
    private static final Map<String, Integer> ORDINAL_TENS = Map.of("twentieth", 20, "thirtieth", 30,
            "fortieth", 40, "fiftieth", 50, "sixtieth", 60, "seventieth", 70, "eightieth", 80, "ninetieth", 90);
    private static final Map<String, Long> ORDINAL_SCALES = Map.of("hundredth", 100L, "thousandth", 1_000L,
            "millionth", 1_000_000L);
    /** Digits after "point": "oh" and "o" are said for zero there. */
    private static final Map<String, Integer> DIGITS = Map.ofEntries(Map.entry("zero", 0), Map.entry("oh", 0),
            Map.entry("o", 0), Map.entry("nought", 0), Map.entry("one", 1), Map.entry("two", 2),
            Map.entry("three", 3), Map.entry("four", 4), Map.entry("five", 5), Map.entry("six", 6),
            Map.entry("seven", 7), Map.entry("eight", 8), Map.entry("nine", 9));
    private static final Set<String> SIGNS = Set.of("minus", "negative");

    private static final Pattern DECIMAL = Pattern.compile("-?(?:\\d+(?:\\.\\d+)?|\\.\\d+)");
    private static final Pattern DIGIT_ORDINAL = Pattern.compile("(\\d+)(st|nd|rd|th)");

    /** The number that starts at word {@code start}, if one does. */
    public static Optional<ParsedNumber> parseAt(List<String> words, int start) {
        if (start < 0 || start >= words.size()) {
            return Optional.empty();
        }
        if (SIGNS.contains(words.get(start))) {
            return unsigned(words, start + 1).filter(n -> !n.ordinal())
                    .map(n -> new ParsedNumber(-n.value(), start, n.end(), false));
        }
        return unsigned(words, start);
    }

    /** Every number in {@code words}, left to right, none overlapping. */
    public static List<ParsedNumber> findAll(List<String> words) {
        List<ParsedNumber> out = new ArrayList<>();
        for (int i = 0; i < words.size(); ) {
            Optional<ParsedNumber> n = parseAt(words, i);
            if (n.isPresent()) {
                out.add(n.get());
                i = n.get().end();
            } else {
                i++;
            }
        }
        return out;
    }

    /** The first number in {@code words}. */
    public static Optional<ParsedNumber> find(List<String> words) {
        for (int i = 0; i < words.size(); i++) {
            Optional<ParsedNumber> n = parseAt(words, i);
            if (n.isPresent()) {
                return n;
            }
        }
        return Optional.empty();
    }

    /** The value of {@code text} when it is exactly one number ("twenty five", "2.5"), else empty. */
    public static Optional<Double> parseExactly(String text) {
        List<String> words = SpokenText.tokens(text);
        return parseAt(words, 0).filter(n -> n.end() == words.size()).map(ParsedNumber::value);
    }

    private static Optional<ParsedNumber> unsigned(List<String> w, int start) {
        if (start >= w.size()) {
            return Optional.empty();
        }
        String first = w.get(start);
        Matcher ord = DIGIT_ORDINAL.matcher(first);
        if (ord.matches()) {
            return Optional.of(new ParsedNumber(Double.parseDouble(ord.group(1)), start, start + 1, true));
        }
        if (DECIMAL.matcher(first).matches()) {
            double v = Double.parseDouble(first);
            int i = start + 1;
            if (i < w.size() && (w.get(i).equals("hundred") || SCALES.containsKey(w.get(i))) && v >= 0) {
                v *= w.get(i).equals("hundred") ? 100 : SCALES.get(w.get(i));
                i++;
            }
            return Optional.of(fraction(w, new ParsedNumber(v, start, i, false)));
        }
        if (first.equals("point")) {
            return decimals(w, start + 1, 0).map(d -> new ParsedNumber(d.value(), start, d.end(), false));
        }
        return cardinal(w, start).map(n -> n.ordinal() ? n : fraction(w, withDecimals(w, n)));
    }

    /** Words: "a hundred and twelve", "twenty first". */
    private static Optional<ParsedNumber> cardinal(List<String> w, int start) {
        long total = 0, group = 0, lastScale = Long.MAX_VALUE;
        boolean hundredInGroup = false;
        Last last = Last.NONE;
        int i = start;
        int n = w.size();
        while (i < n) {
            String t = w.get(i);
            Integer v;
            if (last == Last.NONE && (t.equals("a") || t.equals("an")) && i + 1 < n
                    && (w.get(i + 1).equals("hundred") || SCALES.containsKey(w.get(i + 1)))) {
                group = 1;
                last = Last.ARTICLE;
                i++;
            } else if ((v = ONES.get(t)) != null) {
                if (v == 0) {
                    if (last != Last.NONE) {
                        break;
                    }
                    return Optional.of(new ParsedNumber(0, start, i + 1, false));
                }
                if (!oneOf(last, Last.NONE, Last.TENS, Last.HUNDRED, Last.SCALE, Last.AND)) {
                    break;
                }
                group += v;
                last = Last.ONES;
                i++;
            } else if ((v = TEENS.get(t)) != null || (v = TENS.get(t)) != null) {
                if (!oneOf(last, Last.NONE, Last.HUNDRED, Last.SCALE, Last.AND)) {
                    break;
                }
                group += v;
                last = v < 20 ? Last.TEENS : Last.TENS;
                i++;
            } else if (t.equals("hundred")) {
                if (!oneOf(last, Last.ONES, Last.TEENS, Last.TENS, Last.ARTICLE) || hundredInGroup || group >= 100) {
                    break;
                }
                group *= 100;
                hundredInGroup = true;
                last = Last.HUNDRED;
                i++;
            } else if (SCALES.containsKey(t)) {
                long scale = SCALES.get(t);
                if (!oneOf(last, Last.ONES, Last.TEENS, Last.TENS, Last.HUNDRED, Last.ARTICLE) || scale >= lastScale) {
                    break;
                }
                total += group * scale;
                group = 0;
                hundredInGroup = false;
                lastScale = scale;
                last = Last.SCALE;
                i++;
            } else if (t.equals("and")) {
                if (oneOf(last, Last.HUNDRED, Last.SCALE) && i + 1 < n && startsSmallNumber(w.get(i + 1))) {
                    last = Last.AND;
                    i++;
                } else {
                    break;
                }
            } else if ((v = ORDINAL_ONES.get(t)) != null) {
                boolean lone = last == Last.NONE;
                if (!oneOf(last, Last.NONE, Last.TENS, Last.HUNDRED, Last.SCALE, Last.AND)
                        || (lone && t.equals("second") && (start == 0 || !w.get(start - 1).equals("the")))) {
                    break;
                }
                return Optional.of(new ParsedNumber(total + group + v, start, i + 1, true));
            } else if ((v = ORDINAL_TEENS.get(t)) != null || (v = ORDINAL_TENS.get(t)) != null) {
                if (!oneOf(last, Last.NONE, Last.HUNDRED, Last.SCALE, Last.AND)) {
                    break;
                }
                return Optional.of(new ParsedNumber(total + group + v, start, i + 1, true));
            } else if (ORDINAL_SCALES.containsKey(t)) {
                long scale = ORDINAL_SCALES.get(t);
                if (!oneOf(last, Last.NONE, Last.ONES, Last.TEENS, Last.TENS, Last.ARTICLE, Last.HUNDRED, Last.SCALE)
                        || (scale == 100 && (hundredInGroup || group >= 100))) {
                    break;
                }
                long value = scale == 100 ? total + Math.max(group, 1) * 100 : total + Math.max(group, 1) * scale;
                return Optional.of(new ParsedNumber(value, start, i + 1, true));
            } else {
                break;
            }
        }
        if (last == Last.NONE || last == Last.ARTICLE) {
            return Optional.empty();
        }
        return Optional.of(new ParsedNumber(total + group, start, i, false));
    }

    private static boolean startsSmallNumber(String t) {
        return (ONES.containsKey(t) && !t.equals("zero")) || TEENS.containsKey(t) || TENS.containsKey(t)
                || ORDINAL_ONES.containsKey(t) || ORDINAL_TEENS.containsKey(t) || ORDINAL_TENS.containsKey(t);
    }

    /** "two" + "point five" → 2.5. */
    private static ParsedNumber withDecimals(List<String> w, ParsedNumber whole) {
        int i = whole.end();
        if (i < w.size() && w.get(i).equals("point")) {
            Optional<ParsedNumber> d = decimals(w, i + 1, whole.value());
            if (d.isPresent()) {
                return new ParsedNumber(d.get().value(), whole.start(), d.get().end(), false);
            }
        }
        return whole;
    }

    /** The digits after "point", in words ("one four") or as one digit string ("14"). */
    private static Optional<ParsedNumber> decimals(List<String> w, int from, double whole) {
        StringBuilder digits = new StringBuilder();
        int i = from;
        if (i < w.size() && w.get(i).matches("\\d+")) {
            digits.append(w.get(i));
            i++;
        } else {
            while (i < w.size() && DIGITS.containsKey(w.get(i))) {
                digits.append(DIGITS.get(w.get(i)));
                i++;
            }
        }
        if (digits.isEmpty()) {
            return Optional.empty();
        }
        double v = Double.parseDouble((long) whole + "." + digits);
        return Optional.of(new ParsedNumber(v, from, i, false));
    }

    /** "one" + "and a half" → 1.5; also "and a quarter", "and three quarters". */
    private static ParsedNumber fraction(List<String> w, ParsedNumber n) {
        int i = n.end();
        if (!n.isWhole() || n.value() < 0 || i + 2 >= w.size() || !w.get(i).equals("and")) {
            return n;
        }
        String a = w.get(i + 1), b = w.get(i + 2);
        double add;
        if ((a.equals("a") || a.equals("one")) && b.equals("half")) {
            add = 0.5;
        } else if ((a.equals("a") || a.equals("one")) && b.equals("quarter")) {
            add = 0.25;
        } else if (a.equals("three") && b.equals("quarters")) {
            add = 0.75;
        } else {
            return n;
        }
        return new ParsedNumber(n.value() + add, n.start(), i + 3, false);
    }

    private static boolean oneOf(Last last, Last... allowed) {
        for (Last a : allowed) {
            if (a == last) {
                return true;
            }
        }
        return false;
    }
}

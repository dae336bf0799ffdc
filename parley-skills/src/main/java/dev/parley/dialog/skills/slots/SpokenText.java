package dev.parley.dialog.skills.slots;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Puts what the user said (as speech recognition writes it, or as typed) into one form the slot parsers read: lower
 * case words separated by single spaces. Recognisers differ in what they write ("5:30 p.m.", "17:30", "five thirty pm",
 * "twenty-five", "10km", "2+2"), so the forms are brought together here once:
 * <ul>
 * <li>apostrophes are dropped ("what's" → "whats", "o'clock" → "oclock");</li>
 * <li>"a.m." / "p.m." become "am" / "pm";</li>
 * <li>thousands separators go ("1,000" → "1000"); a decimal point ("2.5"), a clock colon ("17:30") and a minus sign
 * before a number ("-5") are kept;</li>
 * <li>symbols become words: {@code % + × * ÷ = ^ °} and {@code /} ("10/2" → "10 divided by 2", "km/h" → "km per h"),
 * a spaced hyphen between numbers is "minus";</li>
 * <li>a number glued to a word is split ("10km" → "10 km", "5pm" → "5 pm") except ordinals ("21st");</li>
 * <li>every other character that is not a letter or digit becomes a space.</li>
 * </ul>
 */
public final class SpokenText {
    private SpokenText() {
    }

    private static final Pattern AM_PM = Pattern.compile("(?<![\\p{L}\\p{N}])([ap])\\s?\\.\\s?m\\b\\.?");
    private static final Pattern APOSTROPHES = Pattern.compile("['’‘ʼ`]");
    private static final Pattern THOUSANDS = Pattern.compile("(?<=\\d),(?=\\d{3}(?!\\d))");
    private static final Pattern SPACED_MINUS = Pattern.compile("(?<=\\d)\\s+[-−–]\\s+(?=\\d|minus|negative)");
    private static final Pattern DIGIT_SLASH = Pattern.compile("(?<=\\d)\\s*/\\s*(?=\\d)");
    private static final Pattern DIGIT_COLON = Pattern.compile("(?<=\\d):(?=\\d)");
    private static final Pattern DIGIT_DOT = Pattern.compile("(?<=\\d)\\.(?=\\d)|(?<![\\p{L}\\p{N}.])\\.(?=\\d)");
    private static final Pattern LEADING_MINUS = Pattern.compile("(?<![\\p{L}\\p{N}])[-−](?=\\d)");
    private static final Pattern DIGIT_LETTER = Pattern.compile("(?<=\\d)(?=\\p{L})(?!(?:st|nd|rd|th)(?![\\p{L}]))");
    private static final Pattern LETTER_DIGIT = Pattern.compile("(?<=\\p{L})(?=\\d)");
    private static final Pattern OTHER = Pattern.compile("[^\\p{L}\\p{N}\\u0001\\u0002\\u0003\\u0004]+");

    /** The normalised text: lower case words and numbers separated by single spaces (see the class comment). */
    public static String normalize(String text) {
        if (text == null) {
            return "";
        }
        String s = text.toLowerCase(Locale.ROOT);
        s = AM_PM.matcher(s).replaceAll("$1m ");
        s = APOSTROPHES.matcher(s).replaceAll("");
        s = THOUSANDS.matcher(s).replaceAll("");
        s = SPACED_MINUS.matcher(s).replaceAll(" minus ");
        s = DIGIT_SLASH.matcher(s).replaceAll(" divided by ");
        s = s.replace("%", " percent ").replace("+", " plus ").replace("×", " times ").replace("*", " times ")
                .replace("÷", " divided by ").replace("=", " equals ").replace("^", " to the power of ")
                .replace("°", " degrees ").replace("/", " per ");
        // protect the characters kept inside numbers from the final clean-up with placeholders
        s = DIGIT_COLON.matcher(s).replaceAll("\u0001");
        s = DIGIT_DOT.matcher(s).replaceAll("\u0002");
        s = LEADING_MINUS.matcher(s).replaceAll("\u0003");
        s = DIGIT_LETTER.matcher(s).replaceAll(" ");
        s = LETTER_DIGIT.matcher(s).replaceAll(" ");
        s = OTHER.matcher(s).replaceAll(" ").strip();
        return s.replace('\u0001', ':').replace('\u0002', '.').replace('\u0003', '-');
    }

    /** The normalised text's words. */
    public static List<String> tokens(String text) {
        String n = normalize(text);
        return n.isEmpty() ? List.of() : List.of(n.split(" "));
    }

    /** Joins {@code tokens[from, to)} with spaces. */
    public static String join(List<String> tokens, int from, int to) {
        return String.join(" ", tokens.subList(Math.max(0, from), Math.min(tokens.size(), to)));
    }
}

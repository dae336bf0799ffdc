package dev.parley.turn;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a reference transcript the way a recogniser gives a partial one: lower case, no punctuation, numbers and a
 * few symbols as words ("set a timer for 3 hours" becomes "set a timer for three hours", "12%" "twelve percent").
 * Apostrophes inside words are kept ("what's"), as recognisers keep them.
 */
final class SpokenForm {
    private SpokenForm() {}

    private static final String[] ONES = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
            "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
            "nineteen"};
    private static final String[] TENS = {"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
            "ninety"};
    private static final Pattern NUMBER = Pattern.compile("\\d+");

    static String of(String transcript) {
        String s = transcript.toLowerCase(Locale.ROOT)
                .replace("×", " times ").replace("=", " equals ").replace("%", " percent ").replace("+", " plus ")
                .replace('\u2019', '\'');
        Matcher m = NUMBER.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String digits = m.group();
            String words = digits.length() > 9 ? String.join(" ", digits.chars().mapToObj(c -> ONES[c - '0']).toList())
                    : words(Long.parseLong(digits));
            m.appendReplacement(out, " " + words + " ");
        }
        m.appendTail(out);
        return out.toString().replaceAll("[^\\p{L}\\p{N}' ]+", " ").replaceAll("\\s+", " ").trim();
    }

    /** A number below a billion in words: 600000 is "six hundred thousand". */
    static String words(long n) {
        if (n < 20) return ONES[(int) n];
        if (n < 100) return TENS[(int) (n / 10)] + (n % 10 == 0 ? "" : " " + ONES[(int) (n % 10)]);
        if (n < 1000) return ONES[(int) (n / 100)] + " hundred" + (n % 100 == 0 ? "" : " " + words(n % 100));
        if (n < 1_000_000) return words(n / 1000) + " thousand" + (n % 1000 == 0 ? "" : " " + words(n % 1000));
        return words(n / 1_000_000) + " million" + (n % 1_000_000 == 0 ? "" : " " + words(n % 1_000_000));
    }
}

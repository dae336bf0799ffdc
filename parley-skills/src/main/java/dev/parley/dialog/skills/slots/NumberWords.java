package dev.parley.dialog.skills.slots;

/**
 * Whole numbers in English words, for speech ("three minute timer") and to test the parser against: "one hundred
 * twelve" (American) or "one hundred and twelve" (British), tens and units hyphenated ("twenty-five") as written
 * English has them.
 */
public final class NumberWords {
    private NumberWords() {
    }

    private static final String[] SMALL = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
            "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
            "nineteen"};
    private static final String[] TENS = {"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
            "ninety"};
    private static final String[] SCALES = {"", "thousand", "million", "billion", "trillion", "quadrillion",
            "quintillion"};

    /** {@code n} in words, American style: "two thousand twenty-six", "minus five". */
    public static String toWords(long n) {
        return toWords(n, false);
    }

    /**
     * {@code n} in words.
     *
     * @param british put "and" before the last part below a hundred when a hundred or a scale word came before it
     *                ("a hundred and twelve" style, said "one hundred and twelve" here)
     */
    public static String toWords(long n, boolean british) {
        if (n == 0) {
            return "zero";
        }
        if (n == Long.MIN_VALUE) {
            throw new IllegalArgumentException("too small to say: " + n);
        }
        if (n < 0) {
            return "minus " + toWords(-n, british);
        }
        String out = "";
        int scale = 0;
        for (long rest = n; rest > 0; rest /= 1000, scale++) {
            int group = (int) (rest % 1000);
            if (group == 0) {
                continue;
            }
            String words = group(group, british);
            if (scale == 0 && british && group < 100 && rest >= 1000) {
                words = "and " + words;
            }
            String part = scale == 0 ? words : words + " " + SCALES[scale];
            out = out.isEmpty() ? part : part + " " + out;
        }
        return out;
    }

    /** 1 to 999. */
    private static String group(int n, boolean and) {
        StringBuilder sb = new StringBuilder();
        if (n >= 100) {
            sb.append(SMALL[n / 100]).append(" hundred");
            n %= 100;
            if (n == 0) {
                return sb.toString();
            }
            sb.append(and ? " and " : " ");
        }
        if (n < 20) {
            sb.append(SMALL[n]);
        } else {
            sb.append(TENS[n / 10]);
            if (n % 10 != 0) {
                sb.append('-').append(SMALL[n % 10]);
            }
        }
        return sb.toString();
    }

    /** Each digit of {@code digits} as a word: "14" → "one four" (what follows "point"). */
    public static String digits(String digits) {
        StringBuilder sb = new StringBuilder();
        for (char c : digits.toCharArray()) {
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("not a digit: " + c);
            }
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(SMALL[c - '0']);
        }
        return sb.toString();
    }
}

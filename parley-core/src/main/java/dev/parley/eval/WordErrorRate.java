package dev.parley.eval;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Word error rate of a speech recogniser's transcript against a reference transcript.
 *
 * <p>Both texts are first {@linkplain #normalize(String) normalised} so that spelling conventions (case,
 * punctuation, "3" versus "three") are not counted as recognition errors. They are then aligned word by word with a
 * Levenshtein alignment (every edit costs 1) and the substitutions, deletions and insertions along one optimal path
 * are counted. WER is {@code (S + D + I) / N}, N being the number of reference words.
 */
public final class WordErrorRate {

    private WordErrorRate() {
    }

    /**
     * Error counts of one hypothesis (or, from {@link #sum}, of a corpus).
     *
     * @param wer {@code (substitutions + deletions + insertions) / referenceWords}; when there are no reference words
     *            it is 0 without errors and 1 with any
     */
    public record Result(int substitutions, int deletions, int insertions, int referenceWords, double wer) {

        public Result {
            if (substitutions < 0 || deletions < 0 || insertions < 0 || referenceWords < 0) {
                throw new IllegalArgumentException("negative count");
            }
            if (substitutions + deletions > referenceWords) {
                throw new IllegalArgumentException("more substitutions and deletions than reference words");
            }
        }

        /** A result with its {@code wer} computed from the counts. */
        public static Result of(int substitutions, int deletions, int insertions, int referenceWords) {
            int errors = substitutions + deletions + insertions;
            double wer = referenceWords == 0 ? (errors == 0 ? 0.0 : 1.0) : (double) errors / referenceWords;
            return new Result(substitutions, deletions, insertions, referenceWords, wer);
        }

        /** S + D + I. */
        public int errors() {
            return substitutions + deletions + insertions;
        }

        /** Reference words recognised correctly: N - S - D. */
        public int hits() {
            return referenceWords - substitutions - deletions;
        }
    }

    /** One step of an alignment. */
    public enum Op { MATCH, SUBSTITUTION, DELETION, INSERTION }

    /**
     * One aligned pair: {@code reference} is null for an insertion, {@code hypothesis} is null for a deletion.
     */
    public record Edit(Op op, String reference, String hypothesis) {
    }

    /** Normalises both texts and computes their word error rate. */
    public static Result compute(String reference, String hypothesis) {
        return compute(normalize(reference), normalize(hypothesis));
    }

    /** The word error rate of already normalised word lists. */
    public static Result compute(List<String> reference, List<String> hypothesis) {
        int s = 0;
        int d = 0;
        int i = 0;
        for (Edit e : align(reference, hypothesis)) {
            switch (e.op()) {
                case SUBSTITUTION -> s++;
                case DELETION -> d++;
                case INSERTION -> i++;
                case MATCH -> { }
            }
        }
        return Result.of(s, d, i, reference.size());
    }

    /** Corpus-level WER: the sum of all errors over the sum of all reference words. */
    public static Result sum(Collection<Result> results) {
        int s = 0;
        int d = 0;
        int i = 0;
        int n = 0;
        for (Result r : results) {
            s += r.substitutions();
            d += r.deletions();
            i += r.insertions();
            n += r.referenceWords();
        }
        return Result.of(s, d, i, n);
    }

    /**
     * A minimum-edit alignment of two word lists, in order, found by dynamic programming and backtrace. When several
     * alignments are optimal, the backtrace prefers (from the end) a match or substitution, then a deletion, then an
     * insertion.
     */
    public static List<Edit> align(List<String> reference, List<String> hypothesis) {
        int n = reference.size();
        int m = hypothesis.size();
        int[][] cost = new int[n + 1][m + 1];
        for (int r = 0; r <= n; r++) {
            cost[r][0] = r;
        }
        for (int h = 0; h <= m; h++) {
            cost[0][h] = h;
        }
        for (int r = 1; r <= n; r++) {
            String ref = reference.get(r - 1);
            for (int h = 1; h <= m; h++) {
                int diagonal = cost[r - 1][h - 1] + (ref.equals(hypothesis.get(h - 1)) ? 0 : 1);
                cost[r][h] = Math.min(diagonal, Math.min(cost[r - 1][h], cost[r][h - 1]) + 1);
            }
        }
        List<Edit> edits = new ArrayList<>(Math.max(n, m));
        int r = n;
        int h = m;
        while (r > 0 || h > 0) {
            if (r > 0 && h > 0) {
                String ref = reference.get(r - 1);
                String hyp = hypothesis.get(h - 1);
                boolean same = ref.equals(hyp);
                if (cost[r][h] == cost[r - 1][h - 1] + (same ? 0 : 1)) {
                    edits.add(new Edit(same ? Op.MATCH : Op.SUBSTITUTION, ref, hyp));
                    r--;
                    h--;
                    continue;
                }
            }
            if (r > 0 && cost[r][h] == cost[r - 1][h] + 1) {
                edits.add(new Edit(Op.DELETION, reference.get(r - 1), null));
                r--;
            } else {
                edits.add(new Edit(Op.INSERTION, null, hypothesis.get(h - 1)));
                h--;
            }
        }
        Collections.reverse(edits);
        return edits;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // normalisation

    /** Digits, optionally grouped with commas by thousands, an optional decimal part and an optional ordinal suffix. */
    private static final Pattern NUMBER =
            Pattern.compile("(\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.(\\d+))?(?:(st|nd|rd|th)(?!\\p{L}))?");
    private static final Pattern WORD_CHARS = Pattern.compile("[^\\p{L}\\p{M}\\p{N}']+");
    private static final int MAX_CARDINAL = 999_999;

    /**
     * Normalises a transcript into comparable words:
     * <ol>
     * <li>Unicode NFKC, then lower case; typographic apostrophes (’ ‘ ʼ) become {@code '};</li>
     * <li>{@code %} becomes "percent", {@code &} "and", {@code ×} "times", {@code =} "equals" and {@code +} "plus"
     * (as "6 × 10 = 60" is read);</li>
     * <li>numbers become words: integers from 0 to 999,999 (digits, optionally grouped by commas as in "1,000") as
     * cardinals in American style without "and" ("21" → "twenty one", "100" → "one hundred", "1987" → "one
     * thousand nine hundred eighty seven"); with an ordinal suffix as ordinals ("21st" → "twenty first"); a decimal
     * part is read digit by digit after "point" ("3.14" → "three point one four"); integers with a leading zero or
     * above 999,999 are read digit by digit ("007" → "zero zero seven");</li>
     * <li>hyphens and all other punctuation separate words ("twenty-one" → "twenty one"); apostrophes are kept only
     * inside words, so contractions stay as they are ("what's") while quotes ('hello') go;</li>
     * <li>spoken numbers are brought to the form the digits get: "a hundred" / "a thousand" become "one hundred" /
     * "one thousand", the British "and" after "hundred" or "thousand" before more of the number goes ("one hundred
     * and five" → "one hundred five", as "105" reads), and "oh" next to a digit word is the digit zero ("nine oh
     * two" → "nine zero two").</li>
     * </ol>
     */
    public static List<String> normalize(String text) {
        String s = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT)
                .replace('\u2019', '\'').replace('\u2018', '\'').replace('\u02BC', '\'')
                .replace("%", " percent ").replace("&", " and ").replace("\u00D7", " times ").replace("=", " equals ")
                .replace("+", " plus ");
        s = spellNumbers(s);
        List<String> words = new ArrayList<>();
        for (String token : WORD_CHARS.split(s)) {
            String word = stripApostrophes(token);
            if (!word.isEmpty()) {
                words.add(word);
            }
        }
        return spokenNumbers(words);
    }

    private static final java.util.Set<String> DIGIT_WORDS =
            java.util.Set.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine");
    private static final java.util.Set<String> NUMBER_WORDS = java.util.Set.of("zero", "one", "two", "three", "four", "five",
            "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
            "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety");

    /** The spoken forms of numbers that {@link #spellNumbers} does not produce, rewritten to the ones it does. */
    private static List<String> spokenNumbers(List<String> words) {
        List<String> out = new ArrayList<>(words.size());
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            String next = i + 1 < words.size() ? words.get(i + 1) : "";
            String previous = out.isEmpty() ? "" : out.getLast();
            if (w.equals("a") && (next.equals("hundred") || next.equals("thousand"))) {
                out.add("one");
            } else if (w.equals("and") && (previous.equals("hundred") || previous.equals("thousand")) && NUMBER_WORDS.contains(next)) {
                continue;
            } else if (w.equals("oh") && (DIGIT_WORDS.contains(previous) || DIGIT_WORDS.contains(next) || next.equals("oh"))) {
                out.add("zero");
            } else {
                out.add(w);
            }
        }
        return out;
    }

    private static String stripApostrophes(String token) {
        int start = 0;
        int end = token.length();
        while (start < end && token.charAt(start) == '\'') {
            start++;
        }
        while (end > start && token.charAt(end - 1) == '\'') {
            end--;
        }
        return token.substring(start, end);
    }

    private static String spellNumbers(String s) {
        Matcher m = NUMBER.matcher(s);
        StringBuilder out = new StringBuilder(s.length() + 16);
        while (m.find()) {
            String integer = m.group(1).replace(",", "");
            String fraction = m.group(2);
            String ordinal = m.group(3);
            StringBuilder words = new StringBuilder();
            boolean cardinal = integer.length() <= 6 && (integer.length() == 1 || integer.charAt(0) != '0');
            if (cardinal) {
                words.append(cardinal(Integer.parseInt(integer)));
            } else {
                appendDigits(words, integer);
            }
            if (fraction != null) {
                words.append(" point");
                appendDigits(words, fraction);
            } else if (ordinal != null && cardinal) {
                words = new StringBuilder(ordinal(words.toString()));
            } else if (ordinal != null) {
                words.append(' ').append(ordinal);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(" " + words.toString().trim() + " "));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static final String[] ONES = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
            "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
            "nineteen"};
    private static final String[] TENS = {"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
            "ninety"};

    private static void appendDigits(StringBuilder out, String digits) {
        for (int i = 0; i < digits.length(); i++) {
            out.append(' ').append(ONES[digits.charAt(i) - '0']);
        }
    }

    /** Cardinal words of {@code 0 <= n <= 999,999}, words separated by single spaces ("twenty one"). */
    static String cardinal(int n) {
        if (n < 0 || n > MAX_CARDINAL) {
            throw new IllegalArgumentException("out of range: " + n);
        }
        if (n == 0) {
            return "zero";
        }
        StringBuilder out = new StringBuilder();
        if (n >= 1000) {
            below1000(out, n / 1000);
            out.append(" thousand");
            n %= 1000;
        }
        if (n > 0) {
            below1000(out, n);
        }
        return out.toString().trim();
    }

    private static void below1000(StringBuilder out, int n) {
        if (n >= 100) {
            out.append(' ').append(ONES[n / 100]).append(" hundred");
            n %= 100;
        }
        if (n >= 20) {
            out.append(' ').append(TENS[n / 10]);
            n %= 10;
            if (n > 0) {
                out.append(' ').append(ONES[n]);
            }
        } else if (n > 0) {
            out.append(' ').append(ONES[n]);
        }
    }

    /** The ordinal of cardinal words: only the last word changes ("twenty one" → "twenty first"). */
    private static String ordinal(String cardinalWords) {
        int space = cardinalWords.lastIndexOf(' ');
        String head = cardinalWords.substring(0, space + 1);
        String last = cardinalWords.substring(space + 1);
        String ord = switch (last) {
            case "one" -> "first";
            case "two" -> "second";
            case "three" -> "third";
            case "five" -> "fifth";
            case "eight" -> "eighth";
            case "nine" -> "ninth";
            case "twelve" -> "twelfth";
            default -> last.endsWith("y") ? last.substring(0, last.length() - 1) + "ieth" : last + "th";
        };
        return head + ord;
    }
}

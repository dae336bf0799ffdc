package dev.parley.tts;

import java.util.Locale;
import java.util.Set;

/**
 * Where the first phrase of a reply may end early at a natural break that has no comma, so that speech synthesis
 * starts on a few words while the rest of the sentence is still being rendered. Only phrase boundaries are used:
 * <ul>
 * <li><b>after an opener</b>: a single discourse word and its comma ("Sorry," "OK," "Sure,") is a phrase of its
 * own;</li>
 * <li><b>before a linking word</b> (a subordinating conjunction or a preposition that opens a phrase: "Timer set |
 * for ten minutes.", "I'll remind you | in an hour.") once {@value #MIN_WORDS} to {@value #MAX_WORDS} words come
 * before it. Never inside a name or a number: not when the word before is capitalised ("Tom Ford | from"), holds a
 * digit, is a number word ("one | in ten") or ends in punctuation ("St. | in"); not in a repetition ("step | by
 * step"); and only when another word follows. "and" and "or" are not used: they join names, numbers and
 * quantities ("an hour and a half") as often as clauses.</li>
 * </ul>
 * A pure function of the words, so the chunker's phrases still depend only on the text.
 */
final class FirstPhraseBreak {
    /** Fewest words before a linking word for the first phrase to end there. */
    static final int MIN_WORDS = 2;
    /** Most words before a linking word for the first phrase to end there (beyond, the gain is small). */
    static final int MAX_WORDS = 6;

    private static final Set<String> OPENERS = Set.of("sorry", "ok", "okay", "sure", "yes", "yeah", "yep", "no", "nope",
            "well", "alright", "right", "oh", "hmm", "done", "great", "thanks", "certainly", "absolutely", "unfortunately");

    private static final Set<String> LINKING = Set.of("for", "with", "from", "about", "in", "at", "by", "into",
            "during", "without", "through", "after", "before", "until", "because", "but", "so", "while", "when",
            "if", "unless", "since", "although", "though", "whereas");

    private static final Set<String> NUMBER_WORDS = Set.of("zero", "oh", "one", "two", "three", "four", "five", "six",
            "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
            "seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
            "ninety", "hundred", "thousand", "million", "billion", "half", "quarter", "point", "minus", "plus", "times");

    private FirstPhraseBreak() {
    }

    /** Whether {@code word}, the first of its phrase and followed by a comma (not included), may end it alone. */
    static boolean isOpener(CharSequence word) {
        return OPENERS.contains(word.toString().toLowerCase(Locale.ROOT));
    }

    /**
     * Whether the first phrase may end between {@code before} and {@code linking}, the next word being {@code after}.
     *
     * @param wordsBefore words of the phrase up to and including {@code before}
     */
    static boolean before(String before, String linking, String after, int wordsBefore) {
        if (wordsBefore < MIN_WORDS || wordsBefore > MAX_WORDS || !LINKING.contains(linking)) return false;
        if (before.isEmpty() || !Character.isLetter(before.charAt(before.length() - 1))) return false;
        if (Character.isUpperCase(before.charAt(0)) && !isPronounI(before)) return false; // a name
        if (isNumber(before) || before.equalsIgnoreCase(after)) return false;
        return after.codePoints().anyMatch(Character::isLetterOrDigit);
    }

    private static boolean isPronounI(String word) {
        return word.equals("I") || word.startsWith("I'") || word.startsWith("I’");
    }

    private static boolean isNumber(String word) {
        return word.chars().anyMatch(Character::isDigit) || NUMBER_WORDS.contains(word.toLowerCase(Locale.ROOT));
    }
}

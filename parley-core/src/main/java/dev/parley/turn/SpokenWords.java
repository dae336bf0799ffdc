package dev.parley.turn;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * A transcript cut into words the way {@link WordRules} looks them up: lower case, apostrophes dropped ("what's" and
 * "whats" are the same word), anything that is neither a letter nor a digit a separator. Sentence punctuation, when a
 * recogniser writes it, is kept as a clause break before the next word.
 *
 * <p>Only the last {@link #MAX_CHARS} characters of a very long transcript are read, so a judge stays fast whatever
 * it is given; {@code startKnown} is then false, since the utterance's opening words were not seen.
 *
 * @param words      the words, in order
 * @param breaks     bit i set when a comma, full stop or similar came just before word i
 * @param startKnown whether words begins at the start of the transcript
 */
record SpokenWords(List<String> words, BitSet breaks, boolean startKnown) {

    /** How many characters from the end of a transcript are read at most. */
    static final int MAX_CHARS = 2_000;

    static SpokenWords of(String text) {
        if (text == null) text = "";
        int from = Math.max(0, text.length() - MAX_CHARS);
        boolean startKnown = from == 0;
        if (!startKnown) { // skip the word cut in half
            while (from < text.length() && Character.isLetterOrDigit(text.charAt(from))) from++;
        }
        List<String> words = new ArrayList<>();
        BitSet breaks = new BitSet();
        StringBuilder word = new StringBuilder();
        boolean pendingBreak = false;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                word.append(c);
            } else if (c == '\'' || c == '\u2019' || c == '\u2018' || c == '`') {
                // an apostrophe inside a word is dropped: "what's" reads as "whats"
            } else {
                if (flush(word, words, breaks, pendingBreak)) pendingBreak = false;
                if (c == ',' || c == '.' || c == ';' || c == ':' || c == '!' || c == '?') pendingBreak = !words.isEmpty();
            }
        }
        flush(word, words, breaks, pendingBreak);
        return new SpokenWords(List.copyOf(words), breaks, startKnown);
    }

    private static boolean flush(StringBuilder word, List<String> words, BitSet breaks, boolean pendingBreak) {
        if (word.isEmpty()) return false;
        if (pendingBreak) breaks.set(words.size());
        words.add(word.toString().toLowerCase(Locale.ROOT));
        word.setLength(0);
        return true;
    }

    int size() {
        return words.size();
    }

    /** The word at i, or "" outside the utterance. */
    String at(int i) {
        return i >= 0 && i < words.size() ? words.get(i) : "";
    }

    /** The word n places from the end: last(0) is the last word; "" when there is none. */
    String last(int n) {
        return at(words.size() - 1 - n);
    }

    /** Whether the word is a number, spelled out or in digits. */
    static boolean isNumber(String w) {
        return !w.isEmpty() && (Character.isDigit(w.charAt(0)) || EnglishWords.NUMBERS.contains(w));
    }
}

package dev.parley.dialog.nlu;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The STT-robust normal form of what the user said, shared by the intent classifier (before embedding) and the
 * skills' slot extraction, so that "What's the time?", "whats the time" and "WHAT'S THE TIME" are one sentence.
 *
 * <p>Rules, in order:
 * <ol>
 *   <li>lower case (locale-independent);</li>
 *   <li>apostrophes dropped ({@code ' ’ ‘ ʼ `}): "what's" and a recogniser's "whats" agree;</li>
 *   <li>arithmetic written with symbols becomes words, so the meaning survives the punctuation rule: {@code +} is
 *       "plus", {@code ×}/{@code *} between numbers "times", {@code ÷} "divided by", {@code /} between numbers
 *       "divided by", {@code -} between numbers written with spaces ("10 - 3") "minus", {@code =} "equals",
 *       {@code %} "percent", {@code °} "degrees";</li>
 *   <li>a decimal point between two digits is kept ("2.5"), a thousands comma between digits is dropped ("1,000" is
 *       "1000"): numbers keep their value;</li>
 *   <li>every other character that is not a letter or a digit becomes a space;</li>
 *   <li>runs of spaces collapse to one, and the ends are trimmed.</li>
 * </ol>
 * Digits are kept as digits and number words as words: the classifier is trained on both, and the skills' slot
 * parser reads both. The normal form never grows a sentence's meaning: it only removes form.
 */
public final class Normalizer {

    /**
     * Hesitations a recogniser writes down ("uh", "um", "hmm"...): they carry no request. {@link #normalize} keeps
     * them (it keeps every word); {@link #withoutFillers} removes them.
     */
    public static final Set<String> FILLERS = Set.of("uh", "uhh", "uhm", "um", "umm", "hmm", "hm", "er", "erm",
            "ah", "eh", "mm");

    private static final Pattern APOSTROPHES = Pattern.compile("['’‘ʼ`]");
    private static final Pattern THOUSANDS = Pattern.compile("(?<=\\d),(?=\\d{3}(?!\\d))");
    private static final Pattern TIMES = Pattern.compile("(?<=\\d)\\s*[*×x]\\s*(?=\\d)|×");
    private static final Pattern DIVIDED = Pattern.compile("(?<=\\d)\\s*/\\s*(?=\\d)|÷");
    private static final Pattern MINUS = Pattern.compile("(?<=\\d)\\s+-\\s+(?=\\d)");
    private static final Pattern NOT_WORD = Pattern.compile("(?:(?!(?<=\\d)\\.(?=\\d))[^\\p{L}\\p{N}])+");

    private Normalizer() {
    }

    /** The normal form of {@code text} (see the class comment); "" for blank text. */
    public static String normalize(String text) {
        if (text == null) {
            throw new NullPointerException("text to normalise is null");
        }
        String s = text.toLowerCase(Locale.ROOT);
        s = APOSTROPHES.matcher(s).replaceAll("");
        s = THOUSANDS.matcher(s).replaceAll("");
        s = TIMES.matcher(s).replaceAll(" times ");
        s = DIVIDED.matcher(s).replaceAll(" divided by ");
        s = MINUS.matcher(s).replaceAll(" minus ");
        s = s.replace("+", " plus ").replace("=", " equals ").replace("%", " percent ").replace("°", " degrees ");
        return NOT_WORD.matcher(s).replaceAll(" ").strip();
    }

    /** {@code normalized} without the {@link #FILLERS} words; the words between keep their order. */
    public static String withoutFillers(String normalized) {
        return Arrays.stream(normalized.split(" "))
                .filter(w -> !w.isEmpty() && !FILLERS.contains(w))
                .collect(Collectors.joining(" "));
    }
}

package dev.parley.dialog.nlu;

import java.util.Locale;

/**
 * The text normaliser of BERT tokenizers (HuggingFace {@code BertNormalizer}), applied before the words are split:
 * <ol>
 *   <li>clean text: drop NUL, U+FFFD and every "other" character (categories Cc, Cf, Cs, Co; not Cn) except tab, CR
 *       and LF; turn every white-space character (the Unicode White_Space property, plus tab, CR, LF) into a
 *       space;</li>
 *   <li>Chinese characters: put a space on either side of each CJK ideograph, so each is a word;</li>
 *   <li>strip accents: decompose (NFD) and drop the non-spacing marks (Mn), so "café" is "cafe";</li>
 *   <li>lower case, one code point at a time (no context rules, as the reference does).</li>
 * </ol>
 * Each step can be switched off as in the tokenizer.json; {@code strip_accents: null} means "as lowercase".
 */
record BertNormalizer(boolean cleanText, boolean handleChineseChars, boolean stripAccents, boolean lowercase) {

    String normalize(String text) {
        String s = text;
        if (cleanText) s = clean(s);
        if (handleChineseChars) s = spaceChinese(s);
        if (stripAccents) s = stripAccents(s);
        if (lowercase) s = lower(s);
        return s;
    }

    static String clean(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            if (cp == 0 || cp == 0xFFFD || isControl(cp)) return;
            out.appendCodePoint(isWhitespace(cp) ? ' ' : cp);
        });
        return out.toString();
    }

    static String spaceChinese(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            if (isChinese(cp)) out.append(' ').appendCodePoint(cp).append(' ');
            else out.appendCodePoint(cp);
        });
        return out.toString();
    }

    static String stripAccents(String s) {
        String nfd = java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(nfd.length());
        nfd.codePoints().forEach(cp -> {
            if (Character.getType(cp) != Character.NON_SPACING_MARK) out.appendCodePoint(cp);
        });
        return out.toString();
    }

    static String lower(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            // one code point alone, like Rust's char::to_lowercase: no final-sigma context, "İ" gives two
            out.append(new String(Character.toChars(cp)).toLowerCase(Locale.ROOT));
        });
        return out.toString();
    }

    /**
     * "Other" characters that are not tab, CR, LF, as the reference's {@code is_other} has them: control, format,
     * surrogate and private-use; unassigned code points (Cn) are kept, as the reference keeps them (they become
     * {@code [UNK]}).
     */
    static boolean isControl(int cp) {
        if (cp == '\t' || cp == '\n' || cp == '\r') return false;
        int t = Character.getType(cp);
        return t == Character.CONTROL || t == Character.FORMAT || t == Character.SURROGATE
                || t == Character.PRIVATE_USE;
    }

    /** The Unicode White_Space property (Rust's {@code char::is_whitespace}); Java's own differs on no-break spaces. */
    static boolean isWhitespace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F
                || cp == 0x3000;
    }

    /** The CJK ideograph blocks BERT treats as one-character words (0x2B920, not 0x2B820, as the reference has it). */
    static boolean isChinese(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F)
                || (cp >= 0x2B920 && cp <= 0x2CEAF) || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }
}

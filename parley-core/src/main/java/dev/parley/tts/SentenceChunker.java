package dev.parley.tts;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Cuts a reply that arrives in arbitrary pieces (tokens, half words, whole paragraphs) into speakable phrases, so
 * that speech synthesis can start on the first phrase as early as possible while later phrases stay natural.
 *
 * <h2>Rules</h2>
 * <ul>
 * <li>A phrase ends after {@code . ! ? … ; :} when that is followed by whitespace, possibly after closing quotes or
 * brackets ({@code "Stop." Then} ends after the quote), and at every line break. Nothing is decided before the
 * following character is known ("3." may go on as "3.5"), but nothing is held back longer either: "Hello there."
 * is complete as soon as the following space arrives.</li>
 * <li>Not sentence ends: a dot followed by a non-space ("3.14", "e.g.,", the inner dots of "..."), titles and Latin
 * abbreviations (Mr. Mrs. Ms. Dr. St. Prof. Sr. Jr. Mt. vs. e.g. i.e. U.S. U.K.) and a single capital letter ("J.
 * Smith"). "etc." "a.m." and "p.m." often end sentences, so after them the phrase ends only if the next word starts
 * with a capital letter (or on a line break); that decision waits for the next word's first letter.</li>
 * <li>The first phrase of a reply is also cut after a comma or a dash (— – or a spaced hyphen) followed by
 * whitespace once it holds at least {@link Config#firstPhraseMinWords} words, to start speaking sooner; and at the
 * natural breaks of {@link FirstPhraseBreak}: after an opener's comma ("Sorry,") and before a linking word ("Timer
 * set | for ten minutes."), decided once the word after the linking word is complete.</li>
 * <li>A phrase never holds more than {@link Config#maxWords} words: when a further word begins, the phrase is cut at
 * its last comma (one with a word before it), or else before that word.</li>
 * <li>A phrase is only cut where it holds at least one word (a token with a letter or digit), so stray punctuation
 * ("Yes! ! Sure") joins the next phrase instead of being spoken alone; only {@link #flush()} may return a remainder
 * without words.</li>
 * <li>Markdown noise is removed, in this order: links {@code [text](url)} become their text (text up to
 * {@value #MAX_LINK_TEXT} and url up to {@value #MAX_LINK_URL} characters, neither spanning a line; anything else
 * stays literal); a bullet ({@code -}, {@code +} or {@code •} followed by whitespace) at the start of a line, after
 * optional indentation, goes; then {@code * _ # `} go anywhere. Phrases are trimmed, whitespace is collapsed to
 * single spaces, and no phrase is empty.</li>
 * </ul>
 *
 * <h2>Guarantees</h2>
 * The phrases depend only on the text, never on how it was split into pieces, and joining all phrases of a reply
 * with single spaces gives the markdown-stripped, whitespace-collapsed, trimmed text. Work is linear in the input:
 * each character is examined a bounded number of times (lookahead is bounded, except inside a pending link, which is
 * capped).
 *
 * <p>Not thread-safe: one chunker serves one reply at a time.
 */
public final class SentenceChunker {

    /**
     * @param firstPhraseMinWords words the first phrase needs before a comma or dash may end it (at least 1)
     * @param maxWords            most words in any phrase (at least 1)
     */
    public record Config(int firstPhraseMinWords, int maxWords) {
        public static final Config DEFAULT = new Config(3, 25);

        public Config {
            if (firstPhraseMinWords < 1 || maxWords < 1) {
                throw new IllegalArgumentException("word counts must be positive: " + firstPhraseMinWords + ", "
                        + maxWords);
            }
        }
    }

    static final int MAX_LINK_TEXT = 300;
    static final int MAX_LINK_URL = 2000;

    /** Abbreviations (lower case, without the final dot) after which a dot never ends a phrase. */
    private static final Set<String> ABBREVIATIONS =
            Set.of("mr", "mrs", "ms", "dr", "st", "prof", "sr", "jr", "mt", "vs", "e.g", "i.e", "u.s", "u.k", "cf");
    /** Abbreviations that often end a sentence: the phrase ends if the next word is capitalised. */
    private static final Set<String> SOFT_ABBREVIATIONS = Set.of("etc", "a.m", "p.m");
    private static final int LONGEST_ABBREVIATION = 6;

    private final Config config;
    private final MarkdownFilter filter = new MarkdownFilter();
    private final Segmenter segmenter = new Segmenter();

    public SentenceChunker() {
        this(Config.DEFAULT);
    }

    public SentenceChunker(Config config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** Adds the next piece of the reply; returns the phrases that became complete (often none). */
    public List<String> add(String piece) {
        List<String> out = new ArrayList<>(1);
        if (piece == null || piece.isEmpty()) {
            return out;
        }
        filter.add(piece, false);
        segmenter.run(false, out);
        return out;
    }

    /** Ends the reply: returns the phrases still pending (a few at most), then {@linkplain #reset() resets}. */
    public List<String> flush() {
        List<String> out = new ArrayList<>(2);
        filter.add("", true);
        segmenter.run(true, out);
        segmenter.emit(segmenter.buf.length(), 0, out);
        reset();
        return out;
    }

    /** Discards everything pending and starts over as for a new reply. */
    public void reset() {
        filter.reset();
        segmenter.reset();
    }

    // ---------------------------------------------------------------------------------------------------------------

    static boolean isWhitespace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    static boolean isNewline(char c) {
        return c == '\n' || c == '\r' || c == '\u2028' || c == '\u2029' || c == '\u0085';
    }

    private static boolean isTerminator(char c) {
        return c == '.' || c == '!' || c == '?' || c == '…' || c == ';' || c == ':';
    }

    private static boolean isCloser(char c) {
        return c == '"' || c == '\'' || c == '”' || c == '’' || c == ')' || c == ']' || c == '}' || c == '»';
    }

    /**
     * Stage 1: raw text in, clean text out to the segmenter's buffer. Drops markdown noise and collapses each run of
     * whitespace to a single space, or to a newline if it holds one (a space then a newline at most). A character is
     * passed on only once its fate is certain; only a possible bullet (one character) or a possible link (up to the
     * caps) is held back.
     */
    private final class MarkdownFilter {
        private final StringBuilder raw = new StringBuilder();
        private int pos;
        private boolean atLineStart = true;
        /** Index in {@link #raw} of the ']' of the link being passed on, or -1. */
        private int linkClose = -1;
        /** Index in {@link #raw} of the ')' of the link being passed on. */
        private int linkEnd = -1;
        // resumable probe of a possible link starting at probeOpen
        private int probeOpen = -1;
        private int probePos;
        private int probeClose;
        // whitespace collapsing state of the output
        private boolean lastWasSpace = true;
        private boolean runHasNewline;

        void reset() {
            raw.setLength(0);
            pos = 0;
            atLineStart = true;
            linkClose = linkEnd = probeOpen = -1;
            lastWasSpace = true;
            runHasNewline = false;
        }

        void add(String piece, boolean eof) {
            raw.append(piece);
            while (pos < raw.length()) {
                char c = raw.charAt(pos);
                if (pos == linkClose) { // end of a link's text: skip "](url)"
                    pos = linkEnd + 1;
                    linkClose = linkEnd = -1;
                    continue;
                }
                if (c == '[' && linkClose < 0) {
                    int end = probeLink(eof);
                    if (end == UNDECIDED) {
                        break;
                    }
                    if (end >= 0) {
                        linkClose = probeClose;
                        linkEnd = end;
                        pos++;
                        continue;
                    }
                    // not a link: a literal '['
                }
                if (c == '*' || c == '_' || c == '#' || c == '`') {
                    pos++;
                    atLineStart = false; // so "*- x" keeps its hyphen, as a bullet is looked for before stripping
                    continue;
                }
                if (isWhitespace(c)) {
                    boolean newline = isNewline(c);
                    whitespace(newline);
                    atLineStart |= newline;
                    pos++;
                    continue;
                }
                if (atLineStart && (c == '-' || c == '+' || c == '•')) {
                    if (pos + 1 >= raw.length() && !eof) {
                        break; // a bullet only if whitespace follows
                    }
                    if (pos + 1 < raw.length() && isWhitespace(raw.charAt(pos + 1))) {
                        pos++;
                        atLineStart = false;
                        continue;
                    }
                }
                atLineStart = false;
                segmenter.buf.append(c);
                lastWasSpace = false;
                runHasNewline = false;
                pos++;
            }
            compact();
        }

        private void whitespace(boolean newline) {
            if (!lastWasSpace) {
                segmenter.buf.append(newline ? '\n' : ' ');
                lastWasSpace = true;
                runHasNewline = newline;
            } else if (newline && !runHasNewline) {
                segmenter.buf.append('\n');
                runHasNewline = true;
            }
        }

        private static final int UNDECIDED = -2;
        private static final int NOT_A_LINK = -1;

        /**
         * Whether the '[' at {@link #pos} opens a link {@code [text](url)}: the index of its ')' if so,
         * {@link #NOT_A_LINK} if not, {@link #UNDECIDED} if more text is needed. Resumes where it stopped last time.
         */
        private int probeLink(boolean eof) {
            if (probeOpen != pos) {
                probeOpen = pos;
                probePos = pos + 1;
                probeClose = -1;
            }
            while (probePos < raw.length()) {
                char c = raw.charAt(probePos);
                if (isNewline(c)) {
                    return notALink();
                }
                if (probeClose < 0) { // in the text
                    if (c == ']') {
                        probeClose = probePos;
                    } else if (probePos - probeOpen > MAX_LINK_TEXT) {
                        return notALink();
                    }
                } else if (probePos == probeClose + 1) { // right after ']'
                    if (c != '(') {
                        return notALink();
                    }
                } else if (c == ')') {
                    probeOpen = -1;
                    return probePos;
                } else if (probePos - probeClose - 1 > MAX_LINK_URL) {
                    return notALink();
                }
                probePos++;
            }
            return eof ? notALink() : UNDECIDED;
        }

        private int notALink() {
            probeOpen = -1;
            return NOT_A_LINK;
        }

        /** Drops consumed raw text; what remains is at most a held-back bullet or a pending link. */
        private void compact() {
            if (pos == 0) {
                return;
            }
            raw.delete(0, pos);
            if (linkClose >= 0) {
                linkClose -= pos;
                linkEnd -= pos;
            }
            if (probeOpen >= 0) {
                probeOpen -= pos;
                probePos -= pos;
                if (probeClose >= 0) {
                    probeClose -= pos;
                }
            }
            pos = 0;
        }
    }

    /**
     * Stage 2: clean text (whitespace runs already collapsed to at most " \n") in, phrases out. {@link #buf} holds the
     * current phrase and the text after it that is not yet examined; {@link #scan} is the first character not yet
     * examined. Lookahead from a candidate cut is bounded (closers, at most two whitespace characters, one letter).
     */
    private final class Segmenter {
        final StringBuilder buf = new StringBuilder();
        private int scan;
        /** Words (tokens holding a letter or digit) in the current phrase. */
        private int words;
        private boolean inToken;
        private int tokenStart;
        private boolean tokenCounted;
        /** Cut position (the whitespace) after the current phrase's last comma, or -1. */
        private int commaCut = -1;
        private int wordsAtComma;
        private boolean firstPhraseDone;
        /** The first phrase's two tokens before the current one, [start, end) each; -1 when not known. */
        private int t0Start = -1, t0End, t1Start = -1, t1End;

        void reset() {
            buf.setLength(0);
            scan = 0;
            words = 0;
            inToken = false;
            tokenStart = 0;
            tokenCounted = false;
            commaCut = -1;
            wordsAtComma = 0;
            firstPhraseDone = false;
            t0Start = t1Start = -1;
        }

        void run(boolean eof, List<String> out) {
            while (scan < buf.length()) {
                char c = buf.charAt(scan);
                if (isWhitespace(c)) {
                    if (inToken && !firstPhraseDone && tokenEnded(out)) continue;
                    inToken = false;
                    if (c == '\n' && words > 0) {
                        emit(scan, 0, out);
                    } else {
                        scan++;
                    }
                    continue;
                }
                if (!inToken) {
                    inToken = true;
                    tokenStart = scan;
                    tokenCounted = false;
                }
                if (!tokenCounted && Character.isLetterOrDigit(c)) {
                    if (words >= config.maxWords()) {
                        if (commaCut >= 0 && wordsAtComma >= 1) {
                            emit(commaCut, words - wordsAtComma, out);
                        } else {
                            emit(tokenStart, 0, out);
                        }
                    }
                    words++;
                    tokenCounted = true;
                }
                if (isTerminator(c)) {
                    int cut = sentenceEnd(eof);
                    if (cut == WAIT) {
                        return;
                    }
                    if (cut >= 0 && words > 0) {
                        emit(cut, 0, out);
                        continue;
                    }
                } else if (c == ',' || c == '—' || c == '–' || (c == '-' && scan == tokenStart)) {
                    if (scan + 1 >= buf.length()) {
                        if (!eof) {
                            return;
                        }
                    } else if (isWhitespace(buf.charAt(scan + 1))) {
                        if (c == ',' && words > 0) {
                            commaCut = scan + 1;
                            wordsAtComma = words;
                        }
                        if (!firstPhraseDone && (words >= config.firstPhraseMinWords() || words == 1 && c == ','
                                && FirstPhraseBreak.isOpener(buf.subSequence(tokenStart, scan)))) {
                            emit(scan + 1, 0, out);
                            continue;
                        }
                    }
                }
                scan++;
            }
        }

        /** A token ended at {@link #scan}: cuts the first phrase at a {@link FirstPhraseBreak#before} (true). */
        private boolean tokenEnded(List<String> out) {
            if (t0Start >= 0 && FirstPhraseBreak.before(buf.substring(t0Start, t0End), buf.substring(t1Start, t1End),
                    buf.substring(tokenStart, scan), words - 2)) {
                emit(t1Start, 2, out);
                return true;
            }
            t0Start = t1Start;
            t0End = t1End;
            t1Start = tokenStart;
            t1End = scan;
            return false;
        }

        private static final int WAIT = -2;
        private static final int NO_END = -1;

        /**
         * Decides whether the terminator at {@link #scan} ends the phrase: the cut position (the whitespace after it
         * and any closers), {@link #NO_END}, or {@link #WAIT} when the characters that decide have not arrived.
         */
        private int sentenceEnd(boolean eof) {
            int q = scan + 1;
            while (q < buf.length() && isCloser(buf.charAt(q))) {
                q++;
            }
            if (q >= buf.length()) {
                return eof ? buf.length() : WAIT;
            }
            if (!isWhitespace(buf.charAt(q))) {
                return NO_END; // "3.14", "?!", "...", "wait.what"
            }
            String token = buf.charAt(scan) == '.' ? abbreviationCandidate() : null;
            if (token != null) {
                String lower = token.toLowerCase(Locale.ROOT);
                if (ABBREVIATIONS.contains(lower) || isSingleCapital(token)) {
                    return NO_END;
                }
                if (SOFT_ABBREVIATIONS.contains(lower)) {
                    int r = q;
                    while (r < buf.length() && isWhitespace(buf.charAt(r))) {
                        if (buf.charAt(r) == '\n') {
                            return q;
                        }
                        r++;
                    }
                    if (r >= buf.length()) {
                        return eof ? q : WAIT;
                    }
                    return Character.isUpperCase(buf.charAt(r)) ? q : NO_END;
                }
            }
            return q;
        }

        /** The token ending at the dot at {@link #scan}, without leading punctuation and the dot, if short enough. */
        private String abbreviationCandidate() {
            int start = tokenStart;
            while (start < scan && !Character.isLetter(buf.charAt(start))) {
                start++;
            }
            if (start >= scan || scan - start > LONGEST_ABBREVIATION) {
                return null;
            }
            return buf.substring(start, scan);
        }

        private static boolean isSingleCapital(String token) {
            return token.length() == 1 && Character.isUpperCase(token.charAt(0));
        }

        /**
         * Emits {@code buf[0, cut)} as a phrase (if it holds anything but whitespace) and keeps the rest as the start
         * of the next phrase, which already holds {@code remainingWords} words.
         */
        void emit(int cut, int remainingWords, List<String> out) {
            String phrase = collapse(buf, cut);
            if (!phrase.isEmpty()) {
                out.add(phrase);
                firstPhraseDone = true;
            }
            buf.delete(0, cut);
            scan = Math.max(0, scan - cut);
            tokenStart = Math.max(0, tokenStart - cut);
            words = remainingWords;
            commaCut = -1;
            wordsAtComma = 0;
            t0Start = t1Start = -1;
        }
    }

    /** {@code text[0, end)} with whitespace runs as single spaces, trimmed. */
    private static String collapse(CharSequence text, int end) {
        StringBuilder sb = new StringBuilder(end);
        boolean space = false;
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (isWhitespace(c)) {
                space = !sb.isEmpty();
            } else {
                if (space) {
                    sb.append(' ');
                    space = false;
                }
                sb.append(c);
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "SentenceChunker[firstPhraseMinWords=" + config.firstPhraseMinWords() + ", maxWords="
                + config.maxWords() + "]";
    }
}

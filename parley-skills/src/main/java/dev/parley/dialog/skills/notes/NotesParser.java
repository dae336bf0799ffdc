package dev.parley.dialog.skills.notes;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a personal notes file into passages. Two forms are read, and may be mixed:
 * <ul>
 * <li>FAQ pairs: a line starting "Q:" (or "Question:") and the answer starting "A:" (or "Answer:"), which may go on
 * over several lines until a blank line, the next question or a heading;</li>
 * <li>Markdown: each heading's paragraphs, a paragraph (or a list item) per passage, titled by the nearest heading
 * ("## When is bin day?" followed by its answer works as a question too).</li>
 * </ul>
 * Markdown syntax is removed from the text (emphasis, links, code marks, bullets, quotes); front matter, HTML
 * comments and empty sections are skipped.
 */
public final class NotesParser {
    private NotesParser() {
    }

    private static final Pattern HEADING = Pattern.compile("^\\s{0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern QUESTION = Pattern.compile("^\\s*(?:\\*\\*)?(?:Q|Question)(?:\\*\\*)?\\s*[:.)]\\s*(.*)$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern ANSWER = Pattern.compile("^\\s*(?:\\*\\*)?(?:A|Answer)(?:\\*\\*)?\\s*[:.)]\\s*(.*)$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern BULLET = Pattern.compile("^\\s*(?:[-*+•]|\\d{1,3}[.)])\\s+(.*)$");
    /** Longest passage kept (the embedder reads a few hundred words at most anyway). */
    static final int MAX_CHARS = 2000;

    /** The passages of {@code text}, in file order. */
    public static List<Passage> parse(String text) {
        List<Passage> out = new ArrayList<>();
        String[] lines = text.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
        int i = 0;
        // front matter
        if (lines.length > 0 && lines[0].strip().equals("---")) {
            for (int j = 1; j < lines.length; j++) {
                if (lines[j].strip().equals("---")) {
                    i = j + 1;
                    break;
                }
            }
        }
        String heading = "";
        StringBuilder para = new StringBuilder();
        String question = null;
        StringBuilder answer = null;
        boolean inComment = false, inFence = false;
        for (; i < lines.length; i++) {
            String line = lines[i];
            String s = line.strip();
            if (inComment) {
                inComment = !s.contains("-->");
                continue;
            }
            if (s.startsWith("<!--")) {
                inComment = !s.contains("-->");
                continue;
            }
            if (s.startsWith("```") || s.startsWith("~~~")) {
                inFence = !inFence;
                continue;
            }
            Matcher h = HEADING.matcher(line);
            Matcher q = QUESTION.matcher(line);
            Matcher a = ANSWER.matcher(line);
            if (!inFence && (h.matches() || q.matches() || s.isEmpty())) {
                // the end of a paragraph, and of an answer unless the answer has not started yet
                flush(out, heading, para);
                if (question != null && answer != null && (h.matches() || q.matches() || s.isEmpty())) {
                    add(out, question, answer.toString());
                    question = null;
                    answer = null;
                }
            }
            if (inFence) {
                continue;
            }
            if (h.matches()) {
                heading = clean(h.group(2));
                question = null;
                continue;
            }
            if (q.matches()) {
                question = clean(q.group(1));
                answer = null;
                continue;
            }
            if (question != null && answer == null && a.matches()) {
                answer = new StringBuilder(a.group(1).strip());
                continue;
            }
            if (question != null && answer != null) {
                if (!s.isEmpty()) {
                    Matcher b = BULLET.matcher(line);
                    answer.append(' ').append(b.matches() ? b.group(1).strip() : s);
                }
                continue;
            }
            if (question != null && answer == null && !s.isEmpty()) {
                // a question's text going on over a second line
                question = question + " " + clean(s);
                continue;
            }
            if (s.isEmpty()) {
                continue;
            }
            Matcher b = BULLET.matcher(line);
            if (b.matches()) {
                flush(out, heading, para);
                para.append(b.group(1).strip());
                continue;
            }
            para.append(para.isEmpty() ? "" : " ").append(s.replaceFirst("^>\\s?", ""));
        }
        flush(out, heading, para);
        if (question != null && answer != null) {
            add(out, question, answer.toString());
        }
        return out;
    }

    private static void flush(List<Passage> out, String heading, StringBuilder para) {
        if (!para.isEmpty()) {
            add(out, heading, para.toString());
            para.setLength(0);
        }
    }

    private static void add(List<Passage> out, String title, String body) {
        String b = clean(body);
        if (b.isEmpty()) {
            return;
        }
        if (b.length() > MAX_CHARS) {
            b = b.substring(0, MAX_CHARS);
        }
        out.add(new Passage(clean(title), b));
    }

    private static final Pattern IMAGE = Pattern.compile("!\\[([^\\]]*)]\\([^)]*\\)");
    private static final Pattern LINK = Pattern.compile("\\[([^\\]]*)]\\([^)]*\\)");
    private static final Pattern HTML = Pattern.compile("</?[a-zA-Z][^>]*>");

    /** Markdown removed: links become their text, emphasis, code marks, quotes and HTML tags go. */
    static String clean(String s) {
        String t = IMAGE.matcher(s).replaceAll("$1");
        t = LINK.matcher(t).replaceAll("$1");
        t = HTML.matcher(t).replaceAll("");
        t = t.replaceAll("(?m)^\\s*>\\s?", "");
        t = t.replaceAll("(\\*\\*|__|\\*|`|~~)", "");
        t = t.replaceAll("(?<![\\p{L}\\p{N}])_(?=\\S)|(?<=\\S)_(?![\\p{L}\\p{N}])", "");
        return t.replaceAll("\\s+", " ").strip();
    }
}

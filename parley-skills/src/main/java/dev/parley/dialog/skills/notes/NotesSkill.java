package dev.parley.dialog.skills.notes;

import dev.parley.dialog.Tool;
import dev.parley.dialog.nlu.IntentMatch;
import dev.parley.dialog.skills.Skill;
import dev.parley.dialog.skills.SkillReply;
import dev.parley.dialog.skills.SkillRequest;
import dev.parley.dialog.skills.SkillSession;
import dev.parley.dialog.skills.SkillTools;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Answers from the user's own notes (the wifi password, bin day, the dentist's number): a knowledge skill, asked
 * when the classifier finds no intent (or only a weak one). The best passage, when it scores at least
 * {@code minScore}, is read out briefly: its first sentence, and the second too when both are short, at most
 * {@value #MAX_WORDS} words (a few seconds of speech). Otherwise it passes.
 */
public final class NotesSkill implements Skill {
    /** A reasonable threshold for all-MiniLM-L6-v2 cosine similarity. */
    public static final double DEFAULT_MIN_SCORE = 0.5;
    static final int MAX_WORDS = 30;
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])(?<!(?i:\\b(?:dr|mr|mrs|ms|st|prof|mt|vs"
            + "|etc|e\\.g|i\\.e|approx|no|tel))\\.)\\s+(?=[\\p{Lu}\\p{N}\"'(])");

    private final NotesIndex index;
    private final double minScore;

    /**
     * @param index    the notes
     * @param minScore the similarity a passage needs to be read out
     */
    public NotesSkill(NotesIndex index, double minScore) {
        this.index = index;
        this.minScore = minScore;
    }

    public NotesSkill(NotesIndex index) {
        this(index, DEFAULT_MIN_SCORE);
    }

    @Override
    public Set<String> intents() {
        return Set.of(IntentMatch.OUT_OF_SCOPE);
    }

    @Override
    public String capability() {
        return index.passages().isEmpty() ? "" : "answer questions from your notes";
    }

    /** The notes' first questions and headings, as things to ask. */
    @Override
    public List<String> examples() {
        List<String> out = new ArrayList<>();
        for (Passage p : index.passages()) {
            String t = p.title().strip();
            if (t.endsWith("?") && t.split(" ").length <= 10 && !out.contains(t)) {
                out.add(t.substring(0, t.length() - 1).toLowerCase(Locale.ROOT));
            }
            if (out.size() == 3) {
                break;
            }
        }
        return out;
    }

    @Override
    public SkillReply handle(SkillRequest r) {
        return index.best(r.text()).filter(h -> h.score() >= minScore)
                .<SkillReply>map(h -> SkillReply.say(brief(h.passage().body())))
                .orElse(SkillReply.pass());
    }

    /** The first sentence, and the second when both fit in {@value #MAX_WORDS} words; cut at that many words. */
    static String brief(String body) {
        String[] sentences = SENTENCE_END.split(body.strip());
        String text = sentences[0];
        if (sentences.length > 1 && words(text) + words(sentences[1]) <= MAX_WORDS && words(text) < 15) {
            text = text + " " + sentences[1];
        }
        String[] w = text.split("\\s+");
        if (w.length > MAX_WORDS) {
            text = String.join(" ", List.of(w).subList(0, MAX_WORDS)).replaceAll("[,;:]$", "") + "...";
        } else if (!text.matches("(?s).*[.!?]$")) {
            text = text + ".";
        }
        return text;
    }

    private static int words(String s) {
        return s.isBlank() ? 0 : s.strip().split("\\s+").length;
    }

    @Override
    public List<Tool> tools(SkillSession session) {
        return List.of(SkillTools.tool("search_notes",
                "Search the user's personal notes (home, contacts, passwords, routines) for an answer.", """
                        {"type":"object","properties":{
                        "query":{"type":"string","description":"the question, e.g. what is the wifi password"}},
                        "required":["query"]}""",
                a -> {
                    List<NoteHit> hits = index.search(a.text("query"), 3).stream()
                            .filter(h -> h.score() >= minScore).toList();
                    if (hits.isEmpty()) {
                        return "Nothing in the notes matches.";
                    }
                    StringBuilder sb = new StringBuilder();
                    for (NoteHit h : hits) {
                        sb.append(sb.isEmpty() ? "" : "\n").append("- ")
                                .append(h.passage().title().isEmpty() ? "" : h.passage().title() + ": ")
                                .append(h.passage().body());
                    }
                    return sb.toString();
                }));
    }
}

package dev.parley.turn;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Measures a {@link TurnCompletion} judge on complete utterances: each whole utterance should be judged finished
 * (at or above {@link #THRESHOLD}, the session's cut), and each of its strict prefixes at a word boundary, a pause
 * inside the sentence, should be judged unfinished. Some prefixes are whole sentences themselves ("the child almost
 * hurt"), so a perfect truncation score is neither expected nor wanted.
 *
 * @param complete    every whole utterance with its probability
 * @param truncations every strict prefix, with how many words were cut off
 */
public record CompletionEvaluation(List<Judged> complete, List<Judged> truncations) {

    /** The session ends the turn at or above this probability. */
    static final double THRESHOLD = 0.5;

    /** One judged text: wordsLeft is 0 for a whole utterance, else how many of its words the prefix lacks. */
    record Judged(String text, int wordsLeft, double probability) {
        boolean finished() {
            return probability >= THRESHOLD;
        }
    }

    public static CompletionEvaluation of(TurnCompletion judge, List<String> utterances) {
        List<Judged> complete = new ArrayList<>();
        List<Judged> truncations = new ArrayList<>();
        for (String u : utterances) {
            String[] words = u.trim().split("\\s+");
            if (u.isBlank()) continue;
            complete.add(new Judged(u, 0, judge.finished(u)));
            for (int k = 1; k < words.length; k++) {
                String prefix = String.join(" ", List.of(words).subList(0, k));
                truncations.add(new Judged(prefix, words.length - k, judge.finished(prefix)));
            }
        }
        return new CompletionEvaluation(List.copyOf(complete), List.copyOf(truncations));
    }

    /** Share of whole utterances judged finished. */
    double finishedShare() {
        return share(complete, Judged::finished);
    }

    /** Share of truncations judged unfinished. */
    double unfinishedShare() {
        return share(truncations, j -> !j.finished());
    }

    /** Share of truncations with exactly {@code left} words missing (or at least, when {@code orMore}) judged unfinished. */
    double unfinishedShare(int left, boolean orMore) {
        return share(truncations.stream().filter(j -> orMore ? j.wordsLeft() >= left : j.wordsLeft() == left).toList(),
                j -> !j.finished());
    }

    private static double share(List<Judged> judged, Predicate<Judged> good) {
        return judged.isEmpty() ? Double.NaN : (double) judged.stream().filter(good).count() / judged.size();
    }

    private static long count(List<Judged> judged, Predicate<Judged> p) {
        return judged.stream().filter(p).count();
    }

    /** The figures: finished share of whole utterances, unfinished share of truncations, by words left. */
    public String summary(String name) {
        return String.format(Locale.ROOT,
                "%s: complete judged finished %.3f (%d/%d); truncations judged unfinished %.3f (%d/%d);"
                        + " by words left: 1 %.3f (n=%d), 2 %.3f (n=%d), 3+ %.3f (n=%d)",
                name, finishedShare(), count(complete, Judged::finished), complete.size(),
                unfinishedShare(), count(truncations, j -> !j.finished()), truncations.size(),
                unfinishedShare(1, false), count(truncations, j -> j.wordsLeft() == 1),
                unfinishedShare(2, false), count(truncations, j -> j.wordsLeft() == 2),
                unfinishedShare(3, true), count(truncations, j -> j.wordsLeft() >= 3));
    }

    /** Every judgement, one a line: the complete ones, then each truncation with its position and verdict. */
    String listing() {
        StringBuilder out = new StringBuilder();
        for (Judged j : complete) {
            out.append(String.format(Locale.ROOT, "complete %s %.2f  %s%n", j.finished() ? "ok  " : "MISS",
                    j.probability(), j.text()));
        }
        for (Judged j : truncations) {
            out.append(String.format(Locale.ROOT, "cut -%-2d %s %.2f  %s …%n", j.wordsLeft(),
                    j.finished() ? "MISS" : "ok  ", j.probability(), j.text()));
        }
        return out.toString();
    }
}

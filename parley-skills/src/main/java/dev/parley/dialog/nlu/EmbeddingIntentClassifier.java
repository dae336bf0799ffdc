package dev.parley.dialog.nlu;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Recognises intents by meaning, from labelled example sentences, each embedded once when the classifier is trained.
 *
 * <p><b>Similarity.</b> A sentence and an example are compared in the form {@link ModelText} gives them (normalised,
 * fillers dropped, contractions written out), by {@code w · cos(embeddings) + (1 − w) · cos(word vectors)}: the
 * sentence embeddings carry paraphrase ("time me for seven minutes" is near "set a timer for 7 minutes"), the TF-IDF
 * word vectors of {@link Lexicon} carry what embeddings blur, opposites ("slower"/"faster", "add"/"remove"). With
 * {@code w = 1} it is the plain embedding cosine. It is the cosine of the two sentences' concatenated vectors
 * {@code [√w·embedding, √(1−w)·words]}, so every score below is a cosine in that joint space.
 *
 * <p><b>Scoring.</b> An intent's score is the mean similarity to its {@code k} most similar examples
 * ({@link Scoring.Nearest}) or the cosine to the mean of its examples ({@link Scoring.Centroid}). The best-scoring
 * intent wins unless the sentence is <b>out of scope</b>, which is decided two ways: the best score is below
 * {@link Settings#minScore()} (nothing known is close), or the single most similar example is a labelled
 * out-of-scope request (it is more like "play some jazz" than like any intent's example).
 *
 * <p><b>Tuning.</b> {@link #train(TextEmbedder, List)} chooses the weight {@code w}, the scoring and the threshold by
 * leave-one-out classification of the training examples alone (each classified against all the others), so a
 * held-out test split stays unseen. The choices and their accuracies are kept in {@link #tuning()}.
 *
 * <p>Thread-safe: after training everything is immutable, and the embedder is thread-safe.
 */
public final class EmbeddingIntentClassifier implements IntentClassifier, AutoCloseable {

    /** How the similarities of a sentence to one intent's examples become that intent's score. */
    public sealed interface Scoring {
        /** The mean of the {@code k} highest similarities (fewer if the intent has fewer examples). */
        record Nearest(int k) implements Scoring {
            public Nearest {
                if (k < 1) throw new IllegalArgumentException("k must be >= 1: " + k);
            }

            @Override
            public String toString() {
                return "nearest-" + k;
            }
        }

        /** The cosine to the (normalised) mean of the intent's examples. */
        record Centroid() implements Scoring {
            @Override
            public String toString() {
                return "centroid";
            }
        }
    }

    /**
     * How sentences are compared and scored.
     *
     * @param scoring        how an intent's score is made from its examples' similarities
     * @param semanticWeight {@code w}: the share of the embedding cosine in the similarity, the rest being the word
     *                       vectors' cosine
     * @param minScore       the best intent's score under which a sentence is out of scope
     */
    public record Settings(Scoring scoring, double semanticWeight, double minScore) {
        public Settings {
            Objects.requireNonNull(scoring, "scoring");
            if (!(semanticWeight >= 0 && semanticWeight <= 1)) {
                throw new IllegalArgumentException("semanticWeight not in [0, 1]: " + semanticWeight);
            }
            if (!(minScore >= -1 && minScore <= 1)) throw new IllegalArgumentException("minScore not in [-1, 1]");
        }
    }

    /** One setting tried while tuning (at its best threshold), with its leave-one-out accuracy on the train split. */
    public record Candidate(Settings settings, double looAccuracy) {
    }

    /** The scorings tuning chooses from. */
    public static final List<Scoring> SCORINGS = List.of(new Scoring.Centroid(), new Scoring.Nearest(1),
            new Scoring.Nearest(3), new Scoring.Nearest(5));
    /** The semantic weights tuning chooses from. */
    public static final List<Double> SEMANTIC_WEIGHTS = List.of(1.0, 0.8, 0.7, 0.6, 0.5, 0.4);

    private final TextEmbedder embedder;
    private final boolean ownsEmbedder;
    private final Settings settings;
    private final List<Candidate> tuning;
    private final Examples examples;
    private final double[] classNormSq; // |sum of an intent's joint vectors|², for centroid scores

    private EmbeddingIntentClassifier(TextEmbedder embedder, boolean ownsEmbedder, Examples examples,
                                      Settings settings, List<Candidate> tuning) {
        this.embedder = embedder;
        this.ownsEmbedder = ownsEmbedder;
        this.settings = settings;
        this.tuning = List.copyOf(tuning);
        this.examples = examples;
        this.classNormSq = examples.classNormSq(examples.gram(settings.semanticWeight()));
    }

    /**
     * Embeds the training examples (all of split {@code TRAIN}; test examples are refused) and tunes the weight,
     * scoring and threshold on them by leave-one-out. The embedder stays the caller's to close.
     */
    public static EmbeddingIntentClassifier train(TextEmbedder embedder, List<IntentExample> examples) {
        Examples ex = Examples.embed(embedder, examples);
        List<Candidate> tried = tune(ex);
        Candidate best = tried.getFirst();
        for (Candidate c : tried) if (c.looAccuracy() > best.looAccuracy() + 1e-12) best = c;
        return new EmbeddingIntentClassifier(embedder, false, ex, best.settings(), tried);
    }

    /** As {@link #train(TextEmbedder, List)} but with the given settings (no tuning). */
    public static EmbeddingIntentClassifier train(TextEmbedder embedder, List<IntentExample> examples,
                                                  Settings settings) {
        return new EmbeddingIntentClassifier(embedder, false, Examples.embed(embedder, examples), settings,
                List.of());
    }

    /** A classifier of the same examples (not embedded again) with other settings; it does not own the embedder. */
    public EmbeddingIntentClassifier withSettings(Settings other) {
        return new EmbeddingIntentClassifier(embedder, false, examples, other, List.of());
    }

    /** This classifier, made responsible for closing its embedder. */
    EmbeddingIntentClassifier owningEmbedder() {
        return new EmbeddingIntentClassifier(embedder, true, examples, settings, tuning);
    }

    /**
     * The intent of {@code text}; out of scope with score 0 when it holds no words (blank, punctuation, only
     * fillers). For an out-of-scope answer the score is the similarity of the nearest out-of-scope example when that
     * decided, else {@code 1 −} the best intent's score.
     */
    @Override
    public IntentMatch classify(String text) {
        String form = ModelText.of(Objects.requireNonNull(text, "text"));
        if (form.isEmpty()) return new IntentMatch(IntentMatch.OUT_OF_SCOPE, 0, null, 0);
        double[] sims = examples.similarities(embedder.embed(form), examples.lexicon.vector(form),
                settings.semanticWeight());
        return decide(scores(sims, -1, settings.scoring(), examples.labelOf, examples.intents.length, classNormSq),
                settings.minScore());
    }

    /** The settings in use: chosen by leave-one-out, or given. */
    public Settings settings() {
        return settings;
    }

    /**
     * Every weight and scoring tried while tuning, each at its best threshold with its leave-one-out accuracy (the
     * first of the most accurate is used); empty when the settings were given.
     */
    public List<Candidate> tuning() {
        return tuning;
    }

    /** How many examples were learnt. */
    public int size() {
        return examples.labelOf.length;
    }

    /** The in-scope intents this classifier knows. */
    public List<String> intents() {
        return List.of(examples.intents);
    }

    /** Closes the embedder if this classifier owns it (one from {@link Intents#load()}), else does nothing. */
    @Override
    public void close() {
        if (ownsEmbedder && embedder instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot close the embedder: " + e.getMessage(), e);
            }
        }
    }

    // ---- scoring ----

    /** The best in-scope intent and its score, the best single in-scope similarity, the nearest out-of-scope one. */
    private record Scores(int best, double bestScore, double nearestKnown, double nearestOutOfScope) {
        boolean outOfScope(double minScore) {
            return best < 0 || bestScore < minScore || nearestOutOfScope > nearestKnown;
        }
    }

    private IntentMatch decide(Scores s, double minScore) {
        String known = s.best() < 0 ? null : examples.intents[s.best()];
        double knownScore = clamp(s.bestScore());
        if (s.best() < 0 || s.bestScore() < minScore) {
            return new IntentMatch(IntentMatch.OUT_OF_SCOPE, 1 - knownScore, known, knownScore);
        }
        if (s.nearestOutOfScope() > s.nearestKnown()) {
            return new IntentMatch(IntentMatch.OUT_OF_SCOPE, clamp(s.nearestOutOfScope()), known, knownScore);
        }
        return new IntentMatch(known, knownScore, known, knownScore);
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }

    /**
     * The scores of every in-scope intent for a sentence whose similarities to the examples are {@code sims}. With
     * {@code exclude >= 0} the sentence is that example itself and is left out as if never learnt (leave-one-out):
     * for the centroid its vector is taken out of its intent's sum, whose squared norm becomes
     * {@code |sum|² − 2·Σ sims over the intent + sims[exclude]} (all vectors unit length).
     */
    private static Scores scores(double[] sims, int exclude, Scoring scoring, int[] labelOf, int intents,
                                 double[] classNormSq) {
        double nearestKnown = Double.NEGATIVE_INFINITY;
        double nearestOos = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < sims.length; i++) {
            if (i == exclude) continue;
            if (labelOf[i] < 0) nearestOos = Math.max(nearestOos, sims[i]);
            else nearestKnown = Math.max(nearestKnown, sims[i]);
        }
        double[] score = new double[intents];
        switch (scoring) {
            case Scoring.Nearest n -> {
                double[][] top = new double[intents][n.k()];
                int[] count = new int[intents];
                for (int i = 0; i < sims.length; i++) {
                    int c = labelOf[i];
                    if (i == exclude || c < 0) continue;
                    insertTop(top[c], count[c], sims[i]);
                    count[c]++;
                }
                for (int c = 0; c < intents; c++) {
                    int m = Math.min(count[c], n.k());
                    double s = 0;
                    for (int j = 0; j < m; j++) s += top[c][j];
                    score[c] = m == 0 ? Double.NEGATIVE_INFINITY : s / m;
                }
            }
            case Scoring.Centroid ignored -> {
                double[] sum = new double[intents];
                for (int i = 0; i < sims.length; i++) if (labelOf[i] >= 0) sum[labelOf[i]] += sims[i];
                for (int c = 0; c < intents; c++) {
                    double normSq = classNormSq[c];
                    double dot = sum[c];
                    if (exclude >= 0 && labelOf[exclude] == c) {
                        normSq = normSq - 2 * sum[c] + sims[exclude];
                        dot = sum[c] - sims[exclude];
                    }
                    score[c] = normSq < 1e-9 ? Double.NEGATIVE_INFINITY : dot / Math.sqrt(normSq);
                }
            }
        }
        int best = -1;
        for (int c = 0; c < intents; c++) {
            if (score[c] > Double.NEGATIVE_INFINITY && (best < 0 || score[c] > score[best])) best = c;
        }
        return new Scores(best, best < 0 ? Double.NEGATIVE_INFINITY : score[best], nearestKnown, nearestOos);
    }

    /** Puts {@code v} into the descending {@code top}, which holds the best of {@code seen} values so far. */
    private static void insertTop(double[] top, int seen, double v) {
        int filled = Math.min(seen, top.length);
        int i;
        if (filled < top.length) {
            i = filled;
        } else if (v > top[top.length - 1]) {
            i = top.length - 1;
        } else {
            return;
        }
        while (i > 0 && top[i - 1] < v) {
            top[i] = top[i - 1];
            i--;
        }
        top[i] = v;
    }

    // ---- tuning ----

    /**
     * For every weight and scoring, the leave-one-out accuracy at every threshold 0.00, 0.01 ... 1.00, and the
     * threshold in the middle of the longest run of best accuracy (the most margin on either side).
     */
    private static List<Candidate> tune(Examples ex) {
        int n = ex.labelOf.length;
        List<Candidate> out = new ArrayList<>();
        for (double weight : SEMANTIC_WEIGHTS) {
            double[][] gram = ex.gram(weight);
            double[] normSq = ex.classNormSq(gram);
            for (Scoring scoring : SCORINGS) {
                Scores[] loo = new Scores[n];
                for (int i = 0; i < n; i++) {
                    loo[i] = scores(gram[i], i, scoring, ex.labelOf, ex.intents.length, normSq);
                }
                int steps = 101;
                int[] correct = new int[steps];
                for (int t = 0; t < steps; t++) {
                    for (int i = 0; i < n; i++) {
                        int predicted = loo[i].outOfScope(t / 100.0) ? -1 : loo[i].best();
                        if (predicted == ex.labelOf[i]) correct[t]++;
                    }
                }
                int max = 0;
                for (int c : correct) max = Math.max(max, c);
                int bestStart = 0;
                int bestLen = 0;
                for (int t = 0; t < steps; ) {
                    if (correct[t] != max) {
                        t++;
                        continue;
                    }
                    int start = t;
                    while (t < steps && correct[t] == max) t++;
                    if (t - start > bestLen) {
                        bestLen = t - start;
                        bestStart = start;
                    }
                }
                double threshold = (bestStart + (bestLen - 1) / 2) / 100.0;
                out.add(new Candidate(new Settings(scoring, weight, threshold), (double) max / n));
            }
        }
        return out;
    }

    // ---- the learnt examples ----

    /** The training examples: embeddings, word vectors, labels (index into {@code intents}, -1 out of scope). */
    private record Examples(float[][] vectors, Lexicon lexicon, Lexicon.Vector[] words, int[] labelOf,
                            String[] intents, double[][] semanticGram, double[][] lexicalGram) {

        static Examples embed(TextEmbedder embedder, List<IntentExample> examples) {
            Objects.requireNonNull(embedder, "embedder");
            Map<String, Integer> index = new LinkedHashMap<>();
            List<String> forms = new ArrayList<>();
            int[] labelOf = new int[examples.size()];
            for (int i = 0; i < examples.size(); i++) {
                IntentExample e = examples.get(i);
                if (e.split() != IntentExample.Split.TRAIN) {
                    throw new IllegalArgumentException("a classifier learns only from train examples, got the "
                            + e.split() + " example '" + e.utterance() + "'");
                }
                String form = ModelText.of(e.utterance());
                if (form.isEmpty()) throw new IllegalArgumentException("example '" + e.utterance() + "' has no words");
                forms.add(form);
                labelOf[i] = e.outOfScope() ? -1 : index.computeIfAbsent(e.intent(), k -> index.size());
            }
            if (index.isEmpty()) throw new IllegalArgumentException("no in-scope examples to learn from");
            Lexicon lexicon = Lexicon.of(forms);
            Lexicon.Vector[] words = forms.stream().map(lexicon::vector).toArray(Lexicon.Vector[]::new);
            float[][] vectors = embedder.embedAll(forms).toArray(float[][]::new);
            int n = vectors.length;
            double[][] semantic = new double[n][n];
            double[][] lexical = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = i; j < n; j++) {
                    semantic[i][j] = semantic[j][i] = TextEmbedder.cosine(vectors[i], vectors[j]);
                    lexical[i][j] = lexical[j][i] = words[i].dot(words[j]);
                }
            }
            return new Examples(vectors, lexicon, words, labelOf, index.keySet().toArray(String[]::new), semantic,
                    lexical);
        }

        /** The similarities of a sentence (its embedding and word vector) to every example. */
        double[] similarities(float[] embedding, Lexicon.Vector wordVector, double weight) {
            double[] sims = new double[vectors.length];
            for (int i = 0; i < vectors.length; i++) {
                double lexical = weight < 1 ? wordVector.dot(words[i]) : 0;
                sims[i] = weight * TextEmbedder.cosine(embedding, vectors[i]) + (1 - weight) * lexical;
            }
            return sims;
        }

        /** The similarities of every example to every other (each example's own is 1). */
        double[][] gram(double weight) {
            int n = vectors.length;
            double[][] g = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) g[i][j] = weight * semanticGram[i][j] + (1 - weight) * lexicalGram[i][j];
            }
            return g;
        }

        /** Per intent, the squared norm of the sum of its examples' joint vectors: the sum of their similarities. */
        double[] classNormSq(double[][] gram) {
            double[] out = new double[intents.length];
            for (int i = 0; i < labelOf.length; i++) {
                if (labelOf[i] < 0) continue;
                for (int j = 0; j < labelOf.length; j++) if (labelOf[j] == labelOf[i]) out[labelOf[i]] += gram[i][j];
            }
            return out;
        }
    }
}

package dev.parley.dialog.nlu;

import dev.parley.dialog.nlu.EmbeddingIntentClassifier.Scoring;
import dev.parley.dialog.nlu.EmbeddingIntentClassifier.Settings;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The classifier's arithmetic, on an embedder whose vectors are given by hand so every score can be worked out on
 * paper. Each example is a word of its own, so the word-vector similarity between different examples is 0.
 */
class EmbeddingIntentClassifierTest {

    /** An embedder of fixed vectors (normalised here), counting embeddings and closes. */
    static final class FixedEmbedder implements TextEmbedder, AutoCloseable {
        final Map<String, float[]> vectors = new HashMap<>();
        int embedded;
        int closed;

        FixedEmbedder put(String text, double... v) {
            double n = 0;
            for (double x : v) n += x * x;
            float[] f = new float[v.length];
            for (int i = 0; i < v.length; i++) f[i] = (float) (v[i] / Math.sqrt(n));
            vectors.put(text, f);
            return this;
        }

        @Override
        public float[] embed(String text) {
            float[] v = vectors.get(text);
            if (v == null) throw new IllegalArgumentException("no vector for '" + text + "'");
            embedded++;
            return v;
        }

        @Override
        public int dimensions() {
            return vectors.values().iterator().next().length;
        }

        @Override
        public void close() {
            closed++;
        }
    }

    static IntentExample train(String intent, String text) {
        return new IntentExample(intent, IntentExample.Split.TRAIN, text);
    }

    /** A: a1 (1,0,0), a2 (.8,.6,0); B: b1 (0,1,0); out of scope: o1 (0,0,1). */
    static FixedEmbedder embedder() {
        return new FixedEmbedder().put("aone", 1, 0, 0).put("atwo", .8, .6, 0).put("bone", 0, 1, 0)
                .put("oone", 0, 0, 1)
                .put("query", .6, .8, 0).put("nearoos", 0, .6, .8);
    }

    static final List<IntentExample> EXAMPLES = List.of(train("a", "aone"), train("a", "atwo"), train("b", "bone"),
            train(IntentMatch.OUT_OF_SCOPE, "oone"));

    @Test
    void eachScoringGivesItsOwnWorkedOutScore() {
        FixedEmbedder e = embedder();
        // sims of (.6,.8,0): a1 .6, a2 .96, b1 .8, o1 0
        IntentMatch nearest1 = EmbeddingIntentClassifier.train(e, EXAMPLES, new Settings(new Scoring.Nearest(1), 1, 0))
                .classify("query");
        assertThat(nearest1.intent()).isEqualTo("a");
        assertThat(nearest1.score()).isCloseTo(0.96, within(1e-6));
        // centroid of A is (1.8,.6,0)/|.|: (1.08+.48)/sqrt(3.6) = 0.8222
        IntentMatch centroid = EmbeddingIntentClassifier.train(e, EXAMPLES, new Settings(new Scoring.Centroid(), 1, 0))
                .classify("query");
        assertThat(centroid.intent()).isEqualTo("a");
        assertThat(centroid.score()).isCloseTo(1.56 / Math.sqrt(3.6), within(1e-6));
        // the mean of A's two best (.96 + .6) / 2 = .78 loses to B's only one, .8
        IntentMatch nearest3 = EmbeddingIntentClassifier.train(e, EXAMPLES, new Settings(new Scoring.Nearest(3), 1, 0))
                .classify("query");
        assertThat(nearest3.intent()).isEqualTo("b");
        assertThat(nearest3.score()).isCloseTo(0.8, within(1e-6));
    }

    @Test
    void aSentenceNearestToAnOutOfScopeExampleIsOutOfScope() {
        // (0,.6,.8): o1 .8 beats b1 .6; the best intent is still reported
        IntentMatch m = EmbeddingIntentClassifier.train(embedder(), EXAMPLES,
                new Settings(new Scoring.Nearest(1), 1, 0)).classify("nearoos");
        assertThat(m.outOfScope()).isTrue();
        assertThat(m.score()).isCloseTo(0.8, within(1e-6));
        assertThat(m.bestKnown()).isEqualTo("b");
        assertThat(m.bestScore()).isCloseTo(0.6, within(1e-6));
    }

    @Test
    void aSentenceFarFromEverythingIsOutOfScopeUnderTheThreshold() {
        EmbeddingIntentClassifier c = EmbeddingIntentClassifier.train(embedder(), EXAMPLES,
                new Settings(new Scoring.Nearest(1), 1, 0.97));
        IntentMatch m = c.classify("query"); // best .96 < .97
        assertThat(m.outOfScope()).isTrue();
        assertThat(m.bestKnown()).isEqualTo("a");
        assertThat(m.bestScore()).isCloseTo(0.96, within(1e-6));
        assertThat(m.score()).isCloseTo(0.04, within(1e-6));
        assertThat(c.withSettings(new Settings(new Scoring.Nearest(1), 1, 0.95)).classify("query").intent())
                .isEqualTo("a");
    }

    @Test
    void textWithoutWordsIsOutOfScopeWithoutEmbedding() {
        FixedEmbedder e = embedder();
        EmbeddingIntentClassifier c = EmbeddingIntentClassifier.train(e, EXAMPLES,
                new Settings(new Scoring.Centroid(), 1, 0));
        int before = e.embedded;
        for (String s : List.of("", "   ", "?!", "uh um", "hmm...")) {
            assertThat(c.classify(s)).as(s).isEqualTo(new IntentMatch(IntentMatch.OUT_OF_SCOPE, 0, null, 0));
        }
        assertThat(e.embedded).isEqualTo(before);
        assertThatThrownBy(() -> c.classify(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void sentencesAreComparedInTheirNormalForm() {
        EmbeddingIntentClassifier c = EmbeddingIntentClassifier.train(embedder(), EXAMPLES,
                new Settings(new Scoring.Nearest(1), 1, 0));
        assertThat(c.classify("Um, QUERY?!").intent()).isEqualTo("a");
    }

    /**
     * Leave-one-out on these examples: a1 and a2 are right while the threshold is at most .805 (each other's
     * similarity), b1 and b2 likewise; o1 is right only above its best intent score, its cosine to B's centroid,
     * .2497. So every threshold from .25 to .80 is perfect, and the middle of that run, .52, is chosen, with the
     * embedding alone (w = 1, the first weight among the equally perfect ones) and the centroid (the first scoring).
     */
    @Test
    void tuningChoosesTheMiddleOfThePerfectThresholdsByLeaveOneOut() {
        FixedEmbedder e = new FixedEmbedder().put("aone", 1, 0, 0, 0).put("atwo", .805, .593, 0, 0)
                .put("bone", 0, 0, 1, 0).put("btwo", 0, 0, .805, .593).put("oone", 0, .6, 0, .8);
        List<IntentExample> examples = List.of(train("a", "aone"), train("a", "atwo"), train("b", "bone"),
                train("b", "btwo"), train(IntentMatch.OUT_OF_SCOPE, "oone"));
        EmbeddingIntentClassifier c = EmbeddingIntentClassifier.train(e, examples);
        assertThat(c.settings()).isEqualTo(new Settings(new Scoring.Centroid(), 1.0, 0.52));
        assertThat(c.tuning()).hasSize(EmbeddingIntentClassifier.SCORINGS.size()
                * EmbeddingIntentClassifier.SEMANTIC_WEIGHTS.size());
        assertThat(c.tuning().getFirst().looAccuracy()).isEqualTo(1.0);
        // at w = .8 the similarities scale by .8 and the perfect run is .20 to .64: its middle is .42
        assertThat(c.tuning()).contains(new EmbeddingIntentClassifier.Candidate(
                new Settings(new Scoring.Centroid(), 0.8, 0.42), 1.0));
        assertThat(e.embedded).isEqualTo(5);
    }

    /** Opposites the embedding cannot tell apart are told apart by their words once they weigh in. */
    @Test
    void wordsDecideWhereEmbeddingsCannot() {
        FixedEmbedder e = new FixedEmbedder();
        for (String s : List.of("speak slower", "talk slower", "speak faster", "talk faster", "slower please")) {
            e.put(s, 1, 0);
        }
        List<IntentExample> examples = List.of(train("voice.slower", "speak slower"),
                train("voice.slower", "talk slower"), train("voice.faster", "speak faster"),
                train("voice.faster", "talk faster"));
        EmbeddingIntentClassifier semantic = EmbeddingIntentClassifier.train(e, examples,
                new Settings(new Scoring.Centroid(), 1, 0));
        EmbeddingIntentClassifier mixed = semantic.withSettings(new Settings(new Scoring.Centroid(), 0.5, 0));
        // a tie for the embedding alone: the first intent learnt wins
        assertThat(semantic.classify("slower please").bestScore()).isCloseTo(1.0, within(1e-6));
        assertThat(mixed.classify("slower please").intent()).isEqualTo("voice.slower");
        e.put("faster please", 1, 0);
        assertThat(mixed.classify("faster please").intent()).isEqualTo("voice.faster");
    }

    @Test
    void learnsOnlyFromTrainExamplesWithWords() {
        FixedEmbedder e = embedder();
        assertThatThrownBy(() -> EmbeddingIntentClassifier.train(e,
                List.of(new IntentExample("a", IntentExample.Split.TEST, "aone"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only from train examples");
        assertThatThrownBy(() -> EmbeddingIntentClassifier.train(e, List.of(train("a", "?!"))))
                .hasMessageContaining("has no words");
        assertThatThrownBy(() -> EmbeddingIntentClassifier.train(e, List.of(train(IntentMatch.OUT_OF_SCOPE, "oone"))))
                .hasMessageContaining("no in-scope examples");
    }

    @Test
    void closesItsEmbedderOnlyWhenItOwnsIt() {
        FixedEmbedder e = embedder();
        EmbeddingIntentClassifier c = EmbeddingIntentClassifier.train(e, EXAMPLES,
                new Settings(new Scoring.Centroid(), 1, 0));
        c.close();
        c.withSettings(new Settings(new Scoring.Nearest(1), 1, 0)).close();
        assertThat(e.closed).isZero();
        c.owningEmbedder().close();
        assertThat(e.closed).isEqualTo(1);
    }

    @Test
    void reportsWhatItKnows() {
        EmbeddingIntentClassifier c = EmbeddingIntentClassifier.train(embedder(), EXAMPLES,
                new Settings(new Scoring.Centroid(), 1, 0));
        assertThat(c.intents()).containsExactly("a", "b");
        assertThat(c.size()).isEqualTo(4);
        assertThat(c.tuning()).isEmpty();
        List<String> names = new ArrayList<>();
        EmbeddingIntentClassifier.SCORINGS.forEach(s -> names.add(s.toString()));
        assertThat(names).containsExactly("centroid", "nearest-1", "nearest-3", "nearest-5");
    }

    @Test
    void settingsAreValidated() {
        assertThatThrownBy(() -> new Settings(new Scoring.Centroid(), 1.5, 0)).hasMessageContaining("semanticWeight");
        assertThatThrownBy(() -> new Settings(new Scoring.Centroid(), 1, Double.NaN)).hasMessageContaining("minScore");
        assertThatThrownBy(() -> new Scoring.Nearest(0)).hasMessageContaining("k must be");
    }
}

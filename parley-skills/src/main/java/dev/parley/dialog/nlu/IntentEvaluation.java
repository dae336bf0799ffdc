package dev.parley.dialog.nlu;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Measures an intent classifier on held-out utterances: accuracy overall and per intent, precision and recall of
 * "out of scope", and which intents are taken for which. {@link #main} trains on the bundled dataset's train split,
 * measures on its test split and prints the report with the load and per-utterance times.
 */
public final class IntentEvaluation {

    private IntentEvaluation() {
    }

    /** How one intent fared: {@code correct} of its {@code support} test utterances, {@code predicted} times said. */
    public record IntentScore(String intent, int support, int correct, int predicted) {
        public double recall() {
            return support == 0 ? Double.NaN : (double) correct / support;
        }

        public double precision() {
            return predicted == 0 ? Double.NaN : (double) correct / predicted;
        }
    }

    /** Test utterances of {@code expected} classified as {@code predicted}. */
    public record Confusion(String expected, String predicted, List<String> utterances) {
        public Confusion {
            utterances = List.copyOf(utterances);
        }

        public int count() {
            return utterances.size();
        }
    }

    /**
     * The measurements.
     *
     * @param perIntent  every label of the test split, out of scope included, in the dataset's order
     * @param confusions expected/predicted pairs that differ, most frequent first
     * @param misses     every misclassified utterance with what it got
     */
    public record Report(int testSize, int correct, List<IntentScore> perIntent, List<Confusion> confusions,
                         List<Miss> misses) {
        public Report {
            perIntent = List.copyOf(perIntent);
            confusions = List.copyOf(confusions);
            misses = List.copyOf(misses);
        }

        public double accuracy() {
            return (double) correct / testSize;
        }

        /** The score of one label, out of scope included. */
        public IntentScore of(String intent) {
            return perIntent.stream().filter(s -> s.intent().equals(intent)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no test utterance of " + intent));
        }

        /** Of the utterances called out of scope, the share that are. */
        public double outOfScopePrecision() {
            return of(IntentMatch.OUT_OF_SCOPE).precision();
        }

        /** Of the out-of-scope utterances, the share called so. */
        public double outOfScopeRecall() {
            return of(IntentMatch.OUT_OF_SCOPE).recall();
        }

        /** The report as text, one line per intent. */
        public String format() {
            StringBuilder b = new StringBuilder();
            b.append(String.format(Locale.ROOT, "held-out accuracy %.1f%% (%d of %d)%n", 100 * accuracy(), correct,
                    testSize));
            b.append(String.format(Locale.ROOT, "out of scope: precision %.1f%%, recall %.1f%%%n",
                    100 * outOfScopePrecision(), 100 * outOfScopeRecall()));
            b.append(String.format(Locale.ROOT, "%-22s %8s %8s %9s%n", "intent", "correct", "recall", "precision"));
            for (IntentScore s : perIntent) {
                b.append(String.format(Locale.ROOT, "%-22s %4d/%-3d %7.0f%% %8.0f%%%n", s.intent(), s.correct(),
                        s.support(), 100 * s.recall(), 100 * s.precision()));
            }
            b.append(confusions.isEmpty() ? "no confusions\n" : "confusions (expected -> predicted):\n");
            for (Confusion c : confusions) {
                b.append(String.format(Locale.ROOT, "  %d x %s -> %s: %s%n", c.count(), c.expected(), c.predicted(),
                        c.utterances()));
            }
            return b.toString();
        }
    }

    /** A misclassified test utterance. */
    public record Miss(String utterance, String expected, IntentMatch got) {
    }

    /** Classifies every example of {@code test} (whatever its split) and compares with its label. */
    public static Report evaluate(IntentClassifier classifier, List<IntentExample> test) {
        if (test.isEmpty()) throw new IllegalArgumentException("nothing to evaluate on");
        Map<String, int[]> counts = new LinkedHashMap<>(); // support, correct, predicted
        Map<List<String>, List<String>> confused = new LinkedHashMap<>();
        List<Miss> misses = new ArrayList<>();
        int correct = 0;
        for (IntentExample e : test) counts.computeIfAbsent(e.intent(), k -> new int[3])[0]++;
        for (IntentExample e : test) {
            IntentMatch got = classifier.classify(e.utterance());
            counts.computeIfAbsent(got.intent(), k -> new int[3])[2]++;
            if (got.intent().equals(e.intent())) {
                correct++;
                counts.get(e.intent())[1]++;
            } else {
                misses.add(new Miss(e.utterance(), e.intent(), got));
                confused.computeIfAbsent(List.of(e.intent(), got.intent()), k -> new ArrayList<>()).add(e.utterance());
            }
        }
        List<IntentScore> perIntent = new ArrayList<>();
        counts.forEach((intent, c) -> {
            if (c[0] > 0) perIntent.add(new IntentScore(intent, c[0], c[1], c[2]));
        });
        List<Confusion> confusions = new ArrayList<>();
        confused.forEach((pair, utterances) -> confusions.add(new Confusion(pair.get(0), pair.get(1), utterances)));
        confusions.sort(Comparator.comparingInt(Confusion::count).reversed());
        return new Report(test.size(), correct, perIntent, confusions, misses);
    }

    /**
     * Trains on the bundled dataset's train split, prints the held-out report, how every setting the tuning tried
     * would have done on the held-out split (for information: the choice is made on the train split alone), the
     * load time and the median time to classify one utterance.
     */
    public static void main(String[] args) {
        long start = System.nanoTime();
        try (EmbeddingIntentClassifier classifier = Intents.load()) {
            double loadMs = (System.nanoTime() - start) / 1e6;
            IntentDataset dataset = IntentDataset.load();
            List<IntentExample> test = dataset.test();
            EmbeddingIntentClassifier.Settings chosen = classifier.settings();
            System.out.printf(Locale.ROOT, "intent classifier: all-MiniLM-L6-v2 (quantised), %d train / %d test"
                            + " utterances, %d intents + out of scope%n", dataset.train().size(), test.size(),
                    classifier.intents().size());
            System.out.printf(Locale.ROOT, "chosen on the train split by leave-one-out: %s, semantic weight %.1f,"
                    + " out of scope under %.2f%n", chosen.scoring(), chosen.semanticWeight(), chosen.minScore());
            System.out.print(evaluate(classifier, test).format());
            System.out.println("every setting tried (leave-one-out on train -> held-out):");
            for (EmbeddingIntentClassifier.Candidate c : classifier.tuning()) {
                EmbeddingIntentClassifier.Settings s = c.settings();
                Report r = evaluate(classifier.withSettings(s), test);
                System.out.printf(Locale.ROOT, "  %-10s w %.1f under %.2f: train LOO %.1f%% -> held-out %.1f%%"
                                + " (out of scope P %.0f%% R %.0f%%)%n", s.scoring(), s.semanticWeight(),
                        s.minScore(), 100 * c.looAccuracy(), 100 * r.accuracy(), 100 * r.outOfScopePrecision(),
                        100 * r.outOfScopeRecall());
            }
            System.out.printf(Locale.ROOT, "load (model, %d examples embedded, tuning) %.0f ms; %s%n",
                    classifier.size(), loadMs, timeClassify(classifier, test));
        }
    }

    /** The median and 90th percentile time of one classification, over 300 calls after 100 of warm-up. */
    static String timeClassify(IntentClassifier classifier, List<IntentExample> utterances) {
        for (int i = 0; i < 100; i++) classifier.classify(utterances.get(i % utterances.size()).utterance());
        long[] times = new long[300];
        for (int i = 0; i < times.length; i++) {
            String u = utterances.get(i % utterances.size()).utterance();
            long t0 = System.nanoTime();
            classifier.classify(u);
            times[i] = System.nanoTime() - t0;
        }
        Arrays.sort(times);
        return String.format(Locale.ROOT, "classify median %.2f ms, p90 %.2f ms (%d calls after warm-up)",
                times[times.length / 2] / 1e6, times[times.length * 9 / 10] / 1e6, times.length);
    }
}

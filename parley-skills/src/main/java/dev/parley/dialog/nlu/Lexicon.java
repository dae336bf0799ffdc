package dev.parley.dialog.nlu;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Word vectors (TF-IDF over single words) of the training sentences, the lexical half of the intent classifier's
 * similarity. Sentence embeddings hardly tell opposites apart ("speak slower" and "speak faster" are 0.8 similar
 * with all-MiniLM-L6-v2), while the words themselves do; mixing both similarities keeps the embedding's grasp of
 * paraphrase and adds the words' polarity.
 *
 * <p>Weights are {@code (1 + ln tf) · idf} with the smoothed {@code idf = ln((1 + N) / (1 + df)) + 1} over the N
 * training sentences. A word never seen in training has no dimension but still counts in the sentence's norm, with
 * the highest idf: a sentence made mostly of unknown words is dissimilar to everything, as it should be. Vectors have
 * unit length (or are empty for a sentence without words). Immutable and thread-safe.
 */
final class Lexicon {

    /** A sparse unit vector: ascending term ids and their weights. */
    record Vector(int[] terms, float[] weights) {
        static final Vector EMPTY = new Vector(new int[0], new float[0]);

        double dot(Vector o) {
            double s = 0;
            int i = 0;
            int j = 0;
            while (i < terms.length && j < o.terms.length) {
                if (terms[i] == o.terms[j]) s += (double) weights[i++] * o.weights[j++];
                else if (terms[i] < o.terms[j]) i++;
                else j++;
            }
            return s;
        }
    }

    private final Map<String, Integer> ids;
    private final double[] idf;
    private final double unseenIdf;

    private Lexicon(Map<String, Integer> ids, double[] idf, double unseenIdf) {
        this.ids = ids;
        this.idf = idf;
        this.unseenIdf = unseenIdf;
    }

    /** The lexicon of these sentences (words separated by single spaces, as {@link ModelText} writes them). */
    static Lexicon of(List<String> sentences) {
        Map<String, Integer> ids = new HashMap<>();
        Map<Integer, Integer> df = new HashMap<>();
        for (String s : sentences) {
            for (String w : distinct(s)) df.merge(ids.computeIfAbsent(w, k -> ids.size()), 1, Integer::sum);
        }
        int n = sentences.size();
        double[] idf = new double[ids.size()];
        df.forEach((id, count) -> idf[id] = Math.log((1.0 + n) / (1.0 + count)) + 1);
        return new Lexicon(Map.copyOf(ids), idf, Math.log(1.0 + n) + 1);
    }

    Vector vector(String sentence) {
        Map<String, Integer> tf = new HashMap<>();
        for (String w : sentence.split(" ")) if (!w.isEmpty()) tf.merge(w, 1, Integer::sum);
        int known = 0;
        for (String w : tf.keySet()) if (ids.containsKey(w)) known++;
        int[] terms = new int[known];
        double[] raw = new double[known];
        double norm = 0;
        int k = 0;
        for (Map.Entry<String, Integer> e : tf.entrySet()) {
            double w = 1 + Math.log(e.getValue());
            Integer id = ids.get(e.getKey());
            if (id == null) {
                norm += Math.pow(w * unseenIdf, 2);
            } else {
                terms[k] = id;
                raw[k++] = w * idf[id];
            }
        }
        for (double r : raw) norm += r * r;
        if (norm == 0) return Vector.EMPTY;
        norm = Math.sqrt(norm);
        Integer[] order = new Integer[known];
        for (int i = 0; i < known; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Integer.compare(terms[a], terms[b]));
        int[] sortedTerms = new int[known];
        float[] weights = new float[known];
        for (int i = 0; i < known; i++) {
            sortedTerms[i] = terms[order[i]];
            weights[i] = (float) (raw[order[i]] / norm);
        }
        return new Vector(sortedTerms, weights);
    }

    private static List<String> distinct(String sentence) {
        return Arrays.stream(sentence.split(" ")).filter(w -> !w.isEmpty()).distinct().toList();
    }
}

package dev.parley.dialog.nlu;

import java.util.ArrayList;
import java.util.List;

/** Turns a sentence into a vector whose direction carries its meaning (unit length: dot product = cosine). */
public interface TextEmbedder {

    /** The embedding of {@code text}, of length {@link #dimensions()} and unit length. Thread-safe. */
    float[] embed(String text);

    /** Embeddings of many texts (implementations may batch). */
    default List<float[]> embedAll(List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        for (String t : texts) out.add(embed(t));
        return out;
    }

    int dimensions();

    /** The cosine similarity of two unit vectors. */
    static double cosine(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}

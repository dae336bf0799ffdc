package dev.parley.dialog.nlu;

/**
 * The real model and the bundled classifier, loaded once per test JVM (each takes a second or two) and shared by the
 * test classes that only read them; never closed (the JVM's exit frees them). Tests of closing load their own.
 */
final class TestModels {

    private TestModels() {
    }

    private static final class Embedder {
        static final MiniLmEmbedder INSTANCE = MiniLmEmbedder.load();
    }

    private static final class Classifier {
        static final EmbeddingIntentClassifier INSTANCE = Intents.load();
    }

    static MiniLmEmbedder embedder() {
        return Embedder.INSTANCE;
    }

    static EmbeddingIntentClassifier classifier() {
        return Classifier.INSTANCE;
    }
}

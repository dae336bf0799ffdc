package dev.parley.dialog.nlu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The embedder against reference embeddings: {@code embedding-reference.json} holds the embeddings of six sentences
 * computed once outside Java, with ONNX Runtime 1.30 (its Node.js binding) running the same .onnx file on ids from
 * the HuggingFace tokenizers library, mean-pooled and L2-normalised by a few lines of JavaScript. Agreement to 1e-5
 * checks the tokenizer, the model's inputs, the pooling and the normalisation together.
 */
class MiniLmEmbedderTest {

    static final String TIMER = "set a timer for five minutes";
    static final String TIMER_TOO = "start a five minute timer";
    static final String FRANCE = "what is the capital of France";

    final MiniLmEmbedder embedder = TestModels.embedder();

    @Test
    void matchesTheReferenceEmbeddings() throws IOException {
        JsonNode ref;
        try (InputStream in = getClass().getResourceAsStream("embedding-reference.json")) {
            ref = new ObjectMapper().readTree(in);
        }
        assertThat(ref.get("cases")).hasSize(6);
        for (JsonNode c : ref.get("cases")) {
            String text = c.get("text").asText();
            float[] v = embedder.embed(text);
            assertThat(v).as(text).hasSize(384);
            for (int i = 0; i < 384; i++) {
                assertThat((double) v[i]).as("%s [%d]", text, i).isCloseTo(c.get("embedding").get(i).asDouble(),
                        within(1e-5));
            }
        }
    }

    @Test
    void similarSentencesScoreHigherThanUnrelatedOnes() {
        float[] timer = embedder.embed(TIMER);
        float[] timerToo = embedder.embed(TIMER_TOO);
        float[] france = embedder.embed(FRANCE);
        // values of the reference run (see the class comment), to 1e-3
        assertThat(TextEmbedder.cosine(timer, timerToo)).isCloseTo(0.8698, within(1e-3));
        assertThat(TextEmbedder.cosine(timer, france)).isCloseTo(0.0645, within(1e-3));
        assertThat(TextEmbedder.cosine(timerToo, france)).isCloseTo(0.0388, within(1e-3));
    }

    @Test
    void embeddingsHaveUnitLengthAndTheModelsDimensions() {
        assertThat(embedder.dimensions()).isEqualTo(384);
        for (String s : List.of("", "hi", "the birch canoe slid on the smooth planks", "?!", "北京 😁")) {
            float[] v = embedder.embed(s);
            assertThat(v).hasSize(384);
            assertThat(TextEmbedder.cosine(v, v)).as(s).isCloseTo(1.0, within(1e-5));
        }
    }

    @Test
    void aTextLongerThanTheModelTakesIsTruncatedNotRefused() {
        String longText = "tell me about the weather ".repeat(200);
        assertThat(embedder.tokenizer().encode(longText).length()).isEqualTo(MiniLmEmbedder.MAX_TOKENS);
        float[] v = embedder.embed(longText);
        assertThat(TextEmbedder.cosine(v, v)).isCloseTo(1.0, within(1e-5));
    }

    @Test
    void embedAllGivesWhatEmbedGivesInOrder() {
        List<String> texts = List.of(TIMER, FRANCE, "hello", TIMER_TOO);
        List<float[]> all = embedder.embedAll(texts);
        assertThat(all).hasSize(4);
        for (int i = 0; i < texts.size(); i++) assertThat(all.get(i)).isEqualTo(embedder.embed(texts.get(i)));
    }

    @Test
    void concurrentCallersGetTheSameEmbeddingsAsOneCaller() throws Exception {
        List<String> texts = List.of(TIMER, TIMER_TOO, FRANCE, "add apples to my shopping list", "what time is it",
                "turn it down", "who are you", "remind me at noon");
        List<float[]> expected = texts.stream().map(embedder::embed).toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int offset = t;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 40; i++) {
                        int k = (i + offset) % texts.size();
                        if (!java.util.Arrays.equals(embedder.embed(texts.get(k)), expected.get(k))) return false;
                    }
                    return true;
                }));
            }
            for (Future<Boolean> r : results) assertThat(r.get(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void closedEmbedderRefusesWorkAndClosingTwiceIsHarmless() {
        MiniLmEmbedder own = MiniLmEmbedder.load();
        assertThat(own.embed("hello")).hasSize(384);
        own.close();
        own.close();
        assertThatThrownBy(() -> own.embed("hello")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void aBrokenModelFailsAtLoadWithAClearMessage() {
        assertThatThrownBy(() -> MiniLmEmbedder.load(new byte[]{1, 2, 3, 4}, embedder.tokenizer(), 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cannot load the sentence-embedding model");
        assertThatThrownBy(() -> MiniLmEmbedder.load(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("intraOpThreads");
    }

    @Test
    void nullTextIsRefused() {
        assertThatThrownBy(() -> embedder.embed(null)).isInstanceOf(NullPointerException.class);
    }
}

package dev.parley.dialog.nlu;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The classifier the assistant uses ({@link Intents#load()}: the real model, trained on the bundled train split).
 *
 * <p><b>Held-out accuracy guard.</b> Measured on the 165 held-out utterances: 90.9% (150 of 165), out-of-scope
 * precision 79.2% (19 of 24) and recall 90.5% (19 of 21), with the settings leave-one-out chose on the train split
 * (centroid, semantic weight 0.6, out of scope under 0.31). The guards sit a few points below: accuracy 88% (five
 * utterances may flip, one is 0.6%, e.g. on another ONNX Runtime or after adding training examples), out-of-scope
 * precision 70% and recall 80% (two or three utterances each). A real regression fails them: the embedding alone,
 * without the word vectors, measures 87.3%, and a broken tokenizer, pooling or normal form costs far more.
 */
class IntentsTest {

    final EmbeddingIntentClassifier classifier = TestModels.classifier();

    @Test
    void heldOutAccuracyStaysAboveTheGuard() {
        IntentEvaluation.Report report = IntentEvaluation.evaluate(classifier, IntentDataset.load().test());
        assertThat(report.testSize()).isEqualTo(165);
        assertThat(report.accuracy()).as(report.format()).isGreaterThanOrEqualTo(0.88);
        assertThat(report.outOfScopePrecision()).as(report.format()).isGreaterThanOrEqualTo(0.70);
        assertThat(report.outOfScopeRecall()).as(report.format()).isGreaterThanOrEqualTo(0.80);
    }

    /** The transcripts of the shared corpus's clips, as written there and as other recognisers would write them. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "what time is it|time.now",
            "What time is it?|time.now",
            "uh what time is it|time.now",
            "what's the weather|weather",
            "whats the weather|weather",
            "What's the weather?|weather",
            "set a timer for 3 hours and 10 minutes|timer.set",
            "set a timer for three hours and ten minutes|timer.set",
            "Set a timer for 3 hours and 10 minutes.|timer.set",
            "add apples to my Shopping List|list.add",
            "add apples to my shopping list|list.add",
            "timer status|timer.remaining",
            "Timer status?|timer.remaining",
            "go forward ten meters|out_of_scope",
            "Go forward 10 meters.|out_of_scope",
            "ten of clubs|out_of_scope",
            "the birch canoe slid on the smooth planks|out_of_scope",
            "The birch canoe slid on the smooth planks.|out_of_scope",
    })
    void theCorpusPhrasingsClassifyRight(String text, String intent) {
        assertThat(classifier.classify(text).intent()).isEqualTo(intent);
    }

    /** Phrasings that are in no split of the dataset: stopping versus cancelling the timer. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "stop that timer|timer.cancel",
            "cancel my timer please|timer.cancel",
            "Cancel.|control.stop",
            "never mind, stop|control.stop",
            "shut up please|control.stop",
    })
    void stoppingIsNotCancellingTheTimer(String text, String intent) {
        assertThat(classifier.classify(text).intent()).isEqualTo(intent);
    }

    @Test
    void anInScopeMatchCarriesItsScoreTwice() {
        IntentMatch m = classifier.classify("what time is it");
        assertThat(m.intent()).isEqualTo(Intents.TIME_NOW);
        assertThat(m.bestKnown()).isEqualTo(Intents.TIME_NOW);
        assertThat(m.score()).isEqualTo(m.bestScore()).isBetween(classifier.settings().minScore(), 1.0);
        IntentMatch oos = classifier.classify("the birch canoe slid on the smooth planks");
        assertThat(oos.bestKnown()).isIn(Intents.ALL);
        assertThat(oos.bestScore()).isLessThan(classifier.settings().minScore());
    }

    @Test
    void knowsEveryIntentOfTheAssistant() {
        assertThat(Intents.ALL).hasSize(24).doesNotHaveDuplicates().doesNotContain(Intents.OUT_OF_SCOPE);
        assertThat(classifier.intents()).containsExactlyInAnyOrderElementsOf(Intents.ALL);
        assertThat(classifier.size()).isEqualTo(IntentDataset.load().train().size());
    }

    @Test
    void concurrentCallersGetWhatOneCallerGets() throws Exception {
        List<String> texts = IntentDataset.load().test().stream().map(IntentExample::utterance).limit(40).toList();
        List<IntentMatch> expected = texts.stream().map(classifier::classify).toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<IntentMatch>>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) runs.add(pool.submit(() -> texts.stream().map(classifier::classify).toList()));
            for (Future<List<IntentMatch>> r : runs) assertThat(r.get(60, TimeUnit.SECONDS)).isEqualTo(expected);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void loadLogsItsTimeAndClosingFreesTheModel() {
        Logger logger = (Logger) LoggerFactory.getLogger(Intents.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        ch.qos.logback.classic.Level level = logger.getLevel();
        logger.setLevel(ch.qos.logback.classic.Level.INFO); // whatever the test logging configuration says
        EmbeddingIntentClassifier own;
        try {
            own = Intents.load();
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(level);
        }
        assertThat(appender.list).hasSize(1);
        assertThat(appender.list.getFirst().getFormattedMessage())
                .matches("intent classifier ready in \\d+ ms \\(model \\d+ ms, \\d+ examples of 24 intents embedded"
                        + " and tuned in \\d+ ms; Settings\\[.*]\\)");
        assertThat(own.classify("hello").intent()).isEqualTo(Intents.SMALLTALK_GREETING);
        own.close();
        assertThatThrownBy(() -> own.classify("hello")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThat(new HashSet<>(List.of(own.settings(), classifier.settings()))).hasSize(1);
    }
}

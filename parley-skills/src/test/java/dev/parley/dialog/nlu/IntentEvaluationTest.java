package dev.parley.dialog.nlu;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The report's arithmetic, on a scripted classifier whose answers are known. */
class IntentEvaluationTest {

    static IntentExample test(String intent, String text) {
        return new IntentExample(intent, IntentExample.Split.TEST, text);
    }

    static final String OOS = IntentMatch.OUT_OF_SCOPE;

    /** Answers from a table: utterance to intent. */
    static IntentClassifier scripted(Map<String, String> answers) {
        return text -> {
            String intent = answers.get(text);
            return new IntentMatch(intent, 0.5, OOS.equals(intent) ? "time.now" : intent, 0.5);
        };
    }

    final List<IntentExample> examples = List.of(
            test("time.now", "t1"), test("time.now", "t2"), test("time.now", "t3"), test("time.now", "t4"),
            test("weather", "w1"), test("weather", "w2"),
            test(OOS, "o1"), test(OOS, "o2"), test(OOS, "o3"));

    final IntentEvaluation.Report report = IntentEvaluation.evaluate(scripted(Map.of(
            "t1", "time.now", "t2", "time.now", "t3", "weather", "t4", OOS,
            "w1", "weather", "w2", "time.now",
            "o1", OOS, "o2", OOS, "o3", "weather")), examples);

    @Test
    void countsAccuracyOverallAndPerIntent() {
        assertThat(report.testSize()).isEqualTo(9);
        assertThat(report.correct()).isEqualTo(5);
        assertThat(report.accuracy()).isCloseTo(5 / 9.0, within(1e-12));
        assertThat(report.perIntent()).containsExactly(
                new IntentEvaluation.IntentScore("time.now", 4, 2, 3),
                new IntentEvaluation.IntentScore("weather", 2, 1, 3),
                new IntentEvaluation.IntentScore(OOS, 3, 2, 3));
        assertThat(report.of("time.now").recall()).isEqualTo(0.5);
        assertThat(report.of("weather").precision()).isCloseTo(1 / 3.0, within(1e-12));
    }

    @Test
    void outOfScopePrecisionAndRecall() {
        // called out of scope: t4, o1, o2 (2 right of 3); out of scope: o1, o2, o3 (2 found of 3)
        assertThat(report.outOfScopePrecision()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(report.outOfScopeRecall()).isCloseTo(2 / 3.0, within(1e-12));
    }

    @Test
    void listsConfusionsMostFrequentFirstWithTheirUtterances() {
        assertThat(report.confusions()).hasSize(4);
        assertThat(report.confusions()).allMatch(c -> c.count() == 1);
        assertThat(report.confusions()).extracting(c -> c.expected() + "->" + c.predicted())
                .containsExactly("time.now->weather", "time.now->" + OOS, "weather->time.now", OOS + "->weather");
        assertThat(report.misses()).extracting(IntentEvaluation.Miss::utterance).containsExactly("t3", "t4", "w2", "o3");

        IntentEvaluation.Report twice = IntentEvaluation.evaluate(scripted(Map.of("a", "weather", "b", "weather",
                "c", OOS)), List.of(test("time.now", "a"), test(OOS, "c"), test("time.now", "b")));
        assertThat(twice.confusions()).containsExactly(
                new IntentEvaluation.Confusion("time.now", "weather", List.of("a", "b")));
    }

    @Test
    void formatsOneLinePerIntent() {
        String text = report.format();
        assertThat(text).startsWith("held-out accuracy 55.6% (5 of 9)\nout of scope: precision 66.7%, recall 66.7%\n");
        assertThat(text).contains("time.now                  2/4        50%       67%\n");
        assertThat(text).contains("  1 x time.now -> weather: [t3]\n");
    }

    @Test
    void refusesToEvaluateOnNothing() {
        assertThatThrownBy(() -> IntentEvaluation.evaluate(scripted(Map.of()), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> report.of("help")).hasMessageContaining("no test utterance of help");
    }
}

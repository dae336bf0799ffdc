package dev.parley.dialog.nlu;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The bundled dataset is what the brief asks for, and a malformed file is refused with its line. */
class IntentDatasetTest {

    static final IntentDataset DATASET = IntentDataset.load();

    /** The transcripts of the shared corpus's clips that the full-loop test feeds the assistant. */
    static final List<String> CORPUS = List.of("what time is it", "what's the weather",
            "set a timer for 3 hours and 10 minutes", "add apples to my Shopping List", "timer status",
            "go forward ten meters", "ten of clubs", "the birch canoe slid on the smooth planks");

    @Test
    void holdsEveryIntentAndOutOfScopeInBothSplits() {
        Set<String> expected = new LinkedHashSet<>(Intents.ALL);
        expected.add(IntentMatch.OUT_OF_SCOPE);
        assertThat(DATASET.intents()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(DATASET.all().size()).isGreaterThanOrEqualTo(450);
        for (String intent : Intents.ALL) {
            assertThat(DATASET.train().stream().filter(e -> e.intent().equals(intent)).count()).as(intent)
                    .isGreaterThanOrEqualTo(12);
            assertThat(DATASET.test().stream().filter(e -> e.intent().equals(intent)).count()).as(intent)
                    .isGreaterThanOrEqualTo(6);
        }
        assertThat(DATASET.train().stream().filter(IntentExample::outOfScope).count()).isGreaterThanOrEqualTo(40);
        assertThat(DATASET.test().stream().filter(IntentExample::outOfScope).count()).isGreaterThanOrEqualTo(20);
        double trainShare = (double) DATASET.train().size() / DATASET.all().size();
        assertThat(trainShare).isBetween(0.65, 0.75);
    }

    @Test
    void noUtteranceIsThereTwiceInTheFormTheClassifierSees() {
        Map<String, String> seen = new HashMap<>();
        for (IntentExample e : DATASET.all()) {
            String previous = seen.put(ModelText.of(e.utterance()), e.utterance());
            assertThat(previous).as("'%s' repeats '%s'", e.utterance(), previous).isNull();
        }
    }

    /** Held-out phrasings are not near copies: they share less than 80% of their words with any train utterance. */
    @Test
    void testPhrasingsAreGenuinelyDifferentFromTrainPhrasings() {
        for (IntentExample t : DATASET.test()) {
            Set<String> words = words(t.utterance());
            for (IntentExample r : DATASET.train()) {
                Set<String> other = words(r.utterance());
                Set<String> union = new HashSet<>(words);
                union.addAll(other);
                Set<String> common = new HashSet<>(words);
                common.retainAll(other);
                assertThat((double) common.size() / union.size()).as("'%s' vs '%s'", t.utterance(), r.utterance())
                        .isLessThan(0.8);
            }
        }
    }

    @Test
    void theCorpusSentencesAreNotInTheDatasetSoTheirTestsMeanSomething() {
        Set<String> forms = DATASET.all().stream().map(e -> ModelText.of(e.utterance())).collect(Collectors.toSet());
        for (String s : CORPUS) assertThat(forms.contains(ModelText.of(s))).as(s).isFalse();
    }

    @Test
    void utterancesLookLikeWhatSpeechRecognisersWrite() {
        List<String> all = DATASET.all().stream().map(IntentExample::utterance).toList();
        long plain = all.stream().filter(u -> u.equals(u.toLowerCase()) && u.matches("[a-z0-9' ]+")).count();
        assertThat((double) plain / all.size()).as("lower case without punctuation").isGreaterThan(0.8);
        assertThat(all.stream().filter(u -> !u.equals(u.toLowerCase()) || u.matches(".*[.?!,].*")).count())
                .as("written with case and punctuation").isGreaterThanOrEqualTo(10);
        assertThat(all.stream().filter(u -> u.matches(".*\\d.*")).count()).as("digits").isGreaterThanOrEqualTo(20);
        assertThat(all.stream().filter(u -> u.matches(".*\\b(five|ten|three|twenty|forty|seven|eight)\\b.*"))
                .count()).as("number words").isGreaterThanOrEqualTo(15);
        assertThat(all.stream().filter(u -> u.matches("(?i).*\\b(uh|um)\\b.*")).count()).as("fillers")
                .isGreaterThanOrEqualTo(10);
        assertThat(all.stream().filter(u -> u.contains("please")).count()).isGreaterThanOrEqualTo(15);
        assertThat(all.stream().filter(u -> u.contains("hey parley")).count()).isGreaterThanOrEqualTo(4);
        // misrecognitions as a recogniser makes them: set -> said, add -> at, weather -> whether
        assertThat(all).contains("said a timer for eight minutes", "at butter to my shopping list",
                "whats the whether like");
    }

    @Test
    void parsesCommentsBlankLinesAndTheThreeColumns() throws IOException {
        IntentDataset d = IntentDataset.parse(new StringReader("""
                # a comment
                intent\tsplit\tutterance

                time.now\ttrain\twhat time is it
                out_of_scope\tTEST\t play some jazz\s
                """), "mini.tsv");
        assertThat(d.all()).containsExactly(
                new IntentExample("time.now", IntentExample.Split.TRAIN, "what time is it"),
                new IntentExample("out_of_scope", IntentExample.Split.TEST, "play some jazz"));
        assertThat(d.train()).hasSize(1);
        assertThat(d.test()).hasSize(1);
        assertThat(d.intents()).containsExactly("time.now", "out_of_scope");
    }

    @Test
    void refusesAMalformedFileWithItsLine() {
        assertThatThrownBy(() -> parse("")).hasMessage("x.tsv: no header line, the file is empty");
        assertThatThrownBy(() -> parse("intent,split,utterance\n"))
                .hasMessage("x.tsv line 1: expected the header 'intent<tab>split<tab>utterance'");
        assertThatThrownBy(() -> parse("intent\tsplit\tutterance\n")).hasMessage("x.tsv: no examples");
        assertThatThrownBy(() -> parse("intent\tsplit\tutterance\n# c\ntime.now\ttrain\n"))
                .hasMessage("x.tsv line 3: expected 3 tab-separated columns (intent, split, utterance), found 2");
        assertThatThrownBy(() -> parse("intent\tsplit\tutterance\ntime.now\tdev\thi\n"))
                .hasMessage("x.tsv line 2: split must be train or test, found 'dev'");
        assertThatThrownBy(() -> parse("intent\tsplit\tutterance\nTime Now\ttrain\thi\n"))
                .hasMessage("x.tsv line 2: malformed intent name 'Time Now'");
        assertThatThrownBy(() -> parse("intent\tsplit\tutterance\ntime.now\ttrain\t  \n"))
                .hasMessage("x.tsv line 2: empty utterance");
        assertThatThrownBy(() -> new IntentExample("a", IntentExample.Split.TRAIN, " "))
                .hasMessageContaining("blank");
    }

    private static IntentDataset parse(String text) throws IOException {
        return IntentDataset.parse(new StringReader(text), "x.tsv");
    }

    private static Set<String> words(String utterance) {
        return new HashSet<>(Arrays.asList(Normalizer.normalize(utterance).split(" ")));
    }
}

package dev.parley.eval;

import dev.parley.eval.WordErrorRate.Edit;
import dev.parley.eval.WordErrorRate.Op;
import dev.parley.eval.WordErrorRate.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class WordErrorRateTest {

    private static final double EPS = 1e-12;

    @Test
    void insertion() {
        Result r = WordErrorRate.compute("the cat sat", "the cat sat down");
        assertThat(r).isEqualTo(new Result(0, 0, 1, 3, 1.0 / 3));
        assertThat(r.errors()).isEqualTo(1);
        assertThat(r.hits()).isEqualTo(3);
    }

    @Test
    void deletionAndSubstitution() {
        Result r = WordErrorRate.compute("the quick brown fox jumps", "the quack fox jumps");
        assertThat(r.substitutions()).isEqualTo(1);
        assertThat(r.deletions()).isEqualTo(1);
        assertThat(r.insertions()).isZero();
        assertThat(r.wer()).isCloseTo(0.4, within(EPS));
    }

    @Test
    void digitsAndPunctuationAreNotErrors() {
        assertThat(WordErrorRate.compute("set a timer for 3 hours", "set a timer for three hours").wer()).isZero();
        assertThat(WordErrorRate.compute("What's the time?", "whats the time").substitutions()).isEqualTo(1);
        assertThat(WordErrorRate.compute("What's the time?", "what's the time").wer()).isZero();
        assertThat(WordErrorRate.compute("It costs 21 dollars.", "it costs twenty-one dollars").wer()).isZero();
        assertThat(WordErrorRate.compute("Rock & roll, 100%!", "rock and roll one hundred percent").wer()).isZero();
    }

    @Test
    void numbersAsDigitsOrWordsAreTheSameWords() {
        assertThat(WordErrorRate.compute("3", "three").wer()).isZero();
        assertThat(WordErrorRate.compute("ten", "10").wer()).isZero();
        assertThat(WordErrorRate.compute("twenty five", "25").wer()).isZero();
        assertThat(WordErrorRate.compute("twenty-five", "25").wer()).isZero();
        assertThat(WordErrorRate.compute("set a timer for 3 hours and 10 minutes", "Set a timer for three hours and ten minutes.").wer()).isZero();
        assertThat(WordErrorRate.compute("one hundred and five", "105").wer()).isZero();
        assertThat(WordErrorRate.compute("a hundred", "100").wer()).isZero();
        assertThat(WordErrorRate.compute("two thousand and twenty five", "2025").wer()).isZero();
        assertThat(WordErrorRate.compute("nine oh two", "9 0 2").wer()).isZero();
        assertThat(WordErrorRate.compute("The expression goes 6 × 10 = 60 not 600000 that gives us a 12% chance.",
                "the expression goes six times ten equals sixty not six hundred thousand that gives us a twelve percent chance").wer()).isZero();
        // a wrong number is still one substitution per word
        assertThat(WordErrorRate.compute("25", "twenty six")).isEqualTo(new Result(1, 0, 0, 2, 0.5));
        // "and" that is not inside a number stays, and so does an "oh" away from digits
        assertThat(WordErrorRate.normalize("a hundred and apples")).containsExactly("one", "hundred", "and", "apples");
        assertThat(WordErrorRate.normalize("oh no")).containsExactly("oh", "no");
        assertThat(WordErrorRate.normalize("rock and roll")).containsExactly("rock", "and", "roll");
    }

    @Test
    void completelyWrongAndEmpty() {
        assertThat(WordErrorRate.compute("hello world", "")).isEqualTo(new Result(0, 2, 0, 2, 1.0));
        assertThat(WordErrorRate.compute("", "")).isEqualTo(new Result(0, 0, 0, 0, 0.0));
        assertThat(WordErrorRate.compute("", "noise")).isEqualTo(new Result(0, 0, 1, 0, 1.0));
        assertThat(WordErrorRate.compute("...", "?!")).isEqualTo(new Result(0, 0, 0, 0, 0.0));
        // more insertions than reference words: WER above 1
        assertThat(WordErrorRate.compute("yes", "no no no").wer()).isCloseTo(3.0, within(EPS));
    }

    @Test
    void alignmentBacktrace() {
        List<Edit> edits = WordErrorRate.align(List.of("a", "b", "c", "d"), List.of("a", "x", "c", "d", "e"));
        assertThat(edits).containsExactly(
                new Edit(Op.MATCH, "a", "a"),
                new Edit(Op.SUBSTITUTION, "b", "x"),
                new Edit(Op.MATCH, "c", "c"),
                new Edit(Op.MATCH, "d", "d"),
                new Edit(Op.INSERTION, null, "e"));
        assertThat(WordErrorRate.align(List.of("a", "b"), List.of())).containsExactly(
                new Edit(Op.DELETION, "a", null), new Edit(Op.DELETION, "b", null));
    }

    @Test
    void corpusSumWeighsByReferenceLength() {
        Result a = WordErrorRate.compute("one two three four", "one two three four"); // 0/4
        Result b = WordErrorRate.compute("five six", "five"); // 1/2
        Result total = WordErrorRate.sum(List.of(a, b));
        assertThat(total).isEqualTo(new Result(0, 1, 0, 6, 1.0 / 6));
        assertThat(WordErrorRate.sum(List.of())).isEqualTo(new Result(0, 0, 0, 0, 0.0));
    }

    @Test
    void errorCountEqualsEditDistanceOnRandomInputs() {
        Random random = new Random(7);
        String[] vocabulary = {"a", "b", "c", "d"};
        for (int trial = 0; trial < 300; trial++) {
            List<String> ref = randomWords(random, vocabulary);
            List<String> hyp = randomWords(random, vocabulary);
            Result r = WordErrorRate.compute(ref, hyp);
            assertThat(r.errors()).isEqualTo(naiveDistance(ref, hyp));
            assertThat(r.hits() + r.substitutions() + r.deletions()).isEqualTo(ref.size());
            assertThat(r.hits() + r.substitutions() + r.insertions()).isEqualTo(hyp.size());
            // the alignment, read back, reproduces both sides
            List<Edit> edits = WordErrorRate.align(ref, hyp);
            assertThat(edits.stream().filter(e -> e.reference() != null).map(Edit::reference).toList()).isEqualTo(ref);
            assertThat(edits.stream().filter(e -> e.hypothesis() != null).map(Edit::hypothesis).toList())
                    .isEqualTo(hyp);
        }
    }

    private static List<String> randomWords(Random random, String[] vocabulary) {
        int n = random.nextInt(8);
        String[] words = new String[n];
        for (int i = 0; i < n; i++) {
            words[i] = vocabulary[random.nextInt(vocabulary.length)];
        }
        return List.of(words);
    }

    private static int naiveDistance(List<String> a, List<String> b) {
        if (a.isEmpty()) {
            return b.size();
        }
        if (b.isEmpty()) {
            return a.size();
        }
        int cost = a.getFirst().equals(b.getFirst()) ? 0 : 1;
        List<String> ra = a.subList(1, a.size());
        List<String> rb = b.subList(1, b.size());
        return Math.min(naiveDistance(ra, rb) + cost,
                Math.min(naiveDistance(ra, b), naiveDistance(a, rb)) + 1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Hello, World!                 | hello world",
            "twenty-one                    | twenty one",
            "What's up?                    | what's up",
            "'quoted' words                | quoted words",
            "It’s fine                     | it's fine",
            "3                             | three",
            "0                             | zero",
            "10                            | ten",
            "13                            | thirteen",
            "21                            | twenty one",
            "40                            | forty",
            "100                           | one hundred",
            "115                           | one hundred fifteen",
            "999                           | nine hundred ninety nine",
            "1000                          | one thousand",
            "1,000                         | one thousand",
            "1987                          | one thousand nine hundred eighty seven",
            "20,001                        | twenty thousand one",
            "999999                        | nine hundred ninety nine thousand nine hundred ninety nine",
            "1000000                       | one zero zero zero zero zero zero",
            "007                           | zero zero seven",
            "3.14                          | three point one four",
            "It is 3. Then                 | it is three then",
            "1st 2nd 3rd 4th 11th 12th     | first second third fourth eleventh twelfth",
            "20th 21st 22nd 100th          | twentieth twenty first twenty second one hundredth",
            "50%                           | fifty percent",
            "R&D                           | r and d",
            "mp3                           | mp three",
            "ＦＵＬＬ　ｗｉｄｔｈ           | full width",
            "5:30                          | five thirty",
            "Café                          | café",
            "6 × 10 = 60                   | six times ten equals sixty",
            "2+2                           | two plus two",
            "one oh oh seven               | one zero zero seven",
            "a thousand and one            | one thousand one",
    })
    void normalize(String input, String expected) {
        assertThat(WordErrorRate.normalize(input)).containsExactly(expected.split(" "));
    }

    @Test
    void cardinalBounds() {
        assertThat(WordErrorRate.cardinal(0)).isEqualTo("zero");
        assertThat(WordErrorRate.cardinal(101)).isEqualTo("one hundred one");
        assertThat(WordErrorRate.cardinal(110_010)).isEqualTo("one hundred ten thousand ten");
    }
}

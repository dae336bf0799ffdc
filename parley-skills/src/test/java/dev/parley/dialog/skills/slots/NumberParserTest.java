package dev.parley.dialog.skills.slots;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class NumberParserTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "zero                                   | 0",
            "one                                    | 1",
            "seventeen                              | 17",
            "twenty five                            | 25",
            "twenty-five                            | 25",
            "a hundred                              | 100",
            "a hundred and twelve                   | 112",
            "one hundred twelve                     | 112",
            "two thousand twenty six                | 2026",
            "two thousand and twenty six            | 2026",
            "twenty five hundred                    | 2500",
            "nineteen hundred and eighty four       | 1984",
            "a thousand                             | 1000",
            "three million four hundred thousand and one | 3400001",
            "one billion                            | 1000000000",
            "two point five                         | 2.5",
            "three point one four                   | 3.14",
            "zero point zero five                   | 0.05",
            "point five                             | 0.5",
            "one and a half                         | 1.5",
            "two and a quarter                      | 2.25",
            "three and three quarters               | 3.75",
            "minus five                             | -5",
            "negative two point five                | -2.5",
            "17                                     | 17",
            "2.5                                    | 2.5",
            "-3                                     | -3",
            "2 million                              | 2000000",
            "1,500                                  | 1500",
            "minus forty                            | -40",
            "ninety nine                            | 99",
            "nine hundred ninety nine thousand nine hundred ninety nine | 999999",
    })
    void readsCardinals(String text, double expected) {
        assertThat(NumberParser.parseExactly(text)).contains(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "first | 1", "third | 3", "twenty first | 21", "twelfth | 12", "hundredth | 100",
            "one hundred and second | 102", "21st | 21", "3rd | 3", "thirtieth | 30"})
    void readsOrdinals(String text, double expected) {
        List<String> w = SpokenText.tokens(text);
        ParsedNumber n = NumberParser.parseAt(w, 0).orElseThrow();
        assertThat(n.value()).isEqualTo(expected);
        assertThat(n.ordinal()).isTrue();
        assertThat(n.end()).isEqualTo(w.size());
    }

    @Test
    void aLoneSecondIsTheUnitUnlessAfterThe() {
        assertThat(NumberParser.parseAt(List.of("second"), 0)).isEmpty();
        assertThat(NumberParser.parseAt(List.of("wait", "a", "second"), 2)).isEmpty();
        assertThat(NumberParser.parseAt(List.of("the", "second"), 1)).get()
                .extracting(ParsedNumber::value, ParsedNumber::ordinal).containsExactly(2.0, true);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "hello", "a", "and", "point", "hundred", "minus", "the"})
    void notNumbers(String text) {
        assertThat(NumberParser.parseAt(SpokenText.tokens(text), 0)).isEmpty();
    }

    @Test
    void stopsWhereEnglishNumbersStop() {
        // "five six" is two numbers, "twenty thirty" too, "five thirty" is 5 then 30
        assertThat(NumberParser.findAll(SpokenText.tokens("five six")))
                .extracting(ParsedNumber::value).containsExactly(5.0, 6.0);
        assertThat(NumberParser.findAll(SpokenText.tokens("twenty thirty")))
                .extracting(ParsedNumber::value).containsExactly(20.0, 30.0);
        assertThat(NumberParser.findAll(SpokenText.tokens("at five thirty pm")))
                .extracting(ParsedNumber::value).containsExactly(5.0, 30.0);
        assertThat(NumberParser.findAll(SpokenText.tokens("add five and three")))
                .extracting(ParsedNumber::value).containsExactly(5.0, 3.0);
        assertThat(NumberParser.findAll(SpokenText.tokens("seventeen times twenty three")))
                .extracting(ParsedNumber::value).containsExactly(17.0, 23.0);
    }

    @Test
    void findsNumbersInsideSentences() {
        List<String> w = SpokenText.tokens("set a timer for twenty five minutes and a hundred seconds");
        List<ParsedNumber> all = NumberParser.findAll(w);
        assertThat(all).extracting(ParsedNumber::value).containsExactly(25.0, 100.0);
        assertThat(all.getFirst().start()).isEqualTo(4);
        assertThat(all.getFirst().end()).isEqualTo(6);
    }

    /** number → words (in one of several styles) → parse, for random numbers of every size. */
    @Test
    void roundTripsRandomWholeNumbers() {
        Random random = new Random(20261121);
        for (int i = 0; i < 5000; i++) {
            long n = switch (i % 4) {
                case 0 -> random.nextInt(100);
                case 1 -> random.nextInt(10_000);
                case 2 -> random.nextInt(1_000_000);
                default -> (long) (random.nextDouble() * 1e12);
            };
            boolean british = random.nextBoolean();
            String words = NumberWords.toWords(n, british);
            if (random.nextBoolean()) {
                words = words.replace('-', ' ');
            }
            if (words.startsWith("one hundred") && random.nextBoolean()) {
                words = "a" + words.substring(3);
            }
            if (random.nextInt(4) == 0) {
                words = "minus " + words;
                n = -n;
            }
            if (n == 0 && words.startsWith("minus")) {
                continue;
            }
            assertThat(NumberParser.parseExactly(words)).as(words).contains((double) n);
            assertThat(NumberParser.parseExactly(Long.toString(n))).as("digits %d", n).contains((double) n);
        }
    }

    @Test
    void roundTripsRandomDecimals() {
        Random random = new Random(7);
        for (int i = 0; i < 2000; i++) {
            long whole = random.nextInt(1000);
            String digits = Integer.toString(random.nextInt(1000));
            String words = NumberWords.toWords(whole) + " point " + NumberWords.digits(digits);
            double expected = Double.parseDouble(whole + "." + digits);
            assertThat(NumberParser.parseExactly(words).orElseThrow()).as(words).isCloseTo(expected, within(1e-9));
        }
    }

    @Test
    void roundTripsRandomNumbersInsideSentences() {
        Random random = new Random(11);
        for (int i = 0; i < 1000; i++) {
            long n = random.nextInt(1_000_000) + 1;
            String sentence = "please add " + NumberWords.toWords(n, random.nextBoolean()) + " eggs to the list";
            List<ParsedNumber> found = NumberParser.findAll(SpokenText.tokens(sentence));
            assertThat(found).as(sentence).hasSize(1);
            assertThat(found.getFirst().value()).as(sentence).isEqualTo((double) n);
        }
    }
}

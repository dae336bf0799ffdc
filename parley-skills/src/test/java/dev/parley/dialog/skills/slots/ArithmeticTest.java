package dev.parley.dialog.skills.slots;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ArithmeticTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "what is 17 times 23                          | 391     | 17 times 23",
            "seventeen times twenty three                 | 391     | 17 times 23",
            "whats 2 plus 2                               | 4       | 2 plus 2",
            "what's 2+2?                                  | 4       | 2 plus 2",
            "ten minus three                              | 7       | 10 minus 3",
            "100 divided by 8                             | 12.5    | 100 divided by 8",
            "ten over four                                | 2.5     | 10 divided by 4",
            "2 plus 3 times 4                             | 14      | 2 plus 3 times 4",
            "5 squared                                    | 25      | 5 squared",
            "two cubed                                    | 8       | 2 cubed",
            "2 to the power of 10                         | 1024    | 2 to the power of 10",
            "three to the fourth                          | 81      | 3 to the power of 4",
            "what's the square root of 144                | 12      | the square root of 144",
            "cube root of 27                              | 3       | the cube root of 27",
            "what is 15 percent of 80                     | 12      | 15 percent of 80",
            "minus 5 plus 3                               | -2      | minus 5 plus 3",
            "add 5 and 3                                  | 8       | 5 plus 3",
            "subtract 3 from 10                           | 7       | 10 minus 3",
            "multiply 6 by 7                              | 42      | 6 times 7",
            "divide 10 by 4                               | 2.5     | 10 divided by 4",
            "the sum of 4 and 5                           | 9       | 4 plus 5",
            "the product of six and seven                 | 42      | 6 times 7",
            "the difference between 10 and 4              | 6       | 10 minus 4",
            "square 12                                    | 144     | 12 squared",
            "hey parley what is two point five times four please | 10 | 2.5 times 4",
            "a hundred and twelve minus twelve            | 100     | 112 minus 12",
            "3 x 4                                        | 12      | 3 times 4",
    })
    void readsAndEvaluates(String text, double value, String spoken) {
        Expression e = Arithmetic.parse(text).orElseThrow();
        assertThat(e.value()).isCloseTo(value, within(1e-9));
        assertThat(e.spoken()).isEqualTo(spoken);
    }

    @ParameterizedTest
    @ValueSource(strings = {"what time is it", "what is 5", "set a timer for 5 minutes", "times times", "plus 3",
            "17 times"})
    void notArithmetic(String text) {
        assertThat(Arithmetic.parse(text)).isEmpty();
    }

    @Test
    void formulas() {
        assertThat(Arithmetic.parseFormula("(2 + 3) * 4").orElseThrow().value()).isEqualTo(20);
        assertThat(Arithmetic.parseFormula("sqrt(16) + 1").orElseThrow().value()).isEqualTo(5);
        assertThat(Arithmetic.parseFormula("2**10").orElseThrow().value()).isEqualTo(1024);
        assertThat(Arithmetic.parseFormula("15% of 80").orElseThrow().value()).isEqualTo(12);
        assertThat(Arithmetic.parseFormula("(2 + 3")).isEmpty();
    }

    @Test
    void failsOnDivisionByZero() {
        assertThatThrownBy(() -> Arithmetic.parse("5 divided by zero").orElseThrow().value())
                .isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> Arithmetic.parse("square root of minus 4").orElseThrow().value())
                .isInstanceOf(ArithmeticException.class);
    }

    /** Random sums said in words, evaluated as Java would. */
    @Test
    void roundTripsRandomOperations() {
        Random random = new Random(5);
        String[] words = {"plus", "minus", "times", "divided by"};
        for (int i = 0; i < 2000; i++) {
            long a = random.nextInt(10_000), b = random.nextInt(999) + 1;
            int op = random.nextInt(4);
            String text = "what is " + NumberWords.toWords(a, random.nextBoolean()) + " " + words[op] + " "
                    + NumberWords.toWords(b);
            double expected = switch (op) {
                case 0 -> a + b;
                case 1 -> a - b;
                case 2 -> (double) a * b;
                default -> (double) a / b;
            };
            assertThat(Arithmetic.parse(text).orElseThrow().value()).as(text).isCloseTo(expected, within(1e-9));
        }
    }
}

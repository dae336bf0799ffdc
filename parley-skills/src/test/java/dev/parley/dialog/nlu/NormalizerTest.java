package dev.parley.dialog.nlu;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NormalizerTest {

    @ParameterizedTest(name = "[{0}] -> [{1}]")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "What's the weather?|whats the weather",
            "whats the weather|whats the weather",
            "WHAT’S THE WEATHER|whats the weather",
            "Don‘t ʼstopʼ `now`|dont stop now",
            "add apples to my Shopping List|add apples to my shopping list",
            "  set   a\ttimer,  for 3 hours... and 10 minutes!  |set a timer for 3 hours and 10 minutes",
            "set a timer for three hours and ten minutes|set a timer for three hours and ten minutes",
            "Timer status.|timer status",
            "twenty-five to-do items|twenty five to do items",
            "what is 2.5 times 4|what is 2.5 times 4",
            "it costs 1,000 dollars, or 1,5 euros|it costs 1000 dollars or 1 5 euros",
            "the end. 3 more|the end 3 more",
            "what's 3 + 4?|whats 3 plus 4",
            "12 x 8|12 times 8",
            "12*8|12 times 8",
            "6 × 7|6 times 7",
            "144 / 12|144 divided by 12",
            "10 ÷ 2|10 divided by 2",
            "10 - 3|10 minus 3",
            "well-known 10-3|well known 10 3",
            "2 + 2 = 4|2 plus 2 equals 4",
            "what is 18% of 250|what is 18 percent of 250",
            "25°C in fahrenheit|25 degrees c in fahrenheit",
            "Set a reminder for 6:30.|set a reminder for 6 30",
            "café Ångström|café ångström",
            "Hey Parley, um, what time is it?|hey parley um what time is it",
    })
    void normalForm(String text, String expected) {
        assertThat(Normalizer.normalize(text)).isEqualTo(expected);
    }

    @Test
    void textWithoutLettersOrDigitsIsEmpty() {
        for (String s : new String[]{"", "   ", "'", "?!...", "\t\n", "— …"}) {
            assertThat(Normalizer.normalize(s)).as("[%s]", s).isEmpty();
        }
    }

    @Test
    void theNormalFormIsAFixedPoint() {
        for (String s : new String[]{"What's 3 + 4?", "25°C", "1,000.5 km/h", "Hey, Parley!"}) {
            String once = Normalizer.normalize(s);
            assertThat(Normalizer.normalize(once)).as(s).isEqualTo(once);
        }
    }

    @Test
    void withoutFillersDropsHesitationsOnly() {
        assertThat(Normalizer.withoutFillers("uh um set a timer er for hmm five minutes please"))
                .isEqualTo("set a timer for five minutes please");
        assertThat(Normalizer.withoutFillers("um uh")).isEmpty();
        assertThat(Normalizer.withoutFillers("")).isEmpty();
        assertThat(Normalizer.withoutFillers("umbrella humming")).isEqualTo("umbrella humming");
    }

    @Test
    void nullIsRefusedWithAMessage() {
        assertThatThrownBy(() -> Normalizer.normalize(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("null");
    }
}

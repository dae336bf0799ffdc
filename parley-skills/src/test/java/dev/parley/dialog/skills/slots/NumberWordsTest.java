package dev.parley.dialog.skills.slots;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NumberWordsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0       | zero                                  | zero",
            "7       | seven                                 | seven",
            "25      | twenty-five                           | twenty-five",
            "100     | one hundred                           | one hundred",
            "112     | one hundred twelve                    | one hundred and twelve",
            "2005    | two thousand five                     | two thousand and five",
            "2026    | two thousand twenty-six               | two thousand and twenty-six",
            "1000001 | one million one                       | one million and one",
            "-40     | minus forty                           | minus forty",
            "3400100 | three million four hundred thousand one hundred | three million four hundred thousand one hundred",
    })
    void says(long n, String american, String british) {
        assertThat(NumberWords.toWords(n)).isEqualTo(american);
        assertThat(NumberWords.toWords(n, true)).isEqualTo(british);
    }

    @org.junit.jupiter.api.Test
    void digits() {
        assertThat(NumberWords.digits("1405")).isEqualTo("one four zero five");
        assertThatThrownBy(() -> NumberWords.digits("1a")).isInstanceOf(IllegalArgumentException.class);
    }
}

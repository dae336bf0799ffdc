package dev.parley.dialog.skills.slots;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class SpokenTextTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "What's the time?                 | whats the time",
            "Set a timer for 5:30 p.m.        | set a timer for 5:30 pm",
            "at 5 P.M.                        | at 5 pm",
            "twenty-five                      | twenty five",
            "10km in miles                    | 10 km in miles",
            "at 5pm                           | at 5 pm",
            "the 21st                         | the 21st",
            "what's 2+2                       | whats 2 plus 2",
            "17*23                            | 17 times 23",
            "10/2                             | 10 divided by 2",
            "60 km/h                          | 60 km per h",
            "15% of 80                        | 15 percent of 80",
            "-40°F                            | -40 degrees f",
            "5 - 3                            | 5 minus 3",
            "1,000,000 metres                 | 1000000 metres",
            "2.5 kilos                        | 2.5 kilos",
            "It's o'clock.                    | its oclock",
            "  lots   of   space  .           | lots of space",
            "Ça VA?                           | ça va",
            "well - maybe                     | well maybe",
            "2^10                             | 2 to the power of 10",
            "point .5                         | point .5",
    })
    void normalizes(String in, String expected) {
        assertThat(SpokenText.normalize(in)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"''|''", "'  ...  '|''", "'?!'|''"})
    void nothingLeft(String in, String expected) {
        assertThat(SpokenText.normalize(in)).isEqualTo(expected);
        assertThat(SpokenText.tokens(in)).isEmpty();
    }
}

package dev.parley.dialog.skills.slots;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.LocalTime;

import static org.assertj.core.api.Assertions.assertThat;

class ClockTimesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "remind me at five pm to call         | 17:00 | true",
            "at 5 p.m.                            | 17:00 | true",
            "at 17:30                             | 17:30 | true",
            "at 7:30                              | 07:30 | false",
            "at 07:30                             | 07:30 | true",
            "at five thirty                       | 05:30 | false",
            "at five thirty pm                    | 17:30 | true",
            "at five oh seven                     | 05:07 | false",
            "at seventeen hundred                 | 17:00 | true",
            "at half past four                    | 04:30 | false",
            "at half past four in the afternoon   | 16:30 | true",
            "quarter to five                      | 04:45 | false",
            "a quarter past nine am               | 09:15 | true",
            "twenty past six                      | 06:20 | false",
            "ten minutes to nine                  | 08:50 | false",
            "twenty five past eleven              | 11:25 | false",
            "at noon                              | 12:00 | true",
            "at midnight                          | 00:00 | true",
            "at nine in the morning               | 09:00 | true",
            "at eight in the evening              | 20:00 | true",
            "at eleven at night                   | 23:00 | true",
            "five oclock                          | 05:00 | false",
            "at 12 am                             | 00:00 | true",
            "at 12 pm                             | 12:00 | true",
            "at five                              | 05:00 | false",
            "at twenty one thirty                 | 21:30 | true",
            "at 9 45                              | 09:45 | false",
    })
    void reads(String text, String time, boolean known) {
        ClockTime t = ClockTimes.find(text).orElseThrow();
        assertThat(t.time()).isEqualTo(LocalTime.parse(time));
        assertThat(t.meridiemKnown()).isEqualTo(known);
    }

    @ParameterizedTest
    @ValueSource(strings = {"set a timer for five minutes", "what is 5 to the power of 2", "five", "at the shop",
            "at 25", "remind me in 5 minutes to call mom"})
    void noTime(String text) {
        assertThat(ClockTimes.find(text)).isEmpty();
    }
}

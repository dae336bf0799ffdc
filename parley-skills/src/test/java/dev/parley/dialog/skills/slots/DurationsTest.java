package dev.parley.dialog.skills.slots;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class DurationsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "set a timer for three minutes                 | PT3M",
            "a minute                                      | PT1M",
            "an hour                                       | PT1H",
            "half an hour                                  | PT30M",
            "a half hour                                   | PT30M",
            "an hour and a half                            | PT1H30M",
            "one and a half hours                          | PT1H30M",
            "two and a half minutes                        | PT2M30S",
            "three hours and ten minutes                   | PT3H10M",
            "one hour ten minutes                          | PT1H10M",
            "a quarter of an hour                          | PT15M",
            "quarter hour                                  | PT15M",
            "three quarters of an hour                     | PT45M",
            "a couple of minutes                           | PT2M",
            "90 seconds                                    | PT1M30S",
            "1.5 hours                                     | PT1H30M",
            "5 mins                                        | PT5M",
            "2 hrs                                         | PT2H",
            "twenty five minutes                           | PT25M",
            "a ten minute timer                            | PT10M",
            "an hour thirty                                | PT1H30M",
            "five minutes thirty                           | PT5M30S",
            "a minute and a half                           | PT1M30S",
            "two days                                      | PT48H",
            "a hundred seconds                             | PT1M40S",
            "one hour, twenty minutes and five seconds     | PT1H20M5S",
            "1h 30m                                        | PT1H30M",
            "timer 5m                                      | PT5M",
    })
    void reads(String text, String expected) {
        assertThat(Durations.parse(text)).contains(Duration.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"set a timer", "five", "half past four", "minutes", "a timer for the pasta",
            "minus five minutes"})
    void noDuration(String text) {
        assertThat(Durations.parse(text)).isEmpty();
    }

    @Test
    void reportsWhereItIs() {
        List<String> w = SpokenText.tokens("remind me in ten minutes to call mom");
        DurationMatch m = Durations.find(w).orElseThrow();
        assertThat(m.start()).isEqualTo(3);
        assertThat(m.end()).isEqualTo(5);
    }

    /** Random hours, minutes and seconds, said in words in random forms, read back. */
    @Test
    void roundTripsRandomDurations() {
        Random random = new Random(99);
        for (int i = 0; i < 3000; i++) {
            int h = random.nextInt(4), m = random.nextInt(60), s = random.nextInt(60);
            if (h + m + s == 0) {
                continue;
            }
            List<String> parts = new ArrayList<>();
            if (h > 0) {
                parts.add(amount(h, random) + (h == 1 ? " hour" : " hours"));
            }
            if (m > 0) {
                parts.add(amount(m, random) + (m == 1 ? " minute" : " minutes"));
            }
            if (s > 0) {
                parts.add(amount(s, random) + (s == 1 ? " second" : " seconds"));
            }
            String joined = random.nextBoolean() ? String.join(" and ", parts) : String.join(" ", parts);
            String text = "set a timer for " + joined + " please";
            assertThat(Durations.parse(text)).as(text).contains(Duration.ofSeconds(h * 3600L + m * 60L + s));
        }
    }

    private static String amount(int n, Random random) {
        return switch (random.nextInt(3)) {
            case 0 -> Integer.toString(n);
            case 1 -> NumberWords.toWords(n);
            default -> n == 1 ? (random.nextBoolean() ? "a" : "one") : NumberWords.toWords(n).replace('-', ' ');
        };
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "PT3M      | three minutes",
            "PT1M      | one minute",
            "PT1H10M   | one hour and ten minutes",
            "PT1M30S   | ninety seconds",
            "PT2M30S   | two minutes and thirty seconds",
            "PT26H1M5S | one day, two hours, one minute and five seconds",
            "PT0S      | zero seconds",
            "PT0.4S    | zero seconds",
    })
    void speaks(String d, String expected) {
        assertThat(Durations.spoken(Duration.parse(d))).isEqualTo(expected);
    }

    @Test
    void adjectives() {
        assertThat(Durations.adjective(Duration.ofMinutes(3))).contains("three minute");
        assertThat(Durations.adjective(Duration.ofSeconds(90))).contains("ninety second");
        assertThat(Durations.adjective(Duration.ofHours(1))).contains("one hour");
        assertThat(Durations.adjective(Duration.ofMinutes(70))).isEmpty();
    }
}

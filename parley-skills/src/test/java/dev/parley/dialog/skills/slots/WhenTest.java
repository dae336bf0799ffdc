package dev.parley.dialog.skills.slots;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WhenTest {
    private static final ZoneId ZONE = ZoneId.of("Europe/Paris");
    /** Saturday 21 November 2026, 09:00 in Paris. */
    private static final ZonedDateTime NOW = ZonedDateTime.of(2026, 11, 21, 9, 0, 0, 0, ZONE);

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "remind me in ten minutes to call mom          | 2026-11-21T09:10",
            "in an hour and a half                         | 2026-11-21T10:30",
            "twenty minutes from now                       | 2026-11-21T09:20",
            "after 2 hours                                 | 2026-11-21T11:00",
            "at five pm                                    | 2026-11-21T17:00",
            "at five                                       | 2026-11-21T17:00",
            "at ten                                        | 2026-11-21T10:00",
            "at eight am                                   | 2026-11-22T08:00",
            "at 8:30                                       | 2026-11-21T20:30",
            "tomorrow at nine                              | 2026-11-22T09:00",
            "tomorrow at three                             | 2026-11-22T15:00",
            "at nine tomorrow morning                      | 2026-11-22T09:00",
            "tonight at eight                              | 2026-11-21T20:00",
            "at half past four this afternoon              | 2026-11-21T16:30",
            "at noon                                       | 2026-11-21T12:00",
            "at midnight                                   | 2026-11-22T00:00",
            "at 17:30                                      | 2026-11-21T17:30",
            "at twelve                                     | 2026-11-21T12:00",
    })
    void resolves(String text, String expected) {
        When w = When.find(SpokenText.tokens(text)).orElseThrow();
        assertThat(w.resolve(NOW).toLocalDateTime().toString()).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void saysWhichWordsItUsed() {
        List<String> words = SpokenText.tokens("remind me tomorrow at nine to call the dentist");
        When w = When.find(words).orElseThrow();
        assertThat(w.words()).containsExactly(2, 3, 4);
        assertThat(When.find(SpokenText.tokens("remind me to call mom"))).isEmpty();
    }
}

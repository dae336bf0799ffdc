package dev.parley.providers.http;

import org.junit.jupiter.api.Test;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RetryAfterTest {
    /** Sun, 06 Nov 1994 08:49:37 GMT minus 37 s, the RFC's example date. */
    private static final Instant NOW = Instant.parse("1994-11-06T08:49:00Z");

    @Test
    void delaySeconds() {
        assertThat(RetryAfter.parse("120", NOW)).contains(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse(" 0 ", NOW)).contains(Duration.ZERO);
        assertThat(RetryAfter.parse("1.5", NOW)).contains(Duration.ofMillis(1500));
    }

    @Test
    void theThreeHttpDateForms() {
        assertThat(RetryAfter.parse("Sun, 06 Nov 1994 08:49:37 GMT", NOW)).contains(Duration.ofSeconds(37));
        assertThat(RetryAfter.parse("Sunday, 06-Nov-94 08:49:37 GMT", NOW)).contains(Duration.ofSeconds(37));
        assertThat(RetryAfter.parse("Sun Nov  6 08:49:37 1994", NOW)).contains(Duration.ofSeconds(37));
    }

    @Test
    void aDateInThePastMeansNow() {
        assertThat(RetryAfter.parse("Sun, 06 Nov 1994 08:00:00 GMT", NOW)).contains(Duration.ZERO);
    }

    @Test
    void hugeValuesAreCappedAtOneDay() {
        assertThat(RetryAfter.parse("999999999999", NOW)).contains(RetryAfter.MAX);
        assertThat(RetryAfter.parse("Fri, 31 Dec 9999 23:59:59 GMT", NOW)).contains(RetryAfter.MAX);
    }

    @Test
    void unreadableValuesAreIgnored() {
        for (String v : new String[] {"", "soon", "-5", "1e3", "Sun, 32 Nov 1994 08:49:37 GMT", "0x10"}) {
            assertThat(RetryAfter.parse(v, NOW)).as(v).isEmpty();
        }
        assertThat(RetryAfter.parse(null, NOW)).isEmpty();
    }

    @Test
    void retryAfterMsWinsOverRetryAfter() {
        HttpHeaders both = headers(Map.of("retry-after-ms", List.of("250.5"), "Retry-After", List.of("3")));
        HttpHeaders seconds = headers(Map.of("Retry-After", List.of("3")));
        HttpHeaders badMs = headers(Map.of("retry-after-ms", List.of("x"), "Retry-After", List.of("3")));

        assertThat(RetryAfter.from(both, NOW)).contains(Duration.ofNanos(250_500_000));
        assertThat(RetryAfter.from(seconds, NOW)).contains(Duration.ofSeconds(3));
        assertThat(RetryAfter.from(badMs, NOW)).contains(Duration.ofSeconds(3));
        assertThat(RetryAfter.from(headers(Map.of()), NOW)).isEqualTo(Optional.empty());
    }

    private static HttpHeaders headers(Map<String, List<String>> map) {
        return HttpHeaders.of(map, (a, b) -> true);
    }
}

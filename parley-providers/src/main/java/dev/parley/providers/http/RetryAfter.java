package dev.parley.providers.http;

import java.math.BigDecimal;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a server asks us to wait before trying again, from its {@code Retry-After} header (RFC 9110 §10.2.3:
 * either delay-seconds or an HTTP-date) or from the {@code retry-after-ms} header that OpenAI sends and its SDKs
 * prefer. Values that cannot be read are ignored (empty), a date in the past means "now" (zero), and every delay is
 * capped at one day so a hostile value cannot overflow anything.
 */
public final class RetryAfter {
    /** The longest delay this class reports. */
    public static final Duration MAX = Duration.ofDays(1);

    private static final Pattern DECIMAL = Pattern.compile("\\d{1,12}(\\.\\d{1,9})?");
    /**
     * The three HTTP-date forms a recipient must accept, without their day names (a wrong day name does not make
     * the date unreadable): IMF-fixdate, asctime; RFC 850's two-digit year is built per call (it pivots on now).
     */
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH);
    private static final DateTimeFormatter ASCTIME =
            DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss yyyy", Locale.ENGLISH);
    private static final Pattern DAY_NAME = Pattern.compile("^[A-Za-z]{3,9}(, | )");

    private RetryAfter() {
    }

    /** The delay the response headers ask for: {@code retry-after-ms} first, then {@code Retry-After}. */
    public static Optional<Duration> from(HttpHeaders headers, Instant now) {
        Optional<Duration> ms = headers.firstValue("retry-after-ms").flatMap(RetryAfter::parseMillis);
        if (ms.isPresent()) {
            return ms;
        }
        return headers.firstValue("retry-after").flatMap(v -> parse(v, now));
    }

    /** A {@code Retry-After} value: seconds (a fraction is tolerated) or an HTTP-date, relative to {@code now}. */
    public static Optional<Duration> parse(String value, Instant now) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.strip();
        if (DECIMAL.matcher(v).matches()) {
            return Optional.of(cap(new BigDecimal(v).movePointRight(3)));
        }
        Matcher day = DAY_NAME.matcher(v);
        if (!day.find()) {
            return Optional.empty();
        }
        String date = v.substring(day.end());
        // RFC 850: a two-digit year means the latest such year not more than 50 years ahead
        DateTimeFormatter rfc850 = new DateTimeFormatterBuilder().appendPattern("dd-MMM-")
                .appendValueReduced(ChronoField.YEAR, 2, 2, LocalDate.ofInstant(now, ZoneOffset.UTC).minusYears(49))
                .appendPattern(" HH:mm:ss 'GMT'").toFormatter(Locale.ENGLISH);
        for (DateTimeFormatter format : List.of(IMF_FIXDATE, rfc850, ASCTIME)) {
            try {
                Duration d = Duration.between(now, LocalDateTime.parse(date, format).toInstant(ZoneOffset.UTC));
                return Optional.of(d.isNegative() ? Duration.ZERO : min(d, MAX));
            } catch (DateTimeParseException e) {
                // try the next form
            }
        }
        return Optional.empty();
    }

    /** A {@code retry-after-ms} value: milliseconds, possibly fractional. */
    static Optional<Duration> parseMillis(String value) {
        String v = value.strip();
        if (!DECIMAL.matcher(v).matches()) {
            return Optional.empty();
        }
        return Optional.of(cap(new BigDecimal(v)));
    }

    private static Duration cap(BigDecimal millis) {
        if (millis.compareTo(BigDecimal.valueOf(MAX.toMillis())) >= 0) {
            return MAX;
        }
        return Duration.ofNanos(millis.movePointRight(6).longValue());
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}

package dev.parley.providers.http;

import java.util.Objects;

/**
 * A credential (an API key) that never shows itself: {@link #toString()} prints a placeholder, so a secret in a
 * record, a log argument or an exception message reads {@code Secret[set]}. Only {@link #reveal()} gives the value,
 * and only the code that builds the {@code Authorization} header calls it.
 */
public final class Secret {
    private static final Secret NONE = new Secret("");

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    /** A secret holding {@code value}; null or blank gives {@link #none()}. Surrounding spaces are dropped. */
    public static Secret of(String value) {
        if (value == null || value.isBlank()) {
            return NONE;
        }
        String v = value.strip();
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                // a header value cannot carry it; say so without echoing the value
                throw new IllegalArgumentException("the API key contains a space, control or non-ASCII character "
                        + "at position " + i + " (of " + v.length() + ")");
            }
        }
        return new Secret(v);
    }

    /** No secret (a local server that needs no key). */
    public static Secret none() {
        return NONE;
    }

    public boolean isPresent() {
        return !value.isEmpty();
    }

    /** The value itself: for the request header only, never for logs or messages. */
    public String reveal() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(value);
    }

    @Override
    public String toString() {
        return isPresent() ? "Secret[set]" : "Secret[none]";
    }
}

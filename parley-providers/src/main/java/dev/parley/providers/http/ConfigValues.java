package dev.parley.providers.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * The checks and forms of the values every provider config holds (Deepgram, OpenAI chat, audio and Realtime): a
 * base URL given as text, a base URL made canonical, the server's name in messages, a positive timeout. Messages
 * never show a key or a URL's user info, query or fragment.
 */
public final class ConfigValues {
    private ConfigValues() {
    }

    /**
     * {@code url} stripped and parsed; an {@link IllegalArgumentException} "not a valid {@code what}: URL (reason)",
     * with {@code key} redacted from the URL, when it is not a URI.
     */
    public static URI parseUrl(String url, String what, Secret key) {
        try {
            return new URI(Objects.requireNonNull(url, "url").strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a valid " + what + ": " + Redactor.redact(url, key)
                    + " (" + e.getReason() + ")");
        }
    }

    /**
     * {@code uri} checked and made canonical for an HTTP base URL: http or https, a host, no user info, query or
     * fragment, no trailing slash. {@code subject} names it in messages ("the base URL"); {@code userInfoHint} says
     * where the credentials go instead ("set DEEPGRAM_API_KEY instead").
     */
    public static URI httpBaseUrl(URI uri, String subject, String userInfoHint) {
        String scheme = lowerScheme(uri);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException(subject + " must start with http:// or https://, not "
                    + Redactor.redactUrl(uri));
        }
        requireHost(uri, subject);
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(subject + " must not contain user info; " + userInfoHint + ": "
                    + Redactor.redactUrl(uri));
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(subject + " must not have a query or fragment: "
                    + Redactor.redactUrl(uri));
        }
        return canonical(scheme, uri);
    }

    /** The scheme of {@code uri} in lower case; empty when it has none. */
    public static String lowerScheme(URI uri) {
        return uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    }

    /** Throws "{@code subject} has no host: URL" when {@code uri} has no host. */
    public static void requireHost(URI uri, String subject) {
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException(subject + " has no host: " + Redactor.redactUrl(uri));
        }
    }

    /** {@code scheme://authority/path} of {@code uri} without trailing slashes. */
    public static URI canonical(String scheme, URI uri) {
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return URI.create(scheme + "://" + uri.getRawAuthority() + path);
    }

    /** The server as messages name it: host, and port when the URL gives one. */
    public static String serverName(URI baseUrl) {
        return baseUrl.getPort() < 0 ? baseUrl.getHost() : baseUrl.getHost() + ":" + baseUrl.getPort();
    }

    /** Throws unless {@code d} is set and longer than zero, naming it {@code name}. */
    public static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, not " + d);
        }
    }
}

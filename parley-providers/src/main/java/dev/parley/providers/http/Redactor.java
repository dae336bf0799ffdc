package dev.parley.providers.http;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * Removes credentials from text that is about to leave the process's memory as a log line or an error message:
 * the known secrets themselves, anything after {@code Bearer}, and strings shaped like provider keys
 * ({@code sk-…}, {@code sk-proj-…}, {@code sk-ant-…}, {@code gsk_…}, {@code hf_…}, {@code xai-…}), in case a
 * server echoes a key that is not ours.
 */
public final class Redactor {
    /** What a removed credential is replaced with. */
    public static final String MASK = "[REDACTED]";

    private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]+");
    private static final Pattern KEY_SHAPED = Pattern.compile(
            "\\b(?:sk-(?:proj-|ant-|svcacct-)?|gsk_|hf_|xai-)[A-Za-z0-9_-]{8,}");

    private Redactor() {
    }

    /** {@code text} with every given secret and every key-shaped string replaced by {@value #MASK}; null stays null. */
    public static String redact(String text, Secret... secrets) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (Secret s : secrets) {
            if (s != null && s.isPresent()) {
                out = out.replace(s.reveal(), MASK);
            }
        }
        out = BEARER.matcher(out).replaceAll("$1" + MASK);
        return KEY_SHAPED.matcher(out).replaceAll(MASK);
    }

    /**
     * A URL fit to print: scheme, host, port and path only (user info, query and fragment, where credentials hide,
     * are dropped).
     */
    public static String redactUrl(URI uri) {
        if (uri == null) {
            return "null";
        }
        if (uri.getHost() == null) {
            return uri.getScheme() == null ? "(relative URL)" : uri.getScheme() + ":…";
        }
        StringBuilder sb = new StringBuilder().append(uri.getScheme()).append("://").append(uri.getHost());
        if (uri.getPort() >= 0) {
            sb.append(':').append(uri.getPort());
        }
        if (uri.getRawPath() != null) {
            sb.append(uri.getRawPath());
        }
        return sb.toString();
    }
}

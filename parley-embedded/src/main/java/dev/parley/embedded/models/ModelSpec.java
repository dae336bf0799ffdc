package dev.parley.embedded.models;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A model Parley can fetch: where its archive is published, the archive's expected size and SHA-256,
 * and what to install from it.
 *
 * @param id stable identifier, also the installed file or directory name, e.g. {@code silero-vad-v5}
 * @param name human-readable name for messages, e.g. {@code Silero VAD v5}
 * @param source where the archive is published
 * @param sha256 the archive's SHA-256, lower-case hex
 * @param size the archive's size in bytes, or {@link #UNKNOWN_SIZE} to take the server's word (Content-Length)
 * @param extract what to install from the archive
 */
public record ModelSpec(String id, String name, Source source, String sha256, long size, Extract extract) {

    /** The {@link #size()} of a spec whose size is not known in advance: the download's is not checked. */
    public static final long UNKNOWN_SIZE = -1;

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public ModelSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(extract, "extract");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("model id must match " + ID + ": " + id);
        }
        sha256 = sha256.toLowerCase(Locale.ROOT);
        if (!SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a SHA-256 hex digest: " + sha256);
        }
        if (size <= 0 && size != UNKNOWN_SIZE) {
            throw new IllegalArgumentException("archive size must be positive: " + size);
        }
    }

    /** Whether the archive's size is known in advance (not {@link #UNKNOWN_SIZE}). */
    public boolean sizeKnown() {
        return size != UNKNOWN_SIZE;
    }

    /** The archive size for people, e.g. {@code 39.3 MB}, or {@code unknown size}. */
    public String displaySize() {
        return sizeKnown() ? formatBytes(size) : "unknown size";
    }

    /** Formats a byte count with binary multiples, e.g. {@code 41185783 -> 39.3 MB}. */
    static String formatBytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        String[] units = {"KB", "MB", "GB", "TB"};
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}

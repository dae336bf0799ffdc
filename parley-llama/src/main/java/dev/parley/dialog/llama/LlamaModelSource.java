package dev.parley.dialog.llama;

import dev.parley.embedded.models.ModelCache;
import dev.parley.embedded.models.ModelFetchException;
import dev.parley.embedded.models.Source;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where the GGUF model comes from: a file on this machine, or an http(s) address whose file is downloaded once into
 * the model cache (with the cache's progress display), checked against its SHA-256 and reused afterwards without
 * touching the network.
 */
public final class LlamaModelSource {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern URL_SCHEME = Pattern.compile("(?i)^[a-z][a-z0-9+.-]*://.*");

    private LlamaModelSource() {
    }

    /**
     * The local path of the model {@code pathOrUrl} names.
     *
     * <ul>
     *   <li>An {@code http://} or {@code https://} URL is fetched into {@code cache} (once; later calls find it
     *       installed) and must come with its SHA-256: a mismatch is an error and leaves no file behind.
     *   <li>Anything else is a file path ({@code ~/} is the home directory; {@code file:} URLs are accepted). When
     *       {@code sha256OrNull} is given, the file is checked against it.
     * </ul>
     * The file's content is not checked here; {@link LlamaBrain#open} does that.
     *
     * @param sha256OrNull the file's SHA-256 as 64 hex digits; required for a URL, optional for a path
     * @throws LlamaModelException with a one-line message: a missing file, a bad URL or checksum, a failed download
     */
    public static Path resolve(String pathOrUrl, String sha256OrNull, ModelCache cache) throws LlamaModelException {
        Objects.requireNonNull(cache, "cache");
        if (pathOrUrl == null || pathOrUrl.isBlank()) {
            throw new LlamaModelException("No model given: name a GGUF file or an https URL of one.");
        }
        String given = pathOrUrl.strip();
        String sha256 = sha256(sha256OrNull);
        if (URL_SCHEME.matcher(given).matches() && !given.regionMatches(true, 0, "file:", 0, 5)) {
            return download(given, sha256, cache);
        }
        Path file = path(given);
        if (!Files.exists(file)) {
            throw new LlamaModelException("Model file not found: " + file);
        }
        if (!Files.isRegularFile(file)) {
            throw new LlamaModelException(file + " is not a file: name the .gguf file itself.");
        }
        if (sha256 != null) {
            String actual = sha256Of(file);
            if (!actual.equals(sha256)) {
                throw new LlamaModelException("Checksum mismatch for " + file + ": expected sha256 " + sha256
                        + " but got " + actual + ". The file is damaged or a different one.");
            }
        }
        return file;
    }

    private static Path download(String given, String sha256, ModelCache cache) throws LlamaModelException {
        URI uri;
        try {
            uri = new URI(given);
        } catch (URISyntaxException e) {
            throw new LlamaModelException("Not a valid model URL: " + e.getReason() + " at character " + e.getIndex());
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new LlamaModelException("Cannot fetch a model from a " + scheme + ": URL; give an https URL or a"
                    + " file path.");
        }
        Source.Url source;
        try {
            source = new Source.Url(uri);
        } catch (IllegalArgumentException e) {
            throw new LlamaModelException("Cannot use the model URL: " + e.getMessage());
        }
        if (sha256 == null) {
            throw new LlamaModelException("A model URL needs the file's SHA-256 checksum, so that a damaged or"
                    + " changed download is caught: give it along with " + source + ".");
        }
        try {
            return cache.ensure(source.spec(sha256));
        } catch (ModelFetchException e) {
            throw new LlamaModelException(e.getMessage(), e);
        }
    }

    private static String sha256(String sha256OrNull) throws LlamaModelException {
        if (sha256OrNull == null || sha256OrNull.isBlank()) {
            return null;
        }
        String s = sha256OrNull.strip();
        if (!SHA256.matcher(s).matches()) {
            throw new LlamaModelException("Not a SHA-256 checksum (64 hex digits): " + s);
        }
        return s.toLowerCase(Locale.ROOT);
    }

    private static Path path(String given) throws LlamaModelException {
        try {
            if (given.regionMatches(true, 0, "file:", 0, 5)) {
                return Path.of(new URI(given)).toAbsolutePath().normalize();
            }
            String expanded = given.equals("~") || given.startsWith("~/")
                    ? System.getProperty("user.home") + given.substring(1)
                    : given;
            return Path.of(expanded).toAbsolutePath().normalize();
        } catch (URISyntaxException | IllegalArgumentException e) { // InvalidPathException too
            throw new LlamaModelException("Not a valid model path: " + given);
        }
    }

    private static String sha256Of(Path file) throws LlamaModelException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new LlamaModelException("Cannot read the model file " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK without SHA-256", e);
        }
    }
}

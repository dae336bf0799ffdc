package dev.parley.embedded.models;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/** Where a model archive (or a single model file) is published. */
public sealed interface Source permits Source.MavenArtifact, Source.NpmTarball, Source.Url {

    /** The kind of archive a source delivers. */
    enum Format {
        ZIP, TAR_GZ,
        /** Not an archive: the download is the model file itself, installed as it is. */
        FILE
    }

    /** The archive's download address in the given repositories. */
    URI uri(Repositories repositories);

    /** Where a copy of the archive may already sit on this machine, if anywhere. */
    Optional<Path> localCopy(Repositories repositories);

    /** The archive format. */
    Format format();

    /** One sentence (ending in a period) telling the user how to get past a failed download. */
    String hint(Repositories repositories);

    /**
     * An artifact in a Maven repository, e.g. {@code com.alphacephei:vosk-model-en:0.3.45@aar}.
     *
     * @param type the packaging/extension, e.g. {@code aar}, {@code jar}, {@code zip}, {@code tar.gz}
     */
    record MavenArtifact(String groupId, String artifactId, String version, String type) implements Source {

        public MavenArtifact {
            Objects.requireNonNull(groupId, "groupId");
            Objects.requireNonNull(artifactId, "artifactId");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(type, "type");
        }

        /** The artifact's path relative to a repository root, in the standard Maven layout. */
        public String repositoryPath() {
            return groupId.replace('.', '/') + "/" + artifactId + "/" + version + "/" + artifactId + "-" + version
                    + "." + type;
        }

        @Override
        public URI uri(Repositories repositories) {
            return URI.create(Repositories.stripSlash(repositories.maven().toString()) + "/" + repositoryPath());
        }

        @Override
        public Optional<Path> localCopy(Repositories repositories) {
            return Optional.of(repositories.localMaven().resolve(repositoryPath()));
        }

        @Override
        public Format format() {
            return switch (type) {
                case "tar.gz", "tgz" -> Format.TAR_GZ;
                default -> Format.ZIP; // jar, aar, zip, ...
            };
        }

        @Override
        public String hint(Repositories repositories) {
            String local = repositories.localMaven().resolve(repositoryPath()).toString();
            return repositories.maven().equals(Repositories.MAVEN_CENTRAL)
                    ? "Check that Maven Central is reachable, set PARLEY_MAVEN_REPO to a mirror, or put the file in "
                            + local + "."
                    : "Check that " + repositories.maven() + " (PARLEY_MAVEN_REPO) is reachable, or put the file in "
                            + local + ".";
        }

        @Override
        public String toString() {
            return groupId + ":" + artifactId + ":" + version + "@" + type;
        }
    }

    /**
     * A package tarball in the npm registry, e.g. {@code @ricky0123/vad-web@0.0.31}.
     *
     * @param packageName the package name, possibly scoped ({@code @scope/name})
     */
    record NpmTarball(String packageName, String version) implements Source {

        public NpmTarball {
            Objects.requireNonNull(packageName, "packageName");
            Objects.requireNonNull(version, "version");
        }

        @Override
        public URI uri(Repositories repositories) {
            String unscoped = packageName.substring(packageName.lastIndexOf('/') + 1);
            return URI.create(Repositories.stripSlash(repositories.npm().toString()) + "/" + packageName + "/-/"
                    + unscoped + "-" + version + ".tgz");
        }

        @Override
        public Optional<Path> localCopy(Repositories repositories) {
            return Optional.empty(); // npm's own cache is content-addressed; not worth digging into
        }

        @Override
        public Format format() {
            return Format.TAR_GZ;
        }

        @Override
        public String hint(Repositories repositories) {
            return repositories.npm().equals(Repositories.NPM_REGISTRY)
                    ? "Check that the npm registry is reachable, or set PARLEY_NPM_REGISTRY to a mirror."
                    : "Check that " + repositories.npm() + " (PARLEY_NPM_REGISTRY) is reachable.";
        }

        @Override
        public String toString() {
            return packageName + "@" + version;
        }
    }

    /**
     * A single file at a plain http(s) address, e.g. a GGUF model on a web server. The download is the model file
     * itself ({@link Format#FILE}): it is verified and installed without extraction. The address may not carry a
     * user name or password; {@link #toString()} and error messages show it without its query string, which may
     * hold a signature.
     *
     * @param address the file's http or https address
     */
    record Url(URI address) implements Source {

        private static final Pattern UNSAFE_ID = Pattern.compile("[^a-z0-9._-]+");

        public Url {
            Objects.requireNonNull(address, "address");
            String scheme = address.getScheme();
            if (scheme == null || !scheme.matches("(?i)https?") || address.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL: " + redact(address));
            }
            if (address.getRawUserInfo() != null) {
                throw new IllegalArgumentException(
                        "a model URL may not contain a user name or password: " + redact(address));
            }
        }

        /** The file name at the end of the address's path, e.g. {@code model-q4_k_m.gguf}; {@code model} if none. */
        public String fileName() {
            String path = address.getPath() == null ? "" : address.getPath();
            String name = path.substring(path.lastIndexOf('/') + 1);
            return name.isBlank() ? "model" : name;
        }

        /**
         * The model spec for this file: its id is the file name (lower case, without extension) followed by the first
         * twelve digits of {@code sha256}, so two files of the same name never share a cache entry; it installs as
         * {@code <id><extension>}. The size is learnt from the server ({@link ModelSpec#UNKNOWN_SIZE}).
         */
        public ModelSpec spec(String sha256) {
            Objects.requireNonNull(sha256, "sha256");
            String name = fileName();
            int dot = name.lastIndexOf('.');
            String stem = (dot > 0 ? name.substring(0, dot) : name).toLowerCase(Locale.ROOT);
            stem = UNSAFE_ID.matcher(stem).replaceAll("-").replaceAll("^[._-]+|[._-]+$", "");
            if (stem.length() > 80) {
                stem = stem.substring(0, 80);
            }
            String id = (stem.isEmpty() ? "model" : stem) + "-" + sha256.toLowerCase(Locale.ROOT)
                    .substring(0, Math.min(12, sha256.length()));
            String entry = name.replaceAll("[^A-Za-z0-9._-]+", "_");
            return new ModelSpec(id, name, this, sha256, ModelSpec.UNKNOWN_SIZE, new Extract.File(entry));
        }

        @Override
        public URI uri(Repositories repositories) {
            return address;
        }

        @Override
        public Optional<Path> localCopy(Repositories repositories) {
            return Optional.empty();
        }

        @Override
        public Format format() {
            return Format.FILE;
        }

        @Override
        public String hint(Repositories repositories) {
            return "Check that " + address.getHost() + " is reachable and the address is right, or download the file"
                    + " yourself and give its path instead.";
        }

        @Override
        public String toString() {
            return redact(address);
        }
    }

    /** {@code uri} for messages and logs: without user info and query string (which may hold secrets). */
    static String redact(URI uri) {
        if (uri.getRawUserInfo() == null && uri.getRawQuery() == null && uri.getRawFragment() == null) {
            return uri.toString();
        }
        StringBuilder sb = new StringBuilder();
        if (uri.getScheme() != null) {
            sb.append(uri.getScheme()).append("://");
        }
        if (uri.getHost() != null) {
            sb.append(uri.getHost());
        }
        if (uri.getPort() >= 0) {
            sb.append(':').append(uri.getPort());
        }
        if (uri.getRawPath() != null) {
            sb.append(uri.getRawPath());
        }
        if (uri.getRawQuery() != null) {
            sb.append("?…");
        }
        return sb.toString();
    }
}

package dev.parley.models;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/** Where a model archive is published. */
public sealed interface Source permits Source.MavenArtifact, Source.NpmTarball {

    /** The kind of archive a source delivers. */
    enum Format {
        ZIP, TAR_GZ
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
}

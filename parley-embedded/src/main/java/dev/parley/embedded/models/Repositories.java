package dev.parley.embedded.models;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where model archives are looked for.
 *
 * @param maven base URL of a Maven repository (default Maven Central)
 * @param npm base URL of an npm registry (default registry.npmjs.org)
 * @param localMaven the local Maven repository consulted before downloading (default {@code ~/.m2/repository})
 */
public record Repositories(URI maven, URI npm, Path localMaven) {

    public static final URI MAVEN_CENTRAL = URI.create("https://repo1.maven.org/maven2");
    public static final URI NPM_REGISTRY = URI.create("https://registry.npmjs.org");

    public Repositories {
        maven = normalize(Objects.requireNonNull(maven, "maven"));
        npm = normalize(Objects.requireNonNull(npm, "npm"));
        Objects.requireNonNull(localMaven, "localMaven");
    }

    /**
     * The repositories configured by the environment: {@code PARLEY_MAVEN_REPO} overrides Maven Central,
     * {@code PARLEY_NPM_REGISTRY} (or npm's own {@code npm_config_registry}) overrides the npm registry.
     *
     * @throws IllegalArgumentException if a variable is not an http(s) URL
     */
    public static Repositories fromEnvironment() {
        return fromEnvironment(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    static Repositories fromEnvironment(Map<String, String> env, Path userHome) {
        URI maven = url(env, "PARLEY_MAVEN_REPO");
        URI npm = url(env, "PARLEY_NPM_REGISTRY");
        if (npm == null) {
            npm = url(env, "npm_config_registry");
        }
        if (npm == null) {
            npm = url(env, "NPM_CONFIG_REGISTRY");
        }
        return new Repositories(
                maven != null ? maven : MAVEN_CENTRAL,
                npm != null ? npm : NPM_REGISTRY,
                userHome.resolve(".m2").resolve("repository"));
    }

    /** A copy with another local Maven repository. */
    public Repositories withLocalMaven(Path dir) {
        return new Repositories(maven, npm, dir);
    }

    private static URI url(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            URI uri = URI.create(value.strip());
            if (uri.getScheme() == null || !uri.getScheme().matches("(?i)https?") || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " must be an http(s) URL, but is '" + value + "'", e);
        }
    }

    private static URI normalize(URI uri) {
        return URI.create(stripSlash(uri.toString()));
    }

    static String stripSlash(String url) {
        String s = url;
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }
}

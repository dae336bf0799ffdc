package dev.parley.embedded.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RepositoriesTest {

    private static final Path HOME = Path.of("/home/user");

    @Test
    void defaults() {
        Repositories r = Repositories.fromEnvironment(Map.of(), HOME);
        assertThat(r.maven()).isEqualTo(URI.create("https://repo1.maven.org/maven2"));
        assertThat(r.npm()).isEqualTo(URI.create("https://registry.npmjs.org"));
        assertThat(r.localMaven()).isEqualTo(Path.of("/home/user/.m2/repository"));
    }

    @Test
    void environmentOverrides() {
        Repositories r = Repositories.fromEnvironment(Map.of(
                "PARLEY_MAVEN_REPO", "https://mirror.example/maven/",
                "npm_config_registry", "https://npm.example/"), HOME);
        assertThat(r.maven()).isEqualTo(URI.create("https://mirror.example/maven"));
        assertThat(r.npm()).isEqualTo(URI.create("https://npm.example"));

        Repositories both = Repositories.fromEnvironment(Map.of(
                "PARLEY_NPM_REGISTRY", "http://parley-npm.example",
                "npm_config_registry", "https://npm.example/"), HOME);
        assertThat(both.npm()).isEqualTo(URI.create("http://parley-npm.example"));
    }

    @Test
    void rejectsNonHttpUrls() {
        assertThatThrownBy(() -> Repositories.fromEnvironment(Map.of("PARLEY_MAVEN_REPO", "file:/tmp/repo"), HOME))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PARLEY_MAVEN_REPO");
    }

    @Test
    void realModelUrls() {
        Repositories r = Repositories.fromEnvironment(Map.of(), HOME);
        assertThat(EmbeddedModels.SILERO_VAD_V5.source().uri(r)).hasToString(
                "https://registry.npmjs.org/@ricky0123/vad-web/-/vad-web-0.0.31.tgz");
        assertThat(EmbeddedModels.VOSK_EN_US.source().uri(r)).hasToString(
                "https://repo1.maven.org/maven2/com/alphacephei/vosk-model-en/0.3.45/vosk-model-en-0.3.45.aar");
        assertThat(EmbeddedModels.VOSK_EN_US.source().localCopy(r)).contains(
                Path.of("/home/user/.m2/repository/com/alphacephei/vosk-model-en/0.3.45/vosk-model-en-0.3.45.aar"));
        assertThat(EmbeddedModels.SILERO_VAD_V5.source().localCopy(r)).isEmpty();
        assertThat(EmbeddedModels.VOSK_EN_US.source().format()).isEqualTo(Source.Format.ZIP);
        assertThat(EmbeddedModels.SILERO_VAD_V5.source().format()).isEqualTo(Source.Format.TAR_GZ);
    }

    @Test
    void defaultRoot() {
        assertThat(ModelCache.defaultRoot(Map.of("PARLEY_HOME", "/opt/parley"), "/home/user"))
                .isEqualTo(Path.of("/opt/parley/models"));
        assertThat(ModelCache.defaultRoot(Map.of(), "/home/user"))
                .isEqualTo(Path.of("/home/user/.cache/parley/models"));
        assertThat(ModelCache.defaultRoot(Map.of("PARLEY_HOME", " "), "/home/user"))
                .isEqualTo(Path.of("/home/user/.cache/parley/models"));
    }

    @Test
    void specValidation() {
        Source source = new Source.NpmTarball("x", "1");
        Extract extract = new Extract.File("a/b.onnx");
        assertThatThrownBy(() -> new ModelSpec("Bad Id", "n", source, "0".repeat(64), 1, extract))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ModelSpec("ok", "n", source, "abc", 1, extract))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new ModelSpec("ok", "n", source, "A".repeat(64), 1, extract).sha256()).isEqualTo("a".repeat(64));
        assertThat(EmbeddedModels.VOSK_EN_US.displaySize()).isEqualTo("39.3 MB");
    }
}

package dev.parley.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code .env} file: dotenv's syntax, the process environment wins, errors that never show a value. */
class EnvironmentTest {
    @TempDir
    Path dir;

    @Test
    void readsTheDotenvSyntax() throws IOException {
        Path f = Files.writeString(dir.resolve(".env"), """
                # keys for Parley
                OPENAI_API_KEY=sk-test-123
                export DEEPGRAM_API_KEY = dg-abc   # inline comment
                QUOTED="a \\"b\\" c\\nd"
                SINGLE='x # not a comment'
                EMPTY=

                """);
        Map<String, String> m = Environment.parse(f);
        assertThat(m).containsEntry("OPENAI_API_KEY", "sk-test-123").containsEntry("DEEPGRAM_API_KEY", "dg-abc")
                .containsEntry("QUOTED", "a \"b\" c\nd").containsEntry("SINGLE", "x # not a comment").containsEntry("EMPTY", "");
    }

    @Test
    void theProcessEnvironmentWinsOverTheFileAndTheFirstFileFoundIsUsed() throws IOException {
        Path first = Files.writeString(dir.resolve("a.env"), "OPENAI_API_KEY=from-file\nOPENAI_BASE_URL=http://proxy/v1\n");
        Path second = Files.writeString(dir.resolve("b.env"), "DEEPGRAM_API_KEY=never-read\n");
        Environment env = Environment.load(Map.of("OPENAI_API_KEY", "from-process"),
                List.of(dir.resolve("missing.env"), first, second));
        assertThat(env.get("OPENAI_API_KEY")).contains("from-process");
        assertThat(env.get("OPENAI_BASE_URL")).contains("http://proxy/v1");
        assertThat(env.get("DEEPGRAM_API_KEY")).isEmpty();
        assertThat(env.file()).contains(first);
        assertThat(Environment.load(Map.of(), List.of(dir.resolve("none"))).file()).isEmpty();
    }

    @Test
    void aMalformedLineIsNamedByItsNumberWithoutItsValue() throws IOException {
        Path f = Files.writeString(dir.resolve(".env"), "OK=1\nsk-secret-value\n");
        assertThatThrownBy(() -> Environment.parse(f)).isInstanceOf(UserError.class)
                .hasMessage(f + " line 2: expected NAME=value").hasMessageNotContaining("sk-secret");
        Path g = Files.writeString(dir.resolve("g.env"), "KEY=\"sk-unterminated\n");
        assertThatThrownBy(() -> Environment.parse(g)).hasMessage(g + " line 1: unterminated quote");
    }

    @Test
    void anExplicitFileMustExist() {
        assertThatThrownBy(() -> Environment.useFile(dir.resolve("nope.env"))).isInstanceOf(UserError.class)
                .hasMessageContaining("does not exist");
    }
}

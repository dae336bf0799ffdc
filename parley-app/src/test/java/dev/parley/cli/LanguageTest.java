package dev.parley.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.parley.cli.ReplyCommandTest.parley;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LanguageTest {
    @TempDir
    Path tmp;

    @Test
    void eachProviderGetsTheLanguageAsItWantsIt() {
        Language ru = Language.parse("ru");
        assertThat(ru.base()).isEqualTo("ru");
        assertThat(ru.english()).isFalse();
        assertThat(ru.withRegion()).as("Google's recognisers want a region").isEqualTo("ru-RU");
        assertThat(Language.parse("de-AT").withRegion()).isEqualTo("de-AT");
        assertThat(Language.parse("pt").withRegion()).isEqualTo("pt-BR");
        assertThat(Language.parse("en_GB").tag()).isEqualTo("en-GB");
        assertThat(Language.parse("en-GB").english()).isTrue();
        assertThat(ru.name()).isEqualTo("Russian");
        assertThat(ru.answerInstruction()).isEqualTo("Always answer in Russian.");
        assertThat(Language.parse("en").answerInstruction()).isEmpty();
        for (String bad : new String[]{"", "russian!", "12", "x-y-z-w-q-r"}) {
            assertThatThrownBy(() -> Language.parse(bad)).as(bad).isInstanceOf(UserError.class).hasMessageContaining("BCP-47");
        }
    }

    @Test
    void theEmbeddedRecogniserRefusesALanguageItCannotHearInOneLine() throws Exception {
        Path in = tmp.resolve("in.wav");
        dev.parley.audio.WavFile.write(in, dev.parley.audio.PcmAudio.silence(16_000, 500));
        ReplyCommandTest.Run run = parley("reply", "--language", "ru", in.toString(), "--out", tmp.resolve("out.wav").toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.oneLineError()).contains("English only").contains("--language ru (Russian)").contains("--stt openai");
        // the same from the config file, under either of the option's names
        for (String key : new String[]{"language", "stt-language"}) {
            Path yaml = Files.writeString(tmp.resolve(key + ".yaml"), key + ": de\n");
            run = parley("reply", "--config", yaml.toString(), in.toString(), "--out", tmp.resolve("out.wav").toString());
            assertThat(run.exit()).as(key).isEqualTo(2);
            assertThat(run.oneLineError()).contains("--language de (German)");
        }
    }

    @Test
    void standingInstructionsComeFromTheFlagOrAFileAndAddTheLanguage() throws Exception {
        BrainOptions o = new BrainOptions();
        assertThat(o.instructions(Language.parse("en"))).isEmpty();
        assertThat(o.instructions(Language.parse("ru"))).isEqualTo("Always answer in Russian.");
        o.instructions = "Ты полезный голосовой ассистент. Отвечай кратко, 1–3 предложения.";
        assertThat(o.instructions(Language.parse("ru"))).isEqualTo(o.instructions + "\nAlways answer in Russian.");
        Path file = tmp.resolve("prompt.txt");
        Files.writeString(file, "  Be brief.\n");
        o.instructions = "@" + file;
        assertThat(o.instructions(null)).isEqualTo("Be brief.");
        o.instructions = "@" + tmp.resolve("missing.txt");
        assertThatThrownBy(() -> o.instructions(null)).isInstanceOf(UserError.class).hasMessageContaining("does not exist");
        o.instructions = "x".repeat(BrainOptions.MAX_INSTRUCTIONS_CHARS + 1);
        assertThatThrownBy(() -> o.instructions(null)).isInstanceOf(UserError.class).hasMessageContaining("over");
    }
}

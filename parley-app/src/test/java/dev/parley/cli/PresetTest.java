package dev.parley.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Presets fill in the per-stage settings under the config file and the flags. */
class PresetTest {
    @TempDir
    Path dir;

    /** Parses {@code args} for {@code ask} as ParleyCli does and returns the options in force. */
    private static AskCommand parse(ConfigFile config, String... args) {
        AskCommand ask = new AskCommand();
        CommandLine cmd = new CommandLine(ask);
        cmd.setDefaultValueProvider(config);
        cmd.parseArgs(args);
        return ask;
    }

    @Test
    void aPresetSetsEveryStage() {
        String[] args = {"--preset", "deepgram", "hello"};
        AskCommand ask = parse(ConfigFile.none().withPreset(args), args);
        assertThat(ask.conversation.providers.stt).isEqualTo(ProviderOptions.Stt.deepgram);
        assertThat(ask.conversation.providers.sttModel).isEqualTo("nova-3");
        assertThat(ask.conversation.providers.tts).isEqualTo(ProviderOptions.Tts.deepgram);
        assertThat(ask.conversation.providers.ttsModel).isEqualTo("aura-2-thalia-en");
        assertThat(ask.conversation.brain.llm).isEqualTo(BrainOptions.Llm.openai);
        assertThat(ask.conversation.brain.kind()).as("an LLM provider implies the llm brain").isEqualTo(BrainOptions.Kind.llm);
        assertThat(ask.conversation.brain.llmModel).isEqualTo("gpt-4o-mini");
    }

    @Test
    void theConfigFileAndTheFlagsWinOverThePreset() throws IOException {
        Path yaml = Files.writeString(dir.resolve("parley.yaml"), "preset: openai\ntts-model: gpt-4o-mini-tts\nbrain: hybrid\n");
        String[] args = {"--stt", "embedded", "hello"};
        ConfigFile config = ConfigFile.read(yaml).withPreset(args);
        assertThat(config.preset()).contains(Preset.openai);
        AskCommand ask = parse(config, args);
        assertThat(ask.conversation.providers.stt).as("flag").isEqualTo(ProviderOptions.Stt.embedded);
        assertThat(ask.conversation.providers.tts).as("preset").isEqualTo(ProviderOptions.Tts.openai);
        assertThat(ask.conversation.providers.ttsModel).as("file").isEqualTo("gpt-4o-mini-tts");
        assertThat(ask.conversation.brain.kind()).as("file").isEqualTo(BrainOptions.Kind.hybrid);
        String[] flagged = {"--preset", "google", "x"};
        assertThat(ConfigFile.read(yaml).withPreset(flagged).preset()).as("the flag names the preset").contains(Preset.google);
    }

    @Test
    void openAiRealtimeIsSpelledWithADashAndAnUnknownPresetListsTheKnownOnes() {
        String[] args = {"--preset", "openai-realtime", "hi"};
        AskCommand ask = parse(ConfigFile.none().withPreset(args), args);
        assertThat(ask.conversation.providers.stt).isEqualTo(ProviderOptions.Stt.openai_realtime);
        assertThat(ask.conversation.providers.realtimeModel).isEqualTo("gpt-realtime");
        assertThatThrownBy(() -> ConfigFile.none().withPreset(new String[]{"--preset", "azure"}))
                .isInstanceOf(UserError.class).hasMessage("unknown preset 'azure'. Presets: openai, openai-realtime, deepgram, google");
    }

    @Test
    void withoutAPresetTheDefaultsAreTheOfflineStack() {
        AskCommand ask = parse(ConfigFile.none(), "hello");
        assertThat(ask.conversation.providers.stt).isEqualTo(ProviderOptions.Stt.embedded);
        assertThat(ask.conversation.providers.tts).isEqualTo(ProviderOptions.Tts.embedded);
        assertThat(ask.conversation.brain.kind()).isEqualTo(BrainOptions.Kind.skills);
        assertThat(ask.conversation.brain.keyEnv()).isEqualTo("OPENAI_API_KEY");
        assertThat(parse(ConfigFile.none(), "--llm", "google", "x").conversation.brain.keyEnv()).isEqualTo("GEMINI_API_KEY");
    }
}

package dev.parley.cli;

import dev.parley.embedded.EmbeddedStack;
import dev.parley.startup.LoadProgress;
import dev.parley.startup.ParallelLoader;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which embedded engines a command's settings load, and how a failed part reaches the user (no model is loaded). */
class StartupLoaderTest {

    private static ProviderOptions options(String... args) {
        ReplyCommand command = new ReplyCommand();
        String[] all = new String[args.length + 3];
        all[0] = "in.wav";
        all[1] = "--out";
        all[2] = "out.wav";
        System.arraycopy(args, 0, all, 3, args.length);
        new CommandLine(command).parseArgs(all);
        return command.conversation.providers;
    }

    @Test
    void theEmbeddedPipelineLoadsEveryEngine() {
        assertThat(Stages.embeddedParts(options())).isEqualTo(EmbeddedStack.Parts.ALL);
    }

    @Test
    void cloudProvidersWithTheEmbeddedFallbackStillLoadItsEngines() {
        assertThat(Stages.embeddedParts(options("--stt", "deepgram", "--tts", "openai"))).isEqualTo(EmbeddedStack.Parts.ALL);
    }

    @Test
    void cloudProvidersWithoutFallbackLoadNeitherVoskNorMaryTts() {
        assertThat(Stages.embeddedParts(options("--stt", "deepgram", "--tts", "openai", "--fallback", "none")))
                .isEqualTo(new EmbeddedStack.Parts(false, false));
        assertThat(Stages.embeddedParts(options("--stt", "openai", "--fallback", "none")))
                .isEqualTo(new EmbeddedStack.Parts(false, true));
        assertThat(Stages.embeddedParts(options("--tts", "google", "--fallback", "none")))
                .isEqualTo(new EmbeddedStack.Parts(true, false));
    }

    @Test
    void aPartThatFailsIsOneLineNamingIt() {
        ParallelLoader loader = new ParallelLoader(LoadProgress.NONE);
        loader.add("Vosk", () -> {
            throw new java.io.IOException("cannot map model file final.mdl");
        });
        assertThatThrownBy(() -> StartupLoader.run(loader)).isInstanceOf(UserError.class)
                .hasMessage("Vosk could not start: cannot map model file final.mdl");
    }

    @Test
    void aPartsOwnUserErrorReachesTheUserAsItIs() {
        ParallelLoader loader = new ParallelLoader(LoadProgress.NONE);
        loader.add("skills", () -> {
            throw new UserError("notes file x.md does not exist");
        });
        assertThatThrownBy(() -> StartupLoader.run(loader)).isInstanceOf(UserError.class)
                .hasMessage("notes file x.md does not exist");
    }
}

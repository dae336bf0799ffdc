package dev.parley.dialog.llama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.parley.dialog.Dialog;
import dev.parley.dialog.Message;
import dev.parley.dialog.TextStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real instruction-tuned GGUF model, when the shared directory has one ({@code <parley.shared>/models/*.gguf},
 * the smallest is taken); skipped otherwise.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class SharedModelTest {

    private static Optional<Path> sharedModel() throws Exception {
        Path dir = Path.of(System.getProperty("parley.shared", "../../shared"), "models");
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".gguf")).min((a, b) -> {
                try {
                    return Long.compare(Files.size(a), Files.size(b));
                } catch (Exception e) {
                    return 0;
                }
            });
        }
    }

    @Test
    void answersStopsByItselfAndCanBeInterrupted() throws Exception {
        Optional<Path> model = sharedModel();
        assumeTrue(model.isPresent(), "no GGUF model in the shared models directory");
        LlamaSettings settings = LlamaSettings.defaults(model.get()).withContextSize(2048).withMaxTokens(96)
                .withTemperature(0).withSeed(1);
        try (LlamaBrain brain = LlamaBrain.open(settings)) {
            Dialog dialog = brain.newDialog();
            LlamaReply reply = (LlamaReply) dialog.respond(List.of(), "What is two plus two? Answer in one word.");
            StringBuilder text = new StringBuilder();
            for (String piece; (piece = reply.next()) != null; ) {
                text.append(piece);
            }
            assertThat(text.toString().toLowerCase()).containsAnyOf("four", "4");
            assertThat(reply.tokens()).isLessThan(96); // it ended its turn itself

            TextStream story = dialog.respond(List.of(Message.user("What is two plus two?"),
                    Message.assistant(text.toString())), "Now tell me a long story about the sea.");
            assertThat(story.next()).isNotNull();
            story.close();
            assertThat(((LlamaReply) story).awaitFinished(Duration.ofSeconds(30))).isTrue();

            TextStream next = dialog.respond(List.of(), "Say hello.");
            assertThat(next.next()).isNotBlank();
            next.close();
        }
    }
}

package dev.parley.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.audio.PcmAudio;
import dev.parley.audio.WavFile;
import dev.parley.eval.WordErrorRate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code parley ask}: one typed turn through the brain, with the real skills and model. */
class AskCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String user = "test-" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path tmp;

    @AfterEach
    void forgetUser() throws Exception {
        Path home = Brains.userHome(user);
        if (!Files.exists(home)) return;
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void printsTheSkillsReply() {
        ReplyCommandTest.Run run = ReplyCommandTest.parley("ask", "what is seventeen times twenty three");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out().strip()).contains("391").doesNotContain("\n");
    }

    @Test
    void jsonIsOneObjectWithTheReplyAndTheTimeToTheFirstToken() throws Exception {
        ReplyCommandTest.Run run = ReplyCommandTest.parley("ask", "how many miles is 10 kilometres", "--json");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out().strip().lines()).hasSize(1);
        JsonNode o = JSON.readTree(run.out());
        assertThat(o.get("reply").asText()).contains("6.2").containsIgnoringCase("miles");
        assertThat(o.get("first_token_ms").asDouble()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void speakWritesTheReplyAsSpeech() throws Exception {
        Path out = tmp.resolve("reply.wav");
        ReplyCommandTest.Run run = ReplyCommandTest.parley("ask", "what is seventeen times twenty three", "--speak", out.toString(), "--json");
        assertThat(run.exit()).as(run.err()).isZero();
        String reply = JSON.readTree(run.out()).get("reply").asText();
        PcmAudio audio = WavFile.read(out);
        assertThat(audio.sampleRate()).isEqualTo(24_000);
        assertThat(audio.durationSeconds()).isGreaterThan(0.8);
        String heard = ReplyCommandTest.recognise(audio);
        assertThat(WordErrorRate.compute(reply, heard).wer()).as(heard + " for " + reply).isLessThanOrEqualTo(0.35);
    }

    @Test
    void aUsersListsAndConversationLastFromOneAskToTheNext() throws Exception {
        ReplyCommandTest.Run add = ReplyCommandTest.parley("ask", "add oat milk to my shopping list", "--user", user);
        assertThat(add.exit()).as(add.err()).isZero();
        ReplyCommandTest.Run read = ReplyCommandTest.parley("ask", "what's on my shopping list", "--user", user);
        assertThat(read.out()).containsIgnoringCase("oat milk");
        ReplyCommandTest.Run again = ReplyCommandTest.parley("ask", "say that again", "--user", user);
        assertThat(again.out().strip()).isEqualTo(read.out().strip());
        assertThat(Files.readString(Brains.userHome(user).resolve("conversation.tsv")))
                .contains("user\tadd oat milk to my shopping list", "user\tsay that again");
    }

    @Test
    void badInputIsAOneLineError() {
        assertThat(ReplyCommandTest.parley("ask", "  ").oneLineError()).contains("nothing to ask");
        assertThat(ReplyCommandTest.parley("ask", "hi", "--user", "../etc").oneLineError()).contains("--user");
        assertThat(ReplyCommandTest.parley("ask", "hi", "--notes", tmp.resolve("none.md").toString()).oneLineError())
                .contains("does not exist");
        assertThat(ReplyCommandTest.parley("ask", "hi", "--time-zone", "Mars/Olympus").oneLineError()).contains("time zone");
        assertThat(ReplyCommandTest.parley("ask", "hi", "--speak", tmp.resolve("no/such/dir/x.wav").toString()).oneLineError())
                .contains("does not exist");
    }

    @Test
    void anLlmThatCannotBeReachedIsAClearErrorWithoutTheKey() {
        // nothing listens on port 9 of this machine
        ReplyCommandTest.Run run = ReplyCommandTest.parley("ask", "tell me a story", "--brain", "llm", "--llm-url", "http://127.0.0.1:9/v1",
                "--fallback", "none");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.oneLineError()).contains("127.0.0.1:9");

        // with the default fallback the skills answer, and stderr says why
        ReplyCommandTest.Run fell = ReplyCommandTest.parley("ask", "tell me a story", "--brain", "llm", "--llm-url", "http://127.0.0.1:9/v1");
        assertThat(fell.exit()).isZero();
        assertThat(fell.out()).startsWith("Sorry, I couldn't reach my language model, so here's my offline answer.");
        assertThat(fell.err()).contains("llm provider 127.0.0.1:9 failed").contains("skills took over");
    }
}

package dev.parley.dialog.llama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.dialog.Dialog;
import dev.parley.dialog.DialogException;
import dev.parley.dialog.Message;
import dev.parley.dialog.SpokenStyle;
import dev.parley.dialog.TextStream;
import dev.parley.stt.Transcript;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The brain on a real (tiny, random) GGUF model that the test writes: load, prompt, stream, cancel, queue. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LlamaBrainTest {

    @TempDir
    Path temp;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
    }

    private Path model(GgufWriter.Tiny tiny) throws Exception {
        return GgufWriter.tinyLlama(tiny).write(temp.resolve("tiny-" + tiny.seed() + "-" + tiny.chatTemplate()
                + "-" + tiny.contextLength() + "-" + tiny.endsTurnAtOnce() + ".gguf"));
    }

    private LlamaSettings settings(Path model) {
        return new LlamaSettings(model, 1024, 1, 16, 0.7, 42, SpokenStyle.SYSTEM_PROMPT);
    }

    private LlamaBrain open(LlamaSettings settings) throws LlamaModelException {
        LlamaBrain brain = LlamaBrain.open(settings);
        toClose.add(brain);
        return brain;
    }

    /** Every text a sampled token can show: the normal tokens, with SentencePiece's ▁ as a space. */
    private static Set<String> pieces() {
        Set<String> pieces = new HashSet<>();
        for (String t : GgufWriter.vocabulary(true)) {
            if (!t.startsWith("<")) {
                pieces.add(t.replace('▁', ' '));
                pieces.add(t.replace('▁', ' ').stripLeading()); // the reply's first piece loses its space
            }
        }
        return pieces;
    }

    private static List<String> drain(TextStream stream) throws DialogException {
        List<String> out = new ArrayList<>();
        for (String piece; (piece = stream.next()) != null; ) {
            out.add(piece);
        }
        return out;
    }

    @Test
    void loadsTheModelAndReadsItsHeader() throws Exception {
        LlamaBrain brain = open(settings(model(GgufWriter.Tiny.chatml(1))));

        assertThat(brain.header().architecture()).isEqualTo("llama");
        assertThat(brain.header().name()).contains("parley-tiny-test");
        assertThat(brain.header().version()).isEqualTo(3);
        assertThat(brain.header().contextLength()).isEqualTo(2048);
        assertThat(brain.header().vocabularySize()).isEqualTo(GgufWriter.vocabulary(true).size());
        assertThat(brain.header().tensorCount()).isEqualTo(12);
        assertThat(brain.contextSize()).isEqualTo(1024);
        assertThat(brain.usesChatTemplate()).isTrue();
    }

    @Test
    void theNativeLibraryIsUnpackedIntoAPrivateDirectory() throws Exception {
        open(settings(model(GgufWriter.Tiny.plain(1))));

        Path dir = Path.of(System.getProperty(NativeLibrary.PROPERTY));
        assertThat(dir.getFileName().toString()).startsWith("parley-llama-");
        assertThat(dir.resolve("libjllama.so")).isRegularFile();
        assertThat(java.nio.file.Files.getPosixFilePermissions(dir)).containsExactlyInAnyOrder(
                java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                java.nio.file.attribute.PosixFilePermission.OWNER_WRITE,
                java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE);
    }

    @Test
    void contextIsCappedAtTheTrainedLength() throws Exception {
        LlamaBrain brain = open(settings(model(GgufWriter.Tiny.plain(1))).withContextSize(4096).withMaxTokens(1000));

        assertThat(brain.contextSize()).isEqualTo(2048);
        assertThat(brain.usesChatTemplate()).isFalse();
    }

    @Test
    void streamsTheModelsTokensAndHonoursMaxTokens() throws Exception {
        LlamaBrain brain = open(settings(model(GgufWriter.Tiny.plain(2))).withMaxTokens(7));
        Dialog dialog = brain.newDialog();

        LlamaReply reply = (LlamaReply) dialog.respond(List.of(), "hello world");
        List<String> pieces = drain(reply);

        // the tiny model never samples an end token, so the reply runs to the limit: one piece per token
        assertThat(pieces).hasSize(7);
        assertThat(pieces).allSatisfy(p -> assertThat(pieces()).contains(p));
        assertThat(pieces.getFirst()).doesNotStartWith(" ");
        assertThat(reply.tokens()).isEqualTo(8); // seven tokens and the output that ends the generation
        assertThat(reply.wasCancelled()).isFalse();
        assertThat(reply.next()).isNull();
    }

    @Test
    void aFixedSeedGivesTheSameReplyAndAnotherSeedAnotherOne() throws Exception {
        Path model = model(GgufWriter.Tiny.plain(3));
        // one thread: a seed fixes the sampling, but sums split over threads that a busy machine schedules differently
        // need not round the same way, and a tiny random model's logits are close enough for that to change a token
        LlamaBrain first = open(settings(model).withMaxTokens(24).withSeed(7).withThreads(1));
        String a = String.join("", drain(first.newDialog().respond(List.of(), "what time is it")));
        String b = String.join("", drain(first.newDialog().respond(List.of(), "what time is it")));
        LlamaBrain second = open(settings(model).withMaxTokens(24).withSeed(8).withThreads(1));
        String c = String.join("", drain(second.newDialog().respond(List.of(), "what time is it")));

        assertThat(a).isNotBlank().isEqualTo(b);
        assertThat(c).isNotBlank().isNotEqualTo(a);
    }

    @Test
    void closingStopsTheGenerationAndTheNextTurnWorks() throws Exception {
        // a long context, so that a full reply would take thousands of tokens
        Path model = model(GgufWriter.Tiny.longContext(4));
        LlamaBrain brain = open(settings(model).withContextSize(16384).withMaxTokens(8000));
        Dialog dialog = brain.newDialog();

        LlamaReply reply = (LlamaReply) dialog.respond(List.of(), "the sun");
        assertThat(reply.next()).isNotNull();
        assertThat(reply.next()).isNotNull();
        reply.close();

        assertThat(reply.next()).isNull();
        assertThat(reply.awaitFinished(Duration.ofSeconds(10))).isTrue();
        assertThat(reply.wasCancelled()).isTrue();
        assertThat(reply.tokens()).isBetween(2, 4000); // far fewer than the 8000 asked for (about 200 here)

        // the same model answers the next turn in full
        LlamaReply next = (LlamaReply) brain.newDialog().respond(
                List.of(Message.user("the sun"), Message.assistant("moon")), new Transcript("and the star", 0.9));
        TextStream limited = next;
        int count = 0;
        while (limited.next() != null) {
            count++;
        }
        assertThat(count).isEqualTo(8000);
        assertThat(next.wasCancelled()).isFalse();
    }

    @Test
    void closeWakesABlockedNextPromptly() throws Exception {
        LlamaBrain brain = open(settings(model(GgufWriter.Tiny.longContext(5))).withContextSize(16384)
                .withMaxTokens(8000));
        LlamaReply running = (LlamaReply) brain.newDialog().respond(List.of(), "hello");
        assertThat(running.next()).isNotNull(); // holds the model now
        LlamaReply waiting = (LlamaReply) brain.newDialog().respond(List.of(), "world");
        CompletableFuture<String> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                return waiting.next();
            } catch (DialogException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);
        assertThat(blocked).isNotDone(); // waiting for its turn

        long start = System.nanoTime();
        waiting.close();

        assertThat(blocked.get(2, TimeUnit.SECONDS)).isNull();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        assertThat(waiting.awaitFinished(Duration.ofSeconds(5))).isTrue();
        assertThat(waiting.tokens()).isZero(); // it left the queue without generating
        running.close();
        assertThat(running.awaitFinished(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void concurrentSessionsTakeTurnsOnTheModel() throws Exception {
        LlamaBrain brain = open(settings(model(GgufWriter.Tiny.plain(6))).withMaxTokens(40));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> replies = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Dialog dialog = brain.newDialog();
                String said = "session " + i;
                replies.add(pool.submit(() -> drain(dialog.respond(List.of(), said))));
            }
            for (Future<List<String>> reply : replies) {
                assertThat(reply.get(30, TimeUnit.SECONDS)).hasSize(40);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(brain.peakGenerations()).isEqualTo(1);
    }

    @Test
    void waitingRepliesGetTheModelInTheOrderTheyAskedForIt() throws Exception {
        LlamaBrain brain = open(settings(model(GgufWriter.Tiny.longContext(15))).withContextSize(16384)
                .withMaxTokens(8000));
        LlamaReply running = (LlamaReply) brain.newDialog().respond(List.of(), "first");
        assertThat(running.next()).isNotNull();
        List<LlamaReply> waiting = new ArrayList<>();
        List<CompletableFuture<String>> firstPieces = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            LlamaReply reply = (LlamaReply) brain.newDialog().respond(List.of(), "waiting " + i);
            waiting.add(reply);
            firstPieces.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return reply.next();
                } catch (DialogException e) {
                    throw new IllegalStateException(e);
                }
            }));
            Thread.sleep(100); // each one in the queue before the next asks
        }
        LlamaReply leaving = waiting.remove(2);
        leaving.close();

        running.close();
        for (int i = 0; i < waiting.size(); i++) {
            assertThat(firstPieces.get(i < 2 ? i : i + 1).get(30, TimeUnit.SECONDS)).isNotNull();
            waiting.get(i).close();
            assertThat(waiting.get(i).awaitFinished(Duration.ofSeconds(10))).isTrue();
        }

        assertThat(running.sequence()).isEqualTo(1);
        assertThat(waiting).extracting(LlamaReply::sequence).containsExactly(2L, 3L, 4L, 5L);
        assertThat(leaving.sequence()).isZero();
        assertThat(firstPieces.get(2).get(1, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void dialogCloseCancelsItsRunningReply() throws Exception {
        LlamaBrain brain = open(settings(model(GgufWriter.Tiny.longContext(7))).withContextSize(16384)
                .withMaxTokens(8000));
        Dialog dialog = brain.newDialog();
        LlamaReply reply = (LlamaReply) dialog.respond(List.of(), "hello");
        assertThat(reply.next()).isNotNull();

        dialog.close();

        assertThat(reply.next()).isNull();
        assertThat(reply.awaitFinished(Duration.ofSeconds(10))).isTrue();
        assertThat(reply.wasCancelled()).isTrue();
        assertThat(reply.tokens()).isLessThan(4000);
        assertThat(dialog.respond(List.of(), "again").next()).isNull(); // a closed session says nothing more
    }

    @Test
    void closingTheBrainStopsGenerationAndLaterRepliesFail() throws Exception {
        LlamaBrain brain = LlamaBrain.open(settings(model(GgufWriter.Tiny.longContext(8)))
                .withContextSize(16384).withMaxTokens(8000));
        Dialog dialog = brain.newDialog();
        LlamaReply reply = (LlamaReply) dialog.respond(List.of(), "hello");
        assertThat(reply.next()).isNotNull();

        brain.close();

        assertThat(reply.awaitFinished(Duration.ofSeconds(1))).isTrue();
        assertThat(reply.wasCancelled()).isTrue();
        assertThat(reply.tokens()).isLessThan(4000);
        TextStream later = dialog.respond(List.of(), "again");
        assertThatThrownBy(later::next).isInstanceOf(DialogException.class)
                .hasMessage("The local model has been shut down.");
        brain.close(); // twice is harmless
    }

    @Test
    void aModelThatEndsItsTurnGivesAnEmptyReplyWithoutTheEndTokensText() throws Exception {
        LlamaBrain brain = open(settings(model(GgufWriter.Tiny.silent(14))).withMaxTokens(50));

        LlamaReply reply = (LlamaReply) brain.newDialog().respond(List.of(), "hello");

        assertThat(reply.next()).isNull();
        assertThat(reply.awaitFinished(Duration.ofSeconds(5))).isTrue();
        assertThat(reply.tokens()).isEqualTo(2); // the end token (its text withheld) and the output that ends it
        assertThat(reply.wasCancelled()).isFalse();
    }

    @Test
    void anEmptyTurnIsAnsweredWithoutTheModel() throws Exception {
        LlamaBrain brain = open(settings(model(GgufWriter.Tiny.plain(9))));

        assertThat(drain(brain.newDialog().respond(List.of(), new Transcript("  ", 0.2))))
                .containsExactly(LlamaDialog.NOT_HEARD);
    }

    @Test
    void chatTemplatePromptHasTheSpokenStyleThenTheSessionsInstructions() throws Exception {
        LlamaBrain brain = open(settings(model(GgufWriter.Tiny.chatml(10))));
        List<Message> history = List.of(new Message(Message.Role.SYSTEM, "Answer in French."), Message.user("hi"),
                Message.assistant("Bonjour."), Message.assistant("Il est midi."));

        String prompt = brain.prompt(history, "what time is it?");

        assertThat(prompt).isEqualTo("<|im_start|>system\n" + SpokenStyle.SYSTEM_PROMPT + "\n\nAnswer in French.<|im_end|>\n"
                + "<|im_start|>user\nhi<|im_end|>\n"
                + "<|im_start|>assistant\nBonjour.\nIl est midi.<|im_end|>\n"
                + "<|im_start|>user\nwhat time is it?<|im_end|>\n"
                + "<|im_start|>assistant\n");
    }

    @Test
    void withoutAChatTemplateThePromptIsAPlainTranscript() throws Exception {
        LlamaBrain brain = open(settings(model(GgufWriter.Tiny.plain(11))).withSystemPrompt("Be brief."));
        List<Message> history = List.of(new Message(Message.Role.SYSTEM, "Call me Sam."), Message.user("hi"),
                Message.assistant("Hello Sam."));

        String prompt = brain.prompt(history, "how are you");

        assertThat(prompt).isEqualTo("Be brief.\n\nCall me Sam.\n\nUser: hi\nAssistant: Hello Sam.\nUser: how are you\n"
                + "Assistant:");
        assertThat(drain(brain.newDialog().respond(history, "how are you"))).hasSize(16);
    }

    @Test
    void theOldestTurnsAreLeftOutWhenTheConversationOutgrowsTheContext() throws Exception {
        LlamaBrain brain = open(new LlamaSettings(model(GgufWriter.Tiny.plain(12)), 128, 1, 16, 0.7, 1, "Be brief."));
        List<Message> history = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            history.add(Message.user("question " + i));
            history.add(Message.assistant("answer " + i));
        }

        String prompt = brain.prompt(history, "last one");

        assertThat(prompt).startsWith("Be brief.\n\nUser: question ").endsWith("User: last one\nAssistant:")
                .contains("Assistant: answer 29\n").doesNotContain("question 0\n");
        assertThat(drain(brain.newDialog().respond(history, "last one"))).hasSize(16);
    }

    @Test
    void aTurnTooLongForTheContextIsAClearError() throws Exception {
        LlamaBrain brain = open(new LlamaSettings(model(GgufWriter.Tiny.plain(13)), 128, 1, 16, 0.7, 1, ""));

        TextStream reply = brain.newDialog().respond(List.of(), "word ".repeat(200));

        assertThatThrownBy(reply::next).isInstanceOf(DialogException.class)
                .hasMessageStartingWith("That is too long for the local model:")
                .hasMessageContaining("its context holds 128 with 16 kept for the reply");
        assertThat(drain(brain.newDialog().respond(List.of(), "short"))).hasSize(16); // still usable
    }
}

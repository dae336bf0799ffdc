package dev.parley.dialog.llama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.dialog.SpokenStyle;
import dev.parley.dialog.TextStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad model files end in a one-line {@link LlamaModelException}, never in a crash of the JVM: those the Java check
 * refuses and those only llama.cpp can refuse. (A crash would end the test run, so passing is the proof.)
 */
class CorruptModelTest {

    @TempDir
    Path temp;

    private LlamaSettings settings(Path model) {
        return new LlamaSettings(model, 1024, 1, 8, 0.7, 1, SpokenStyle.SYSTEM_PROMPT);
    }

    private Path write(String name, GgufWriter writer) throws Exception {
        return writer.write(temp.resolve(name));
    }

    private void assertStillWorks() throws Exception {
        try (LlamaBrain brain = LlamaBrain.open(settings(write("good.gguf", GgufWriter.tinyLlama(GgufWriter.Tiny.plain(3)))))) {
            TextStream reply = brain.newDialog().respond(List.of(), "hello");
            int pieces = 0;
            while (reply.next() != null) {
                pieces++;
            }
            assertThat(pieces).isEqualTo(8);
        }
    }

    @Test
    void llamaCppRefusalsAreOneLineErrors() throws Exception {
        Path noBlocks = write("no-blocks.gguf", GgufWriter.tinyLlama(GgufWriter.Tiny.plain(1)).remove("llama.block_count"));
        Path unknownArch = write("arch.gguf", GgufWriter.tinyLlama(GgufWriter.Tiny.plain(1))
                .putString("general.architecture", "parley9000"));
        Path missingTensor = write("missing.gguf", GgufWriter.tinyLlama(GgufWriter.Tiny.plain(1))
                .withoutTensor("blk.0.ffn_down.weight"));
        Path wrongShape = write("shape.gguf", GgufWriter.tinyLlama(GgufWriter.Tiny.plain(1))
                .withoutTensor("output_norm.weight").tensor("output_norm.weight", new long[] {16}, new float[16]));

        for (Path bad : List.of(noBlocks, unknownArch, missingTensor, wrongShape)) {
            assertThatThrownBy(() -> LlamaBrain.open(settings(bad))).isInstanceOf(LlamaModelException.class)
                    .hasMessageStartingWith("llama.cpp could not load " + bad + " (architecture '")
                    .hasMessageEndingWith("PARLEY_LOG=debug shows llama.cpp's own messages.")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
        assertStillWorks();
    }

    @Test
    void randomlyDamagedHeadersNeverCrashTheJvm() throws Exception {
        // (the check was tuned on a few thousand seeds; each refusal here once was an abort of the process:
        // a missing byte token, a duplicate token)
        byte[][] models = {GgufWriter.tinyLlama(GgufWriter.Tiny.chatml(2)).toBytes(),
                GgufWriter.tinyLlama(GgufWriter.Tiny.plain(2)).toBytes()};
        int refusedByJava = 0, refusedByLlama = 0, loaded = 0;
        for (int seed = 0; seed < 150; seed++) {
            byte[] good = models[seed % 2];
            int header = GgufHeaderTest.after(good, "blk.0.ffn_down.weight") + 24; // the end of the tensor infos
            Random random = new Random(seed);
            byte[] bad = good.clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                bad[random.nextInt(header)] ^= (byte) (1 << random.nextInt(8));
            }
            Path file = Files.write(temp.resolve("fuzz-" + seed + ".gguf"), bad);
            try {
                GgufHeader.read(file);
            } catch (LlamaModelException e) {
                assertThat(e.getMessage()).startsWith(file.toString()).doesNotContain("\n");
                refusedByJava++;
                continue;
            }
            try (LlamaBrain brain = LlamaBrain.open(settings(file))) {
                loaded++;
                TextStream reply = brain.newDialog().respond(List.of(), "héllo wörld ✓"); // runs, or says why
                try {
                    while (reply.next() != null) {
                        // drain
                    }
                } catch (dev.parley.dialog.DialogException e) {
                    assertThat(e.getMessage()).doesNotContain("\n");
                }
            } catch (LlamaModelException e) {
                assertThat(e.getMessage()).startsWith("llama.cpp could not load " + file).doesNotContain("\n");
                refusedByLlama++;
            }
        }
        assertThat(refusedByJava + refusedByLlama + loaded).isEqualTo(150);
        assertThat(refusedByJava).isPositive();
        assertThat(loaded).isPositive(); // flips in values llama.cpp does not mind
        assertStillWorks();
    }
}

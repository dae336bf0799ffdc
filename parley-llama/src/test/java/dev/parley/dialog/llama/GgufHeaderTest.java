package dev.parley.dialog.llama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading and checking GGUF headers in Java, before llama.cpp sees a file. */
class GgufHeaderTest {

    @TempDir
    Path temp;

    private Path write(byte[] bytes) throws Exception {
        return Files.write(temp.resolve("model.gguf"), bytes);
    }

    private static byte[] tiny() {
        return GgufWriter.tinyLlama(GgufWriter.Tiny.chatml(1)).toBytes();
    }

    private AbstractThrowableAssert<?, ? extends Throwable> refused(byte[] bytes) throws Exception {
        Path file = write(bytes);
        return assertThatThrownBy(() -> GgufHeader.read(file)).isInstanceOf(LlamaModelException.class)
                .hasMessageStartingWith(file.toString())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void readsTheTinyModelsHeader() throws Exception {
        GgufHeader header = GgufHeader.read(write(tiny()));

        assertThat(header.version()).isEqualTo(3);
        assertThat(header.architecture()).isEqualTo("llama");
        assertThat(header.name()).contains("parley-tiny-test");
        assertThat(header.contextLength()).isEqualTo(2048);
        assertThat(header.chatTemplate()).contains(GgufWriter.CHATML_TEMPLATE);
        assertThat(header.vocabularySize()).isEqualTo(GgufWriter.vocabulary(true).size());
        assertThat(header.tensorCount()).isEqualTo(12);
    }

    @Test
    void aModelWithoutTemplateHasNone() throws Exception {
        GgufHeader header = GgufHeader.read(write(GgufWriter.tinyLlama(GgufWriter.Tiny.plain(1)).toBytes()));

        assertThat(header.chatTemplate()).isEmpty();
        assertThat(header.vocabularySize()).isEqualTo(GgufWriter.vocabulary(false).size());
    }

    @Test
    void missingFileDirectoryAndEmptyFile() throws Exception {
        Path missing = temp.resolve("nope.gguf");
        assertThatThrownBy(() -> GgufHeader.read(missing)).isInstanceOf(LlamaModelException.class)
                .hasMessage("Model file not found: " + missing);
        assertThatThrownBy(() -> GgufHeader.read(temp)).isInstanceOf(LlamaModelException.class)
                .hasMessage(temp + " is a directory, not a GGUF model file");
        refused(new byte[0]).hasMessageEndingWith(" is empty, not a GGUF model file (an interrupted download?)");
    }

    @Test
    void saysWhatANonGgufFileLooksLike() throws Exception {
        refused("<!DOCTYPE html><html><body>Not found</body></html>".getBytes(StandardCharsets.UTF_8))
                .hasMessageEndingWith(" is not a GGUF model file (it is a web page or XML: check the download address)");
        refused("version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 12\n".getBytes(StandardCharsets.UTF_8))
                .hasMessageContaining("it is a Git LFS pointer, not the model itself");
        refused(new byte[] {'P', 'K', 3, 4, 0, 0, 0, 0}).hasMessageContaining("it is a zip archive");
        refused("just some text that is long enough".getBytes(StandardCharsets.UTF_8))
                .hasMessageEndingWith(" is not a GGUF model file");
        refused(new byte[] {'G', 'G'}).hasMessageEndingWith(" is not a GGUF model file");
    }

    @Test
    void refusesOtherVersions() throws Exception {
        byte[] v1 = tiny();
        putInt(v1, 4, 1);
        refused(v1).hasMessageEndingWith(" is GGUF version 1, which cannot be loaded (only versions 2 and 3 are supported)");
        byte[] bigEndian = tiny();
        ByteBuffer.wrap(bigEndian, 4, 4).order(ByteOrder.BIG_ENDIAN).putInt(3);
        refused(bigEndian).hasMessageContaining("(a big-endian file: only little-endian GGUF is supported)");
    }

    @Test
    void refusesEveryTruncation() throws Exception {
        byte[] full = tiny();
        int dataEnd = full.length - 1; // the last tensor ends at or before the final padding
        while (full[dataEnd] == 0) {
            dataEnd--;
        }
        for (int cut : new int[] {3, 5, 8, 17, 24, 30, 100, 1000, 5000, 20000, 40000, full.length / 2, dataEnd - 1}) {
            refused(Arrays.copyOf(full, cut)).satisfiesAnyOf(
                    e -> assertThat(e).hasMessageContaining(" is truncated (").hasMessageEndingWith(
                            ": an interrupted download? Fetch the model again."),
                    e -> assertThat(e).hasMessageContaining(" is not a GGUF model file")); // fewer than 4 bytes
        }
    }

    @Test
    void refusesImpossibleCounts() throws Exception {
        byte[] tensors = tiny();
        putLong(tensors, 8, 1L << 40);
        refused(tensors).hasMessageContaining("is damaged: impossible tensor count 1099511627776");
        byte[] pairs = tiny();
        putLong(pairs, 16, -1);
        refused(pairs).hasMessageContaining("is damaged: impossible metadata count 18446744073709551615");
    }

    @Test
    void refusesBadTensorDescriptions() throws Exception {
        // output_norm.weight: name, n_dims (4), dim (8), type (4), offset (8)
        byte[] type = tiny();
        putInt(type, after(type, "output_norm.weight") + 12, 99);
        refused(type).hasMessageContaining("the tensor output_norm.weight has the unknown type 99");

        byte[] misaligned = tiny();
        int offset = after(misaligned, "output_norm.weight") + 16;
        putLong(misaligned, offset, getLong(misaligned, offset) + 4);
        refused(misaligned).hasMessageContaining("is not aligned to 32");

        byte[] beyond = tiny();
        putLong(beyond, after(beyond, "output_norm.weight") + 16, 1L << 30);
        refused(beyond).hasMessageContaining("is truncated (the tensor output_norm.weight lies beyond the end");

        byte[] noDims = tiny();
        putInt(noDims, after(noDims, "output_norm.weight"), 0);
        refused(noDims).hasMessageContaining("the tensor output_norm.weight has 0 dimensions");

        byte[] twice = tiny();
        int k = indexOf(twice, "blk.0.attn_k.weight".getBytes(StandardCharsets.UTF_8));
        twice[k + "blk.0.attn_".length()] = 'q';
        refused(twice).hasMessageContaining("the tensor blk.0.attn_q.weight appears twice");
    }

    @Test
    void refusesInconsistentMetadata() throws Exception {
        refused(GgufWriter.tinyLlama(GgufWriter.Tiny.plain(1)).remove("general.architecture").toBytes())
                .hasMessageContaining("is damaged: it has no general.architecture");
        refused(GgufWriter.tinyLlama(GgufWriter.Tiny.plain(1)).remove("tokenizer.ggml.model").toBytes())
                .hasMessageContaining("it has no tokenizer (tokenizer.ggml.model), so it cannot be used for chat");
        refused(GgufWriter.tinyLlama(GgufWriter.Tiny.plain(1)).putF32s("tokenizer.ggml.scores", new float[3]).toBytes())
                .hasMessageContaining("tokenizer.ggml.scores has 3 entries for "
                        + GgufWriter.vocabulary(false).size() + " tokens");
        refused(GgufWriter.tinyLlama(GgufWriter.Tiny.plain(1)).putU32("tokenizer.ggml.bos_token_id", 5000).toBytes())
                .hasMessageContaining("tokenizer.ggml.bos_token_id 5000 is not a token id");
        refused(GgufWriter.tinyLlama(GgufWriter.Tiny.plain(1)).putU32("general.alignment", 24).toBytes())
                .hasMessageContaining("general.alignment 24 is not a power of two");
        refused(GgufWriter.tinyLlama(GgufWriter.Tiny.plain(1)).putString("general.architecture", "").toBytes())
                .hasMessageContaining("general.architecture is empty");
        refused(GgufWriter.tinyLlama(GgufWriter.Tiny.plain(1)).putString("llama.block_count", "one").toBytes())
                .hasMessageContaining("llama.block_count");
    }

    @Test
    void refusesVocabulariesThatWouldAbortLlamaCpp() throws Exception {
        List<String> noByte = new ArrayList<>(GgufWriter.vocabulary(false));
        noByte.set(noByte.indexOf("<0x41>"), "zz");
        refused(GgufWriter.tinyLlama(GgufWriter.Tiny.plain(1)).putStrings("tokenizer.ggml.tokens", noByte).toBytes())
                .hasMessageContaining("is damaged: its SentencePiece vocabulary has no token for the byte <0x41>");

        List<String> twice = new ArrayList<>(GgufWriter.vocabulary(false));
        twice.set(twice.indexOf("a"), "▁the");
        refused(GgufWriter.tinyLlama(GgufWriter.Tiny.plain(1)).putStrings("tokenizer.ggml.tokens", twice).toBytes())
                .hasMessageContaining("is damaged: the token '▁the' appears twice in tokenizer.ggml.tokens");
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama.attention.head_count", "llama.attention.head_count_kv", "llama.embedding_length",
            "llama.block_count", "llama.feed_forward_length"})
    void refusesZeroHyperparameters(String key) throws Exception {
        // llama.cpp divides by some of these
        refused(GgufWriter.tinyLlama(GgufWriter.Tiny.plain(1)).putU32(key, 0).toBytes())
                .hasMessageContaining("is damaged: " + key + " is 0. Fetch the model again, or use another file.");
    }

    // ----------------------------------------------------------------------------------------------- helpers

    /** The index just after the first occurrence of {@code name} (a tensor name in the tensor infos). */
    static int after(byte[] bytes, String name) {
        byte[] needle = name.getBytes(StandardCharsets.UTF_8);
        return indexOf(bytes, needle) + needle.length;
    }

    static int indexOf(byte[] bytes, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= bytes.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (bytes[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalArgumentException("not found");
    }

    static void putInt(byte[] bytes, int at, int value) {
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(at, value);
    }

    static void putLong(byte[] bytes, int at, long value) {
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(at, value);
    }

    static long getLong(byte[] bytes, int at) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(at);
    }
}

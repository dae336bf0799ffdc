package dev.parley.dialog.llama;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes real GGUF v3 files (little-endian), so the tests can load a model through llama.cpp without downloading one.
 *
 * <p>{@link #tinyLlama} builds a complete one-layer model of architecture {@code llama}: every hyperparameter
 * llama.cpp requires, a SentencePiece ("llama") vocabulary with scores and token types (the three specials, the 256
 * byte tokens and a few words), and small random F32 tensors in ggml's dimension order (the first dimension is the
 * contiguous one: {@code token_embd} is {@code [n_embd, n_vocab]}, {@code ffn_down} is {@code [n_ff, n_embd]}).
 * The model's replies are gibberish, but the whole load, tokenise, decode and sample path is the real one. Its
 * output weights for the special and byte tokens are zero, so it never samples an end token (a reply runs to the
 * token limit) and every token it samples is one visible piece of text; {@link Tiny#silent} is the opposite, a model
 * that ends its turn at once.
 *
 * <p>Layout written: header (magic, version, tensor count, key/value count), the key/value pairs, the tensor infos,
 * padding to {@code general.alignment}, then the tensor data, each tensor starting at a multiple of the alignment.
 */
final class GgufWriter {

    static final int ALIGNMENT = 32;

    // value types of the GGUF format
    private static final int UINT32 = 4, INT32 = 5, FLOAT32 = 6, BOOL = 7, STRING = 8, ARRAY = 9;
    private static final int GGML_TYPE_F32 = 0;

    /** Token ids of the tiny vocabulary. */
    static final int UNK = 0, BOS = 1, EOS = 2;

    private final Map<String, Value> metadata = new LinkedHashMap<>();
    private final List<Tensor> tensors = new ArrayList<>();

    private record Value(int type, byte[] encoded) {
    }

    private record Tensor(String name, long[] dims, float[] data) {
    }

    GgufWriter putString(String key, String value) {
        return put(key, STRING, string(value));
    }

    GgufWriter putU32(String key, int value) {
        return put(key, UINT32, le(4).putInt(value).array());
    }

    GgufWriter putF32(String key, float value) {
        return put(key, FLOAT32, le(4).putFloat(value).array());
    }

    GgufWriter putBool(String key, boolean value) {
        return put(key, BOOL, new byte[] {(byte) (value ? 1 : 0)});
    }

    GgufWriter putStrings(String key, List<String> values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(le(12).putInt(STRING).putLong(values.size()).array());
        values.forEach(v -> out.writeBytes(string(v)));
        return put(key, ARRAY, out.toByteArray());
    }

    GgufWriter putF32s(String key, float[] values) {
        ByteBuffer b = le(12 + 4L * values.length).putInt(FLOAT32).putLong(values.length);
        for (float v : values) {
            b.putFloat(v);
        }
        return put(key, ARRAY, b.array());
    }

    GgufWriter putI32s(String key, int[] values) {
        ByteBuffer b = le(12 + 4L * values.length).putInt(INT32).putLong(values.length);
        for (int v : values) {
            b.putInt(v);
        }
        return put(key, ARRAY, b.array());
    }

    /** Removes a key (to build models that lack something). */
    GgufWriter remove(String key) {
        metadata.remove(key);
        return this;
    }

    /** Removes a tensor (to build models that lack one). */
    GgufWriter withoutTensor(String name) {
        if (!tensors.removeIf(t -> t.name().equals(name))) {
            throw new IllegalArgumentException("no tensor " + name);
        }
        return this;
    }

    /** An F32 tensor; {@code dims} in ggml order (contiguous dimension first). */
    GgufWriter tensor(String name, long[] dims, float[] data) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException(name + ": " + data.length + " values for " + n + " elements");
        }
        tensors.add(new Tensor(name, dims.clone(), data));
        return this;
    }

    /** The file's bytes. */
    byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {'G', 'G', 'U', 'F'});
        out.writeBytes(le(20).putInt(3).putLong(tensors.size()).putLong(metadata.size()).array());
        metadata.forEach((key, value) -> {
            out.writeBytes(string(key));
            out.writeBytes(le(4).putInt(value.type()).array());
            out.writeBytes(value.encoded());
        });
        long offset = 0;
        List<Long> offsets = new ArrayList<>();
        for (Tensor t : tensors) {
            out.writeBytes(string(t.name()));
            ByteBuffer info = le(4 + 8L * t.dims().length + 4 + 8).putInt(t.dims().length);
            for (long d : t.dims()) {
                info.putLong(d);
            }
            info.putInt(GGML_TYPE_F32).putLong(offset);
            out.writeBytes(info.array());
            offsets.add(offset);
            offset = align(offset + 4L * t.data().length);
        }
        pad(out);
        long dataStart = out.size();
        for (int i = 0; i < tensors.size(); i++) {
            while (out.size() < dataStart + offsets.get(i)) {
                out.write(0);
            }
            float[] data = tensors.get(i).data();
            ByteBuffer b = le(4L * data.length);
            for (float v : data) {
                b.putFloat(v);
            }
            out.writeBytes(b.array());
        }
        pad(out);
        return out.toByteArray();
    }

    Path write(Path file) throws IOException {
        Files.write(file, toBytes());
        return file;
    }

    private GgufWriter put(String key, int type, byte[] encoded) {
        metadata.put(key, new Value(type, encoded));
        return this;
    }

    private static long align(long n) {
        return (n + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    private static void pad(ByteArrayOutputStream out) {
        while (out.size() % ALIGNMENT != 0) {
            out.write(0);
        }
    }

    private static byte[] string(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        return le(8L + utf8.length).putLong(utf8.length).put(utf8).array();
    }

    private static ByteBuffer le(long size) {
        return ByteBuffer.allocate(Math.toIntExact(size)).order(ByteOrder.LITTLE_ENDIAN);
    }

    // ------------------------------------------------------------------------------------------------ tiny model

    /** A ChatML template (jinja), as Qwen and many others ship; llama.cpp recognises it by {@code <|im_start|>}. */
    static final String CHATML_TEMPLATE = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n'"
            + " + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}"
            + "{{ '<|im_start|>assistant\\n' }}{% endif %}";

    /** Words of the tiny vocabulary ({@code ▁} marks a leading space, as SentencePiece does). */
    static final List<String> WORDS = List.of("▁the", "▁a", "▁is", "▁it", "▁hello", "▁world", "▁time", "▁what",
            "▁you", "▁are", "▁how", "▁now", "▁yes", "▁no", "▁one", "▁two", "▁three", "▁four", "▁five", "▁six",
            "▁seven", "▁eight", "▁nine", "▁ten", "▁sun", "▁moon", "▁star", "▁blue", "▁red", "▁green", "▁cat", "▁dog",
            "er", "ing", "ed", "es", "an", "on", "in", "at");

    /**
     * Options of {@link #tinyLlama}.
     *
     * @param seed           the weights' random seed
     * @param chatTemplate   with the ChatML markers and template (else no template)
     * @param contextLength  the trained context length it claims
     * @param endsTurnAtOnce the model's first token always ends its turn (else it never samples an end token)
     */
    record Tiny(long seed, boolean chatTemplate, int contextLength, boolean endsTurnAtOnce) {
        static Tiny plain(long seed) {
            return new Tiny(seed, false, 2048, false);
        }

        static Tiny chatml(long seed) {
            return new Tiny(seed, true, 2048, false);
        }

        /** Without template, claiming a context of 16384 tokens, so a full reply can take thousands. */
        static Tiny longContext(long seed) {
            return new Tiny(seed, false, 16384, false);
        }

        /** With the ChatML template; always answers with an end token at once. */
        static Tiny silent(long seed) {
            return new Tiny(seed, true, 2048, true);
        }
    }

    /**
     * The vocabulary of {@link #tinyLlama}: specials, bytes, [ChatML markers], letters and words. There is no bare
     * {@code ▁}: every token the model can sample shows at least one letter.
     */
    static List<String> vocabulary(boolean chatml) {
        List<String> tokens = new ArrayList<>(List.of("<unk>", "<s>", "</s>"));
        for (int b = 0; b < 256; b++) {
            tokens.add(String.format("<0x%02X>", b));
        }
        if (chatml) {
            tokens.add("<|im_start|>");
            tokens.add("<|im_end|>");
        }
        for (char c = 'a'; c <= 'z'; c++) {
            tokens.add(String.valueOf(c));
        }
        tokens.addAll(WORDS);
        return tokens;
    }

    /** A complete one-layer llama model with a SentencePiece vocabulary and random weights. */
    static GgufWriter tinyLlama(Tiny options) {
        int nEmbd = 32, nHead = 4, nHeadKv = 2, nFf = 64, nLayer = 1;
        int headDim = nEmbd / nHead;
        List<String> tokens = vocabulary(options.chatTemplate());
        int nVocab = tokens.size();
        float[] scores = new float[nVocab];
        int[] types = new int[nVocab];
        for (int i = 0; i < nVocab; i++) {
            String t = tokens.get(i);
            if (i == UNK) {
                types[i] = 2; // unknown
            } else if (i == BOS || i == EOS || t.startsWith("<|")) {
                types[i] = 3; // control
            } else if (t.startsWith("<0x")) {
                types[i] = 6; // byte
            } else {
                types[i] = 1; // normal
                scores[i] = t.length(); // SentencePiece merges prefer higher scores: words over letters
            }
        }
        GgufWriter w = new GgufWriter()
                .putString("general.architecture", "llama")
                .putString("general.name", "parley-tiny-test")
                .putU32("general.alignment", ALIGNMENT)
                .putU32("general.file_type", 0) // all F32
                .putU32("llama.context_length", options.contextLength())
                .putU32("llama.embedding_length", nEmbd)
                .putU32("llama.block_count", nLayer)
                .putU32("llama.feed_forward_length", nFf)
                .putU32("llama.attention.head_count", nHead)
                .putU32("llama.attention.head_count_kv", nHeadKv)
                .putF32("llama.attention.layer_norm_rms_epsilon", 1e-5f)
                .putU32("llama.rope.dimension_count", headDim)
                .putF32("llama.rope.freq_base", 10000f)
                .putU32("llama.vocab_size", nVocab)
                .putString("tokenizer.ggml.model", "llama")
                .putStrings("tokenizer.ggml.tokens", tokens)
                .putF32s("tokenizer.ggml.scores", scores)
                .putI32s("tokenizer.ggml.token_type", types)
                .putU32("tokenizer.ggml.unknown_token_id", UNK)
                .putU32("tokenizer.ggml.bos_token_id", BOS)
                .putU32("tokenizer.ggml.eos_token_id", EOS)
                .putBool("tokenizer.ggml.add_bos_token", true)
                .putBool("tokenizer.ggml.add_eos_token", false);
        if (options.chatTemplate()) {
            w.putString("tokenizer.chat_template", CHATML_TEMPLATE);
            w.putU32("tokenizer.ggml.eot_token_id", tokens.indexOf("<|im_end|>"));
        }
        Random random = new Random(options.seed());
        int kvDim = headDim * nHeadKv;
        w.tensor("token_embd.weight", new long[] {nEmbd, nVocab}, random(random, nEmbd * nVocab, 1.0f));
        float[] output = random(random, nEmbd * nVocab, 1.0f);
        for (int t = 0; t < nVocab; t++) {
            if (types[t] != 1) { // a zero logit: specials, end of turn and bytes are (practically) never sampled
                java.util.Arrays.fill(output, t * nEmbd, (t + 1) * nEmbd, 0f);
            }
        }
        float[] outputNorm = ones(nEmbd);
        if (options.endsTurnAtOnce()) {
            // only the first dimension of the final hidden state is kept, and its sign decides between the two
            // end tokens: whichever it is, an end token has by far the largest logit
            java.util.Arrays.fill(output, 0f);
            java.util.Arrays.fill(outputNorm, 0f);
            outputNorm[0] = 1;
            int endOfTurn = options.chatTemplate() ? tokens.indexOf("<|im_end|>") : EOS;
            int other = options.chatTemplate() ? EOS : UNK;
            output[endOfTurn * nEmbd] = 1000f;
            output[other * nEmbd] = -1000f;
        }
        w.tensor("output_norm.weight", new long[] {nEmbd}, outputNorm);
        w.tensor("output.weight", new long[] {nEmbd, nVocab}, output);
        for (int l = 0; l < nLayer; l++) {
            String p = "blk." + l + ".";
            float scale = (float) (1 / Math.sqrt(nEmbd));
            w.tensor(p + "attn_norm.weight", new long[] {nEmbd}, ones(nEmbd));
            w.tensor(p + "attn_q.weight", new long[] {nEmbd, nEmbd}, random(random, nEmbd * nEmbd, scale));
            w.tensor(p + "attn_k.weight", new long[] {nEmbd, kvDim}, random(random, nEmbd * kvDim, scale));
            w.tensor(p + "attn_v.weight", new long[] {nEmbd, kvDim}, random(random, nEmbd * kvDim, scale));
            w.tensor(p + "attn_output.weight", new long[] {nEmbd, nEmbd}, random(random, nEmbd * nEmbd, scale));
            w.tensor(p + "ffn_norm.weight", new long[] {nEmbd}, ones(nEmbd));
            w.tensor(p + "ffn_gate.weight", new long[] {nEmbd, nFf}, random(random, nEmbd * nFf, scale));
            w.tensor(p + "ffn_up.weight", new long[] {nEmbd, nFf}, random(random, nEmbd * nFf, scale));
            w.tensor(p + "ffn_down.weight", new long[] {nFf, nEmbd}, random(random, nFf * nEmbd,
                    (float) (1 / Math.sqrt(nFf))));
        }
        return w;
    }

    private static float[] random(Random random, int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) random.nextGaussian() * scale;
        }
        return a;
    }

    private static float[] ones(int n) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, 1f);
        return a;
    }
}

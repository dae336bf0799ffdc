package dev.parley.dialog.llama;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The key/value metadata of a GGUF header, and what a {@link GgufHeader} takes from it: the architecture, the
 * tokenizer (checked: its arrays agree, its special token ids exist, a SentencePiece vocabulary covers every byte), the
 * chat template, and the basic hyperparameters (positive).
 */
final class GgufMetadata {
    private static final int DEFAULT_ALIGNMENT = 32;

    private final Map<String, Object> kv;

    private GgufMetadata(Map<String, Object> kv) {
        this.kv = kv;
    }

    /** Reads {@code count} key/value pairs. */
    static GgufMetadata read(GgufReader in, long count) throws IOException {
        Map<String, Object> kv = new HashMap<>();
        for (long i = 0; i < count; i++) {
            String key = in.string("metadata key");
            if (key.isEmpty()) {
                throw new GgufDamaged("an empty metadata key");
            }
            int type = (int) in.u32();
            Object value = GgufValues.value(in, type, key, 0);
            if (kv.put(key, value) != null) {
                throw new GgufDamaged("the metadata key " + key + " appears twice");
            }
        }
        return new GgufMetadata(kv);
    }

    /** {@code general.alignment} (a power of two), or the default 32. */
    long alignment() throws GgufDamaged {
        long alignment = DEFAULT_ALIGNMENT;
        if (kv.containsKey("general.alignment")) {
            alignment = integer("general.alignment");
            if (alignment <= 0 || alignment > 1 << 20 || Long.bitCount(alignment) != 1) {
                throw new GgufDamaged("general.alignment " + alignment + " is not a power of two");
            }
        }
        return alignment;
    }

    /** The header of {@code file}, once its metadata is checked. */
    GgufHeader describe(Path file, int version, long tensorCount) throws GgufDamaged {
        String arch = string("general.architecture")
                .orElseThrow(() -> new GgufDamaged("it has no general.architecture"));
        if (arch.isBlank()) {
            throw new GgufDamaged("general.architecture is empty");
        }
        if (tensorCount == 0) {
            throw new GgufDamaged("it holds no tensors (a vocabulary-only file?)");
        }
        GgufValues.Tokens tokens = tokenizer();
        for (String key : new String[] {"embedding_length", "block_count", "attention.head_count",
                "attention.head_count_kv", "feed_forward_length"}) {
            String k = arch + "." + key;
            if (kv.containsKey(k) && !(kv.get(k) instanceof GgufValues.Array)) { // an array gives one value per layer
                long v = integer(k);
                if (v <= 0 || v > 1 << 24) {
                    throw new GgufDamaged(k + " is " + v);
                }
            }
        }
        long context = 0;
        if (kv.get(arch + ".context_length") instanceof Number) {
            context = integer(arch + ".context_length");
            if (context < 0) {
                throw new GgufDamaged(arch + ".context_length is " + context);
            }
        }
        return new GgufHeader(file, version, arch, string("general.name"), context,
                string("tokenizer.chat_template").filter(t -> !t.isBlank()), Math.toIntExact(tokens.length()),
                tensorCount);
    }

    /** The token list, once the tokenizer's metadata is checked against it. */
    private GgufValues.Tokens tokenizer() throws GgufDamaged {
        String tokenizer = string("tokenizer.ggml.model").orElseThrow(
                () -> new GgufDamaged("it has no tokenizer (tokenizer.ggml.model), so it cannot be used for chat"));
        if (!(kv.get(GgufValues.TOKENS) instanceof GgufValues.Tokens tokens) || tokens.length() == 0) {
            throw new GgufDamaged("it has no token list (" + GgufValues.TOKENS + ")");
        }
        if (tokenizer.equals("llama")) {
            checkBytes(tokens);
        }
        for (String key : new String[] {"tokenizer.ggml.scores", "tokenizer.ggml.token_type"}) {
            if (kv.get(key) instanceof GgufValues.Array a && a.length() != tokens.length()) {
                throw new GgufDamaged(key + " has " + a.length() + " entries for " + tokens.length() + " tokens");
            } else if (kv.containsKey(key) && !(kv.get(key) instanceof GgufValues.Array)) {
                throw new GgufDamaged(key + " is not an array");
            }
        }
        for (String key : new String[] {"bos", "eos", "unknown", "eot", "padding", "separator"}) {
            String k = "tokenizer.ggml." + key + "_token_id";
            if (kv.containsKey(k)) {
                long id = integer(k);
                if (id < -1 || id >= tokens.length()) {
                    throw new GgufDamaged(k + " " + id + " is not a token id (there are " + tokens.length() + ")");
                }
            }
        }
        return tokens;
    }

    /**
     * A SentencePiece vocabulary must have a token for every byte ({@code <0xNN>}, or the character itself for
     * ASCII): llama.cpp falls back to them for text it has no token for, and aborts the process when one is missing.
     */
    private static void checkBytes(GgufValues.Tokens tokens) throws GgufDamaged {
        for (int b = 0; b < 256; b++) {
            String hex = String.format("<0x%02X>", b);
            if (!tokens.texts().contains(hex) && !(b < 0x80 && tokens.texts().contains(String.valueOf((char) b)))) {
                throw new GgufDamaged("its SentencePiece vocabulary has no token for the byte " + hex);
            }
        }
    }

    private Optional<String> string(String key) throws GgufDamaged {
        Object v = kv.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof String s)) {
            throw new GgufDamaged(key + " is not a string");
        }
        return Optional.of(s);
    }

    private long integer(String key) throws GgufDamaged {
        if (!(kv.get(key) instanceof Long n)) {
            throw new GgufDamaged(key + " is not an integer");
        }
        return n;
    }
}

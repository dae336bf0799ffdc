package dev.parley.dialog.llama;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a GGUF model file says about itself, read and checked in Java before llama.cpp sees the file.
 *
 * <p>llama.cpp reports most bad files as an error, but a native library that meets a corrupt file can also abort the
 * whole JVM, and its errors say little to a user. So {@link #read} walks the whole header (magic, version, every
 * key/value pair, every tensor description) and checks that it is consistent: known value and tensor types, sizes
 * that fit in the file, tensor data that lies inside the file and is aligned, a tokenizer whose arrays agree, and
 * positive basic hyperparameters. A file that passes can still be refused by llama.cpp (an architecture it does not
 * know, a tensor of the wrong shape), which it reports as an error.
 *
 * @param file          the file
 * @param version       the GGUF version (2 or 3)
 * @param architecture  {@code general.architecture}, e.g. {@code llama}, {@code qwen2}
 * @param name          {@code general.name}, if given
 * @param contextLength the context length the model was trained with ({@code <arch>.context_length}), 0 if not given
 * @param chatTemplate  {@code tokenizer.chat_template}, if the model has one
 * @param vocabularySize the number of tokens of the tokenizer
 * @param tensorCount   the number of tensors
 */
public record GgufHeader(Path file, int version, String architecture, Optional<String> name, long contextLength,
        Optional<String> chatTemplate, int vocabularySize, long tensorCount) {

    private static final int MAGIC = 0x46554747; // "GGUF" read little-endian
    private static final long MAX_STRING = 64L << 20;
    private static final int MAX_DIMS = 4;
    private static final int MAX_NAME = 63; // GGML_MAX_NAME - 1
    private static final int DEFAULT_ALIGNMENT = 32;

    // GGUF value types
    private static final int UINT8 = 0, INT8 = 1, UINT16 = 2, INT16 = 3, UINT32 = 4, INT32 = 5, FLOAT32 = 6,
            BOOL = 7, STRING = 8, ARRAY = 9, UINT64 = 10, INT64 = 11, FLOAT64 = 12;

    /**
     * ggml tensor types this llama.cpp knows: {elements per block, bytes per block}, indexed by type id; null for ids
     * that were removed or are unknown (F32 0, F16 1, Q4_0 2, Q4_1 3, Q5_0 6, Q5_1 7, Q8_0 8, Q8_1 9, Q2_K..Q8_K
     * 10-15, IQ2_XXS 16, IQ2_XS 17, IQ3_XXS 18, IQ1_S 19, IQ4_NL 20, IQ3_S 21, IQ2_S 22, IQ4_XS 23, I8..I64 24-27,
     * F64 28, IQ1_M 29, BF16 30, TQ1_0 34, TQ2_0 35).
     */
    private static final int[][] TYPES = new int[36][];

    static {
        TYPES[0] = new int[] {1, 4};
        TYPES[1] = new int[] {1, 2};
        TYPES[2] = new int[] {32, 18};
        TYPES[3] = new int[] {32, 20};
        TYPES[6] = new int[] {32, 22};
        TYPES[7] = new int[] {32, 24};
        TYPES[8] = new int[] {32, 34};
        TYPES[9] = new int[] {32, 36};
        TYPES[10] = new int[] {256, 84};
        TYPES[11] = new int[] {256, 110};
        TYPES[12] = new int[] {256, 144};
        TYPES[13] = new int[] {256, 176};
        TYPES[14] = new int[] {256, 210};
        TYPES[15] = new int[] {256, 292};
        TYPES[16] = new int[] {256, 66};
        TYPES[17] = new int[] {256, 74};
        TYPES[18] = new int[] {256, 98};
        TYPES[19] = new int[] {256, 50};
        TYPES[20] = new int[] {32, 18};
        TYPES[21] = new int[] {256, 110};
        TYPES[22] = new int[] {256, 82};
        TYPES[23] = new int[] {256, 136};
        TYPES[24] = new int[] {1, 1};
        TYPES[25] = new int[] {1, 2};
        TYPES[26] = new int[] {1, 4};
        TYPES[27] = new int[] {1, 8};
        TYPES[28] = new int[] {1, 8};
        TYPES[29] = new int[] {256, 56};
        TYPES[30] = new int[] {1, 2};
        TYPES[34] = new int[] {256, 54};
        TYPES[35] = new int[] {256, 66};
    }

    public GgufHeader {
        name = name == null ? Optional.empty() : name;
        chatTemplate = chatTemplate == null ? Optional.empty() : chatTemplate;
    }

    /**
     * Reads and checks {@code file}'s header.
     *
     * @throws LlamaModelException with a one-line message if the file is missing, unreadable, not a GGUF file,
     *                             truncated or inconsistent
     */
    public static GgufHeader read(Path file) throws LlamaModelException {
        if (!Files.exists(file)) {
            throw new LlamaModelException("Model file not found: " + file);
        }
        if (Files.isDirectory(file)) {
            throw new LlamaModelException(file + " is a directory, not a GGUF model file");
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
        if (size == 0) {
            throw new LlamaModelException(file + " is empty, not a GGUF model file (an interrupted download?)");
        }
        try (Reader in = new Reader(new BufferedInputStream(Files.newInputStream(file), 1 << 16), size)) {
            return parse(file, in);
        } catch (Damaged e) {
            throw new LlamaModelException(file + " is damaged: " + e.getMessage()
                    + ". Fetch the model again, or use another file.");
        } catch (EOFException e) {
            throw new LlamaModelException(file + " is truncated (" + e.getMessage() + "): an interrupted download?"
                    + " Fetch the model again.");
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    private static LlamaModelException unreadable(Path file, IOException e) {
        String reason = e instanceof AccessDeniedException ? "permission denied"
                : e instanceof NoSuchFileException ? "it disappeared" : String.valueOf(e.getMessage());
        return new LlamaModelException("Cannot read the model file " + file + ": " + reason, e);
    }

    private static GgufHeader parse(Path file, Reader in) throws IOException, LlamaModelException {
        byte[] head = in.peek(64);
        if (head.length < 4 || readIntLe(head) != MAGIC) {
            throw new LlamaModelException(file + " is not a GGUF model file" + whatItIs(head));
        }
        in.u32();
        long version = in.u32();
        if (version != 2 && version != 3) {
            String hint = (version & 0xFFFF) == 0 && version != 0
                    ? " (a big-endian file: only little-endian GGUF is supported)"
                    : " (only versions 2 and 3 are supported)";
            throw new LlamaModelException(file + " is GGUF version " + version + ", which cannot be loaded" + hint);
        }
        long tensorCount = in.u64();
        long kvCount = in.u64();
        count(tensorCount, "tensor", in);
        count(kvCount, "metadata", in);
        Map<String, Object> kv = new HashMap<>();
        for (long i = 0; i < kvCount; i++) {
            String key = in.string("metadata key");
            if (key.isEmpty()) {
                throw new Damaged("an empty metadata key");
            }
            int type = (int) in.u32();
            Object value = value(in, type, key, 0);
            if (kv.put(key, value) != null) {
                throw new Damaged("the metadata key " + key + " appears twice");
            }
        }
        long alignment = DEFAULT_ALIGNMENT;
        if (kv.containsKey("general.alignment")) {
            alignment = integer(kv, "general.alignment");
            if (alignment <= 0 || alignment > 1 << 20 || Long.bitCount(alignment) != 1) {
                throw new Damaged("general.alignment " + alignment + " is not a power of two");
            }
        }
        Set<String> names = new HashSet<>();
        long[] ends = new long[] {0, 0}; // where the next tensor must start; where the data ends
        for (long i = 0; i < tensorCount; i++) {
            tensor(in, names, alignment, ends);
        }
        long dataStart = (in.position() + alignment - 1) / alignment * alignment;
        if (dataStart + ends[1] > in.size()) {
            throw new EOFException("the tensor data needs " + (dataStart + ends[1]) + " bytes but the file has "
                    + in.size());
        }
        return describe(file, (int) version, tensorCount, kv);
    }

    /** Checks a count of the header: absurd is damage, more than the rest of the file can hold is truncation. */
    private static void count(long count, String what, Reader in) throws IOException {
        if (count < 0 || count > 1 << 24) {
            throw new Damaged("impossible " + what + " count " + Long.toUnsignedString(count));
        }
        if (count > in.remaining() / 12) { // a pair or a tensor description takes at least 12 bytes
            throw new EOFException("the header lists " + count + " " + what + " entries but the file ends first");
        }
    }

    /**
     * Reads one tensor description and checks it; {@code ends[0]} is where the next tensor must start (the data seen
     * so far, padded to the alignment), {@code ends[1]} where the data seen so far ends.
     */
    private static void tensor(Reader in, Set<String> names, long alignment, long[] ends) throws IOException {
        String name = in.string("tensor name");
        if (name.isEmpty() || name.length() > MAX_NAME) {
            throw new Damaged("a tensor name of " + name.length() + " characters");
        }
        if (!names.add(name)) {
            throw new Damaged("the tensor " + name + " appears twice");
        }
        long nDims = in.u32();
        if (nDims < 1 || nDims > MAX_DIMS) {
            throw new Damaged("the tensor " + name + " has " + nDims + " dimensions");
        }
        long elements = 1;
        long first = 0;
        for (int d = 0; d < nDims; d++) {
            long dim = in.u64();
            if (dim < 1 || dim > Long.MAX_VALUE / Math.max(1, elements)) {
                throw new Damaged("the tensor " + name + " has an impossible dimension " + Long.toUnsignedString(dim));
            }
            if (d == 0) {
                first = dim;
            }
            elements *= dim;
        }
        long type = in.u32();
        int[] layout = type < TYPES.length ? TYPES[(int) type] : null;
        if (layout == null) {
            throw new Damaged("the tensor " + name + " has the unknown type " + type
                    + " (a model made for a newer llama.cpp?)");
        }
        if (first % layout[0] != 0) {
            throw new Damaged("the tensor " + name + " has a row of " + first + " values, not a multiple of its block "
                    + layout[0]);
        }
        long blocks = elements / layout[0];
        if (blocks > Long.MAX_VALUE / layout[1]) {
            throw new Damaged("the tensor " + name + " is impossibly large");
        }
        long bytes = blocks * layout[1];
        long offset = in.u64();
        if (offset < 0 || offset % alignment != 0) {
            throw new Damaged("the tensor " + name + " starts at " + Long.toUnsignedString(offset)
                    + ", which is not aligned to " + alignment);
        }
        if (offset > in.size() || bytes > in.size() - offset) {
            throw new EOFException("the tensor " + name + " lies beyond the end of the file");
        }
        if (offset != ends[0]) { // llama.cpp wants the tensors packed in order, each one aligned
            throw new Damaged("the tensor " + name + " starts at " + offset + " instead of " + ends[0]);
        }
        ends[0] = (offset + bytes + alignment - 1) / alignment * alignment;
        ends[1] = offset + bytes;
    }

    private static GgufHeader describe(Path file, int version, long tensorCount, Map<String, Object> kv)
            throws Damaged {
        String arch = string(kv, "general.architecture")
                .orElseThrow(() -> new Damaged("it has no general.architecture"));
        if (arch.isBlank()) {
            throw new Damaged("general.architecture is empty");
        }
        if (tensorCount == 0) {
            throw new Damaged("it holds no tensors (a vocabulary-only file?)");
        }
        String tokenizer = string(kv, "tokenizer.ggml.model").orElseThrow(
                () -> new Damaged("it has no tokenizer (tokenizer.ggml.model), so it cannot be used for chat"));
        if (!(kv.get(TOKENS) instanceof Tokens tokens) || tokens.length() == 0) {
            throw new Damaged("it has no token list (" + TOKENS + ")");
        }
        if (tokenizer.equals("llama")) {
            checkBytes(tokens);
        }
        for (String key : new String[] {"tokenizer.ggml.scores", "tokenizer.ggml.token_type"}) {
            if (kv.get(key) instanceof Array a && a.length() != tokens.length()) {
                throw new Damaged(key + " has " + a.length() + " entries for " + tokens.length() + " tokens");
            } else if (kv.containsKey(key) && !(kv.get(key) instanceof Array)) {
                throw new Damaged(key + " is not an array");
            }
        }
        for (String key : new String[] {"bos", "eos", "unknown", "eot", "padding", "separator"}) {
            String k = "tokenizer.ggml." + key + "_token_id";
            if (kv.containsKey(k)) {
                long id = integer(kv, k);
                if (id < -1 || id >= tokens.length()) {
                    throw new Damaged(k + " " + id + " is not a token id (there are " + tokens.length() + ")");
                }
            }
        }
        for (String key : new String[] {"embedding_length", "block_count", "attention.head_count",
                "attention.head_count_kv", "feed_forward_length"}) {
            String k = arch + "." + key;
            if (kv.containsKey(k) && !(kv.get(k) instanceof Array)) { // an array gives one value per layer
                long v = integer(kv, k);
                if (v <= 0 || v > 1 << 24) {
                    throw new Damaged(k + " is " + v);
                }
            }
        }
        long context = 0;
        if (kv.get(arch + ".context_length") instanceof Number) {
            context = integer(kv, arch + ".context_length");
            if (context < 0) {
                throw new Damaged(arch + ".context_length is " + context);
            }
        }
        return new GgufHeader(file, version, arch, string(kv, "general.name"), context,
                string(kv, "tokenizer.chat_template").filter(t -> !t.isBlank()), Math.toIntExact(tokens.length()),
                tensorCount);
    }

    // ---------------------------------------------------------------------------------------------- values

    /** An array value: its element type and length (the elements are skipped, not kept). */
    private record Array(int type, long length) {
    }

    /** The token list: its texts are kept (as ISO-8859-1, one char per byte), for {@link #checkBytes}. */
    private record Tokens(long length, Set<String> texts) {
    }

    private static final String TOKENS = "tokenizer.ggml.tokens";

    private static Object value(Reader in, int type, String key, int depth) throws IOException {
        return switch (type) {
            case UINT8 -> (long) in.u8();
            case INT8 -> (long) (byte) in.u8();
            case UINT16 -> (long) in.u16();
            case INT16 -> (long) (short) in.u16();
            case UINT32 -> in.u32();
            case INT32 -> (long) (int) in.u32();
            case FLOAT32 -> (double) Float.intBitsToFloat((int) in.u32());
            case BOOL -> {
                int b = in.u8();
                if (b > 1) {
                    throw new Damaged("the boolean " + key + " is " + b);
                }
                yield b == 1;
            }
            case STRING -> in.string(key);
            case UINT64, INT64 -> in.u64();
            case FLOAT64 -> Double.longBitsToDouble(in.u64());
            case ARRAY -> key.equals(TOKENS) && depth == 0 ? tokens(in) : array(in, key, depth);
            default -> throw new Damaged("the metadata " + key + " has the unknown type " + type);
        };
    }

    /** Reads the token list, keeping its strings ({@code tokenizer.ggml.tokens} must be an array of strings). */
    private static Object tokens(Reader in) throws IOException {
        int type = (int) in.u32();
        long length = in.u64();
        if (type != STRING) {
            throw new Damaged(TOKENS + " is not a list of strings");
        }
        if (length < 0 || length > in.remaining() / 8) {
            throw new EOFException("the array " + TOKENS + " claims " + Long.toUnsignedString(length)
                    + " elements, more than the file holds");
        }
        Set<String> texts = new HashSet<>();
        for (long i = 0; i < length; i++) {
            String text = in.rawString(TOKENS);
            if (!texts.add(text)) { // llama.cpp asserts that tokens are unique, aborting the process
                throw new Damaged("the token " + printable(text) + " appears twice in " + TOKENS);
            }
        }
        return new Tokens(length, texts);
    }

    /**
     * A SentencePiece vocabulary must have a token for every byte ({@code <0xNN>}, or the character itself for
     * ASCII): llama.cpp falls back to them for text it has no token for, and aborts the process when one is missing.
     */
    private static void checkBytes(Tokens tokens) throws Damaged {
        for (int b = 0; b < 256; b++) {
            String hex = String.format("<0x%02X>", b);
            if (!tokens.texts().contains(hex) && !(b < 0x80 && tokens.texts().contains(String.valueOf((char) b)))) {
                throw new Damaged("its SentencePiece vocabulary has no token for the byte " + hex);
            }
        }
    }

    private static Array array(Reader in, String key, int depth) throws IOException {
        if (depth > 2) {
            throw new Damaged("the metadata " + key + " nests arrays too deeply");
        }
        int type = (int) in.u32();
        long length = in.u64();
        long min = switch (type) {
            case UINT8, INT8, BOOL -> 1;
            case UINT16, INT16 -> 2;
            case UINT32, INT32, FLOAT32 -> 4;
            case UINT64, INT64, FLOAT64, STRING -> 8;
            case ARRAY -> 12;
            default -> throw new Damaged("the array " + key + " has the unknown element type " + type);
        };
        if (length < 0 || length > in.remaining() / min) {
            throw new EOFException("the array " + key + " claims " + Long.toUnsignedString(length)
                    + " elements, more than the file holds");
        }
        if (type == STRING || type == ARRAY) {
            for (long i = 0; i < length; i++) {
                if (type == STRING) {
                    in.skipString(key);
                } else {
                    array(in, key, depth + 1);
                }
            }
        } else {
            in.skip(length * min);
        }
        return new Array(type, length);
    }

    private static Optional<String> string(Map<String, Object> kv, String key) throws Damaged {
        Object v = kv.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof String s)) {
            throw new Damaged(key + " is not a string");
        }
        return Optional.of(s);
    }

    private static long integer(Map<String, Object> kv, String key) throws Damaged {
        if (!(kv.get(key) instanceof Long n)) {
            throw new Damaged(key + " is not an integer");
        }
        return n;
    }

    /** A hint at what a non-GGUF file is, from its first bytes. */
    private static String whatItIs(byte[] head) {
        String text = new String(head, StandardCharsets.ISO_8859_1).stripLeading().toLowerCase(java.util.Locale.ROOT);
        if (text.startsWith("<!doctype html") || text.startsWith("<html") || text.startsWith("<?xml")
                || text.startsWith("<")) {
            return " (it is a web page or XML: check the download address)";
        }
        if (text.startsWith("version https://git-lfs")) {
            return " (it is a Git LFS pointer, not the model itself: download the real file)";
        }
        if (text.startsWith("{")) {
            return " (it is JSON: check the download address)";
        }
        if (head.length >= 2 && head[0] == 'P' && head[1] == 'K') {
            return " (it is a zip archive: unpack the .gguf file first)";
        }
        if (head.length >= 2 && (head[0] & 0xFF) == 0x1F && (head[1] & 0xFF) == 0x8B) {
            return " (it is gzip-compressed: unpack it first)";
        }
        if (text.startsWith("ggml") || text.startsWith("ggjt") || text.startsWith("lmgg")) {
            return " (it is an old GGML file: convert it to GGUF)";
        }
        return "";
    }

    /** A token text for a message: UTF-8 decoded, control characters escaped, at most 40 characters. */
    private static String printable(String raw) {
        String text = new String(raw.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder("'");
        text.codePoints().limit(40).forEach(c -> {
            if (Character.isISOControl(c)) {
                sb.append(String.format("\\u%04x", c));
            } else {
                sb.appendCodePoint(c);
            }
        });
        return sb.append('\'').toString();
    }

    private static int readIntLe(byte[] b) {
        return (b[0] & 0xFF) | (b[1] & 0xFF) << 8 | (b[2] & 0xFF) << 16 | (b[3] & 0xFF) << 24;
    }

    /** The header is inconsistent. */
    private static final class Damaged extends IOException {
        Damaged(String message) {
            super(message);
        }
    }

    /** Little-endian reads that know the file size, so a bad length is caught before anything is allocated. */
    private static final class Reader implements AutoCloseable {
        private final InputStream in;
        private final long size;
        private long position;

        Reader(InputStream in, long size) {
            this.in = in;
            this.size = size;
        }

        long size() {
            return size;
        }

        long position() {
            return position;
        }

        long remaining() {
            return size - position;
        }

        byte[] peek(int n) throws IOException {
            in.mark(n);
            byte[] b = in.readNBytes((int) Math.min(n, size));
            in.reset();
            return b;
        }

        int u8() throws IOException {
            need(1);
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the file ended early");
            }
            position++;
            return b;
        }

        int u16() throws IOException {
            byte[] b = bytes(2);
            return (b[0] & 0xFF) | (b[1] & 0xFF) << 8;
        }

        long u32() throws IOException {
            return readIntLe(bytes(4)) & 0xFFFFFFFFL;
        }

        long u64() throws IOException {
            byte[] b = bytes(8);
            long v = 0;
            for (int i = 7; i >= 0; i--) {
                v = v << 8 | (b[i] & 0xFF);
            }
            return v;
        }

        /** A string's bytes as ISO-8859-1 (token texts need not be UTF-8, and must stay distinct). */
        String rawString(String what) throws IOException {
            return new String(bytes((int) stringLength(what)), StandardCharsets.ISO_8859_1);
        }

        String string(String what) throws IOException {
            long length = stringLength(what);
            byte[] b = bytes((int) length);
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(b))
                        .toString();
            } catch (CharacterCodingException e) {
                throw new Damaged("a " + what + " is not UTF-8 text");
            }
        }

        void skipString(String what) throws IOException {
            skip(stringLength(what));
        }

        private long stringLength(String what) throws IOException {
            long length = u64();
            if (length < 0 || length > MAX_STRING) {
                throw new Damaged("a " + what + " of " + Long.toUnsignedString(length) + " bytes");
            }
            return length;
        }

        void skip(long n) throws IOException {
            need(n);
            long left = n;
            while (left > 0) {
                long skipped = in.skip(left);
                if (skipped <= 0) {
                    if (in.read() < 0) {
                        throw new EOFException("the file ended early");
                    }
                    skipped = 1;
                }
                left -= skipped;
            }
            position += n;
        }

        private byte[] bytes(int n) throws IOException {
            need(n);
            byte[] b = in.readNBytes(n);
            if (b.length < n) {
                throw new EOFException("the file ended early");
            }
            position += n;
            return b;
        }

        private void need(long n) throws EOFException {
            if (n > size - position) {
                throw new EOFException("the header runs past the end of the file at byte " + position);
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}

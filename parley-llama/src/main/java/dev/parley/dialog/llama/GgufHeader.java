package dev.parley.dialog.llama;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a GGUF model file says about itself, read and checked in Java before llama.cpp sees the file.
 *
 * <p>llama.cpp reports most bad files as an error, but a native library that meets a corrupt file can also abort the
 * whole JVM, and its errors say little to a user. So {@link #read} walks the whole header (magic, version, every
 * key/value pair, every tensor description) and checks that it is consistent: known value and tensor types, sizes
 * that fit in the file, tensor data that lies inside the file and is aligned, a tokenizer whose arrays agree, and
 * positive basic hyperparameters. A file that passes can still be refused by llama.cpp (an architecture it does not
 * know, a tensor of the wrong shape), which it reports as an error. The reading is {@link GgufReader}'s (bytes),
 * {@link GgufValues}' (metadata values), {@link GgufTensors}' (tensor descriptions) and {@link GgufMetadata}'s (what
 * the metadata says of the architecture, the tokenizer and the chat template).
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
        try (GgufReader in = new GgufReader(new BufferedInputStream(Files.newInputStream(file), 1 << 16), size)) {
            return parse(file, in);
        } catch (GgufDamaged e) {
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

    private static GgufHeader parse(Path file, GgufReader in) throws IOException, LlamaModelException {
        byte[] head = in.peek(64);
        if (head.length < 4 || GgufReader.intLe(head) != MAGIC) {
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
        GgufMetadata metadata = GgufMetadata.read(in, kvCount);
        long alignment = metadata.alignment();
        GgufTensors tensors = new GgufTensors(alignment);
        for (long i = 0; i < tensorCount; i++) {
            tensors.next(in);
        }
        long dataStart = (in.position() + alignment - 1) / alignment * alignment;
        if (dataStart + tensors.dataEnd() > in.size()) {
            throw new EOFException("the tensor data needs " + (dataStart + tensors.dataEnd()) + " bytes but the file has "
                    + in.size());
        }
        return metadata.describe(file, (int) version, tensorCount);
    }

    /** Checks a count of the header: absurd is damage, more than the rest of the file can hold is truncation. */
    private static void count(long count, String what, GgufReader in) throws IOException {
        if (count < 0 || count > 1 << 24) {
            throw new GgufDamaged("impossible " + what + " count " + Long.toUnsignedString(count));
        }
        if (count > in.remaining() / 12) { // a pair or a tensor description takes at least 12 bytes
            throw new EOFException("the header lists " + count + " " + what + " entries but the file ends first");
        }
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
}

package dev.parley.dialog.llama;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * Reads the metadata values of a GGUF header: numbers as {@code Long} or {@code Double}, booleans, strings, arrays
 * ({@link Array}: skipped, only their type and length kept), and the token list ({@link Tokens}: its texts kept).
 */
final class GgufValues {
    static final String TOKENS = "tokenizer.ggml.tokens";

    // GGUF value types
    private static final int UINT8 = 0, INT8 = 1, UINT16 = 2, INT16 = 3, UINT32 = 4, INT32 = 5, FLOAT32 = 6,
            BOOL = 7, STRING = 8, ARRAY = 9, UINT64 = 10, INT64 = 11, FLOAT64 = 12;

    /** An array value: its element type and length (the elements are skipped, not kept). */
    record Array(int type, long length) {
    }

    /** The token list: its texts are kept (as ISO-8859-1, one char per byte), for the tokenizer's checks. */
    record Tokens(long length, Set<String> texts) {
    }

    private GgufValues() {
    }

    /** Reads the value of {@code key}, of GGUF value type {@code type}, nested {@code depth} arrays deep. */
    static Object value(GgufReader in, int type, String key, int depth) throws IOException {
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
                    throw new GgufDamaged("the boolean " + key + " is " + b);
                }
                yield b == 1;
            }
            case STRING -> in.string(key);
            case UINT64, INT64 -> in.u64();
            case FLOAT64 -> Double.longBitsToDouble(in.u64());
            case ARRAY -> key.equals(TOKENS) && depth == 0 ? tokens(in) : array(in, key, depth);
            default -> throw new GgufDamaged("the metadata " + key + " has the unknown type " + type);
        };
    }

    /** Reads the token list, keeping its strings ({@code tokenizer.ggml.tokens} must be an array of strings). */
    private static Object tokens(GgufReader in) throws IOException {
        int type = (int) in.u32();
        long length = in.u64();
        if (type != STRING) {
            throw new GgufDamaged(TOKENS + " is not a list of strings");
        }
        if (length < 0 || length > in.remaining() / 8) {
            throw new EOFException("the array " + TOKENS + " claims " + Long.toUnsignedString(length)
                    + " elements, more than the file holds");
        }
        Set<String> texts = new HashSet<>();
        for (long i = 0; i < length; i++) {
            String text = in.rawString(TOKENS);
            if (!texts.add(text)) { // llama.cpp asserts that tokens are unique, aborting the process
                throw new GgufDamaged("the token " + printable(text) + " appears twice in " + TOKENS);
            }
        }
        return new Tokens(length, texts);
    }

    private static Array array(GgufReader in, String key, int depth) throws IOException {
        if (depth > 2) {
            throw new GgufDamaged("the metadata " + key + " nests arrays too deeply");
        }
        int type = (int) in.u32();
        long length = in.u64();
        long min = switch (type) {
            case UINT8, INT8, BOOL -> 1;
            case UINT16, INT16 -> 2;
            case UINT32, INT32, FLOAT32 -> 4;
            case UINT64, INT64, FLOAT64, STRING -> 8;
            case ARRAY -> 12;
            default -> throw new GgufDamaged("the array " + key + " has the unknown element type " + type);
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
}

package dev.parley.dialog.llama;

import java.io.EOFException;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/**
 * The tensor descriptions of a GGUF header, read and checked one after the other: a known type, a shape that fits its
 * blocks, and data that lies inside the file, aligned, packed in order.
 */
final class GgufTensors {
    private static final int MAX_DIMS = 4;
    private static final int MAX_NAME = 63; // GGML_MAX_NAME - 1

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

    private final long alignment;
    private final Set<String> names = new HashSet<>();
    /** Where the next tensor must start: the data seen so far, padded to the alignment. */
    private long nextOffset;
    /** Where the data seen so far ends. */
    private long dataEnd;

    GgufTensors(long alignment) {
        this.alignment = alignment;
    }

    /** Where the tensor data ends, relative to its start (after every description was read). */
    long dataEnd() {
        return dataEnd;
    }

    /** Reads one tensor description and checks it. */
    void next(GgufReader in) throws IOException {
        String name = in.string("tensor name");
        if (name.isEmpty() || name.length() > MAX_NAME) {
            throw new GgufDamaged("a tensor name of " + name.length() + " characters");
        }
        if (!names.add(name)) {
            throw new GgufDamaged("the tensor " + name + " appears twice");
        }
        long nDims = in.u32();
        if (nDims < 1 || nDims > MAX_DIMS) {
            throw new GgufDamaged("the tensor " + name + " has " + nDims + " dimensions");
        }
        long elements = 1;
        long first = 0;
        for (int d = 0; d < nDims; d++) {
            long dim = in.u64();
            if (dim < 1 || dim > Long.MAX_VALUE / Math.max(1, elements)) {
                throw new GgufDamaged("the tensor " + name + " has an impossible dimension " + Long.toUnsignedString(dim));
            }
            if (d == 0) {
                first = dim;
            }
            elements *= dim;
        }
        long type = in.u32();
        int[] layout = type < TYPES.length ? TYPES[(int) type] : null;
        if (layout == null) {
            throw new GgufDamaged("the tensor " + name + " has the unknown type " + type
                    + " (a model made for a newer llama.cpp?)");
        }
        if (first % layout[0] != 0) {
            throw new GgufDamaged("the tensor " + name + " has a row of " + first + " values, not a multiple of its block "
                    + layout[0]);
        }
        long blocks = elements / layout[0];
        if (blocks > Long.MAX_VALUE / layout[1]) {
            throw new GgufDamaged("the tensor " + name + " is impossibly large");
        }
        long bytes = blocks * layout[1];
        long offset = in.u64();
        if (offset < 0 || offset % alignment != 0) {
            throw new GgufDamaged("the tensor " + name + " starts at " + Long.toUnsignedString(offset)
                    + ", which is not aligned to " + alignment);
        }
        if (offset > in.size() || bytes > in.size() - offset) {
            throw new EOFException("the tensor " + name + " lies beyond the end of the file");
        }
        if (offset != nextOffset) { // llama.cpp wants the tensors packed in order, each one aligned
            throw new GgufDamaged("the tensor " + name + " starts at " + offset + " instead of " + nextOffset);
        }
        nextOffset = (offset + bytes + alignment - 1) / alignment * alignment;
        dataEnd = offset + bytes;
    }
}

package dev.parley.embedded.models;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a tar stream: POSIX ustar (with the {@code prefix} field), GNU long names ({@code L}/{@code
 * K} entries) and pax extended headers ({@code x}, whose {@code path}, {@code linkpath} and {@code
 * size} records apply to the next entry; global {@code g} headers are skipped). Sizes may be octal
 * or GNU base-256. Header checksums are verified.
 *
 * <p>Usage: {@code for (Entry e; (e = tar.next()) != null; ) read(tar.content());}
 *
 * <p>Kept rather than Commons Compress's {@code TarArchiveInputStream}: these 270 lines read every tar format the
 * model archives use, where the library would add 2.2 MB to every install (commons-compress 1.28.0, commons-lang3,
 * and MaryTTS's commons-io moved from 2.5 to 2.20) to read archives whose SHA-256 is checked before they are opened.
 */
final class TarReader {

    /** One archive member. {@code name} is the raw (not yet sanitized) path. */
    record Entry(String name, char type, long size, String linkName) {
        boolean isFile() {
            return (type == '0' || type == '\0' || type == '7') && !name.endsWith("/");
        }

        boolean isDirectory() {
            return type == '5' || ((type == '0' || type == '\0') && name.endsWith("/"));
        }
    }

    private static final int BLOCK = 512;
    private static final int MAX_META = 1 << 20; // long names / pax headers larger than this are bogus

    private final InputStream in;
    private final byte[] header = new byte[BLOCK];
    private long remaining; // unread content bytes of the current entry
    private long padding; // padding after the current entry's content
    private boolean ended;

    TarReader(InputStream in) {
        this.in = in;
    }

    /** Advances to the next member (skipping the rest of the current one); {@code null} at the end. */
    Entry next() throws IOException {
        if (ended) {
            return null;
        }
        skip(remaining + padding);
        remaining = padding = 0;

        String longName = null;
        String longLink = null;
        Map<String, String> pax = Map.of();
        while (true) {
            if (!readBlock()) {
                ended = true; // EOF without the end-of-archive blocks; tolerated like GNU tar does
                return null;
            }
            if (isZero(header)) {
                ended = true;
                return null;
            }
            verifyChecksum();
            char type = (char) (header[156] & 0xff);
            long size = number(124, 12);
            switch (type) {
                case 'L' -> longName = cString(readMeta(size), 0, (int) size);
                case 'K' -> longLink = cString(readMeta(size), 0, (int) size);
                case 'x' -> pax = parsePax(readMeta(size));
                case 'g' -> readMeta(size); // global defaults: nothing we rely on
                default -> {
                    String name = longName != null ? longName : ustarName();
                    String link = longLink != null ? longLink : cString(header, 157, 100);
                    name = pax.getOrDefault("path", name);
                    link = pax.getOrDefault("linkpath", link);
                    if (pax.containsKey("size")) {
                        size = parsePaxSize(pax.get("size"));
                    }
                    // links, devices, fifos and directories have no content; anything else (regular
                    // files, and unknown types we will skip) is followed by `size` bytes
                    boolean hasContent = "123456".indexOf(type) < 0;
                    remaining = hasContent ? size : 0;
                    padding = padding(remaining);
                    return new Entry(name, type, size, link);
                }
            }
        }
    }

    /** The current member's content; reading stops at its end. Closing it does not close the archive. */
    InputStream content() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (remaining <= 0) {
                    return -1;
                }
                int n = in.read(b, off, (int) Math.min(len, remaining));
                if (n < 0) {
                    throw new ArchiveException("tar archive is truncated");
                }
                remaining -= n;
                return n;
            }
        };
    }

    private boolean readBlock() throws IOException {
        int n = in.readNBytes(header, 0, BLOCK);
        if (n == 0) {
            return false;
        }
        if (n < BLOCK) {
            throw new ArchiveException("tar archive is truncated");
        }
        return true;
    }

    private byte[] readMeta(long size) throws IOException {
        if (size < 0 || size > MAX_META) {
            throw new ArchiveException("tar extended header too large: " + size + " bytes");
        }
        byte[] data = in.readNBytes((int) size);
        if (data.length < size) {
            throw new ArchiveException("tar archive is truncated");
        }
        skip(padding(size));
        return data;
    }

    private void skip(long n) throws IOException {
        try {
            in.skipNBytes(n);
        } catch (EOFException e) {
            throw new ArchiveException("tar archive is truncated", e);
        }
    }

    private String ustarName() {
        String name = cString(header, 0, 100);
        boolean posix = header[257] == 'u' && header[258] == 's' && header[259] == 't' && header[260] == 'a'
                && header[261] == 'r' && header[262] == 0;
        if (posix) {
            String prefix = cString(header, 345, 155);
            if (!prefix.isEmpty()) {
                return prefix + "/" + name;
            }
        }
        return name;
    }

    private void verifyChecksum() throws ArchiveException {
        long stored = number(148, 8);
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            int b = (i >= 148 && i < 156) ? ' ' : header[i];
            unsigned += b & 0xff;
            signed += (i >= 148 && i < 156) ? ' ' : header[i];
        }
        if (stored != unsigned && stored != signed) {
            throw new ArchiveException("tar header checksum mismatch (not a tar archive, or damaged)");
        }
    }

    /** Parses an octal field, or a GNU base-256 one (high bit of the first byte set). */
    private long number(int offset, int length) throws ArchiveException {
        if ((header[offset] & 0x80) != 0) {
            if ((header[offset] & 0x40) != 0) {
                throw new ArchiveException("negative number in tar header");
            }
            long value = header[offset] & 0x3f;
            for (int i = 1; i < length; i++) {
                if (value > (Long.MAX_VALUE >> 8)) {
                    throw new ArchiveException("number too large in tar header");
                }
                value = (value << 8) | (header[offset + i] & 0xff);
            }
            return value;
        }
        long value = 0;
        int i = offset;
        int end = offset + length;
        while (i < end && (header[i] == ' ' || header[i] == 0)) {
            i++;
        }
        for (; i < end && header[i] != 0 && header[i] != ' '; i++) {
            int digit = header[i] - '0';
            if (digit < 0 || digit > 7) {
                throw new ArchiveException("bad octal number in tar header (not a tar archive, or damaged)");
            }
            value = (value << 3) + digit;
        }
        return value;
    }

    /** Parses pax records {@code "<len> <key>=<value>\n"}. */
    private static Map<String, String> parsePax(byte[] data) throws ArchiveException {
        Map<String, String> records = new HashMap<>();
        int pos = 0;
        while (pos < data.length) {
            if (data[pos] == 0) {
                break; // padding some writers leave
            }
            int space = pos;
            while (space < data.length && data[space] != ' ') {
                space++;
            }
            int length;
            try {
                length = Integer.parseInt(new String(data, pos, space - pos, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw new ArchiveException("malformed pax header", e);
            }
            int end = pos + length;
            if (length <= 0 || end > data.length || end <= space + 1 || data[end - 1] != '\n') {
                throw new ArchiveException("malformed pax header");
            }
            String record = new String(data, space + 1, end - space - 2, StandardCharsets.UTF_8);
            int eq = record.indexOf('=');
            if (eq <= 0) {
                throw new ArchiveException("malformed pax header");
            }
            records.put(record.substring(0, eq), record.substring(eq + 1));
            pos = end;
        }
        return records;
    }

    private static long parsePaxSize(String value) throws ArchiveException {
        try {
            long size = Long.parseLong(value);
            if (size < 0) {
                throw new NumberFormatException(value);
            }
            return size;
        } catch (NumberFormatException e) {
            throw new ArchiveException("malformed pax size: " + value, e);
        }
    }

    private static String cString(byte[] bytes, int offset, int length) {
        int end = offset;
        while (end < offset + length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static long padding(long size) {
        long rest = size % BLOCK;
        return rest == 0 ? 0 : BLOCK - rest;
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}

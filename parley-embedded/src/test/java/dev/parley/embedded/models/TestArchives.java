package dev.parley.embedded.models;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Builds small archives for tests: a minimal tar writer (ustar, GNU long names, pax) and zips. */
final class TestArchives {

    /** How a tar entry's name is stored. */
    enum Style {
        /** ustar header, long names split into prefix + name. */
        USTAR,
        /** GNU {@code ././@LongLink} 'L' entry before the header. */
        GNU_LONG_NAME,
        /** pax 'x' extended header with a {@code path} record. */
        PAX
    }

    /** A tar member; {@code data == null} means a directory. */
    record TarEntry(String name, byte[] data, Style style) {
        static TarEntry file(String name, String content, Style style) {
            return new TarEntry(name, content.getBytes(StandardCharsets.UTF_8), style);
        }

        static TarEntry file(String name, byte[] content, Style style) {
            return new TarEntry(name, content, style);
        }

        static TarEntry dir(String name) {
            return new TarEntry(name, null, Style.USTAR);
        }
    }

    private TestArchives() {}

    static byte[] tgz(TarEntry... entries) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
                gz.write(tar(entries));
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] tar(TarEntry... entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (TarEntry e : entries) {
            char type = e.data() == null ? '5' : '0';
            long size = e.data() == null ? 0 : e.data().length;
            byte[] nameBytes = e.name().getBytes(StandardCharsets.UTF_8);
            switch (e.style()) {
                case GNU_LONG_NAME -> {
                    byte[] longName = Arrays.copyOf(nameBytes, nameBytes.length + 1);
                    out.writeBytes(header("././@LongLink", longName.length, 'L', "", false));
                    writePadded(out, longName);
                    out.writeBytes(header(truncate(e.name(), 100), size, type, "", false));
                }
                case PAX -> {
                    byte[] pax = paxRecord("path", e.name());
                    out.writeBytes(header("PaxHeaders.0/" + truncate(lastSegment(e.name()), 80), pax.length, 'x', "",
                            true));
                    writePadded(out, pax);
                    out.writeBytes(header(truncate(e.name(), 100), size, type, "", true));
                }
                case USTAR -> {
                    String name = e.name();
                    String prefix = "";
                    if (nameBytes.length > 100) {
                        int cut = name.indexOf('/');
                        while (cut >= 0 && name.length() - cut - 1 > 100) {
                            cut = name.indexOf('/', cut + 1);
                        }
                        if (cut < 0 || cut > 155) {
                            throw new IllegalArgumentException("name does not fit ustar: " + name);
                        }
                        prefix = name.substring(0, cut);
                        name = name.substring(cut + 1);
                    }
                    out.writeBytes(header(name, size, type, prefix, true));
                }
            }
            if (e.data() != null) {
                writePadded(out, e.data());
            }
        }
        out.writeBytes(new byte[1024]); // end-of-archive
        return out.toByteArray();
    }

    static byte[] zip(Map<String, byte[]> entries) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
                for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                    zip.putNextEntry(new ZipEntry(e.getKey()));
                    if (e.getValue() != null) {
                        zip.write(e.getValue());
                    }
                    zip.closeEntry();
                }
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An .aar-like zip with a Vosk-style model under {@code assets/model-en-us/}, plus unrelated entries. */
    static byte[] voskLikeAar() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("AndroidManifest.xml", utf8("<manifest/>"));
        entries.put("assets/", null);
        entries.put("assets/model-en-us/", null);
        entries.put("assets/model-en-us/README", utf8("small model"));
        entries.put("assets/model-en-us/am/", null);
        entries.put("assets/model-en-us/am/final.mdl", utf8("acoustic model"));
        entries.put("assets/model-en-us/conf/model.conf", utf8("--min-active=200"));
        entries.put("assets/model-en-us/graph/phones/word_boundary.int", utf8("1 nonword"));
        entries.put("assets/model-en-us/ivector/", null);
        entries.put("assets/model-en-us/ivector/final.ie", new byte[70_000]);
        entries.put("model-en-us/", null);
        return zip(entries);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] header(String name, long size, char type, String prefix, boolean posix) {
        byte[] h = new byte[512];
        put(h, 0, name, 100);
        put(h, 100, "0000644", 8);
        put(h, 108, "0000000", 8);
        put(h, 116, "0000000", 8);
        put(h, 124, String.format("%011o", size), 12);
        put(h, 136, String.format("%011o", 1_700_000_000L), 12);
        h[156] = (byte) type;
        if (posix) {
            put(h, 257, "ustar", 6); // "ustar\0"
            put(h, 263, "00", 2);
        } else {
            put(h, 257, "ustar  ", 8); // old GNU "ustar  \0"
        }
        put(h, 265, "root", 32);
        put(h, 297, "root", 32);
        if (posix) {
            put(h, 345, prefix, 155);
        }
        Arrays.fill(h, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, String.format("%06o", sum), 7); // six digits, NUL, then the space already there
        return h;
    }

    private static byte[] paxRecord(String key, String value) {
        int body = 1 + key.getBytes(StandardCharsets.UTF_8).length + 1 + value.getBytes(StandardCharsets.UTF_8).length + 1;
        int length = body + String.valueOf(body).length();
        if (String.valueOf(length).length() != String.valueOf(body).length()) {
            length = body + String.valueOf(length).length();
        }
        return (length + " " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static void put(byte[] h, int offset, String value, int max) {
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        if (b.length > max) {
            throw new IllegalArgumentException("too long for tar field: " + value);
        }
        System.arraycopy(b, 0, h, offset, b.length);
    }

    private static void writePadded(ByteArrayOutputStream out, byte[] data) {
        out.writeBytes(data);
        int rest = data.length % 512;
        if (rest != 0) {
            out.writeBytes(new byte[512 - rest]);
        }
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    private static String lastSegment(String s) {
        return s.substring(s.lastIndexOf('/') + 1);
    }
}

package dev.parley.embedded.models;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Enumeration;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Extracts a file or a directory from a zip or tar.gz archive, refusing entries whose path would
 * escape the destination ("zip slip"); a plain file ({@link Source.Format#FILE}) is copied as it is.
 *
 * <p>Hand-written on the JDK's zip and gzip because Commons Compress would not shorten it: its {@code Expander}
 * extracts a whole archive, not one file or one directory's subtree, so the selection and the path checks stay.
 */
final class Archives {

    private static final Logger log = LoggerFactory.getLogger(Archives.class);

    private Archives() {}

    /**
     * Extracts {@code what} from {@code archive} into the empty directory {@code dest}.
     *
     * @return the extracted file ({@code dest/<file name>}) or directory ({@code dest/content})
     * @throws ArchiveException if the archive is malformed, holds an unsafe entry, or lacks what is wanted
     * @throws IOException if writing fails
     */
    static Path extract(Path archive, Source.Format format, Extract what, Path dest) throws IOException {
        Target target = switch (what) {
            case Extract.File f -> new FileTarget(normalize(f.entryPath()), dest.resolve(f.fileName()));
            case Extract.Directory d -> new DirectoryTarget(normalize(d.prefix()), dest.resolve("content"));
        };
        switch (format) {
            case ZIP -> extractZip(archive, target);
            case TAR_GZ -> extractTarGz(archive, target);
            case FILE -> {
                if (!(what instanceof Extract.File f)) {
                    throw new ArchiveException("a single file cannot be installed as a directory");
                }
                try (InputStream in = Files.newInputStream(archive)) {
                    target.file(normalize(f.entryPath()), in);
                }
            }
        }
        return target.result();
    }

    private static void extractZip(Path archive, Target target) throws IOException {
        ZipFile zip;
        try {
            zip = new ZipFile(archive.toFile());
        } catch (ZipException e) {
            throw new ArchiveException("not a valid zip archive (" + e.getMessage() + ")", e);
        }
        try (zip) {
            for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements(); ) {
                ZipEntry entry = entries.nextElement();
                String name = normalize(entry.getName());
                if (entry.isDirectory()) {
                    target.directory(name);
                } else if (target.wants(name)) {
                    try (InputStream in = zip.getInputStream(entry)) {
                        target.file(name, in);
                    } catch (ZipException e) {
                        throw new ArchiveException("damaged zip entry " + entry.getName(), e);
                    }
                }
            }
        }
    }

    private static void extractTarGz(Path archive, Target target) throws IOException {
        try (InputStream raw = Files.newInputStream(archive);
                InputStream gz = gunzip(new BufferedInputStream(raw, 64 * 1024))) {
            TarReader tar = new TarReader(gz);
            for (TarReader.Entry entry; (entry = tar.next()) != null; ) {
                String name = normalize(entry.name());
                if (entry.isDirectory()) {
                    target.directory(name);
                } else if (entry.isFile()) {
                    if (target.wants(name)) {
                        target.file(name, tar.content());
                    }
                } else if (target.wants(name)) {
                    log.warn("Skipping tar entry {} of unsupported type '{}'", entry.name(), entry.type());
                }
            }
        } catch (ZipException e) {
            throw new ArchiveException("not a valid gzip stream (" + e.getMessage() + ")", e);
        }
    }

    private static InputStream gunzip(InputStream in) throws IOException {
        try {
            return new GZIPInputStream(in, 64 * 1024);
        } catch (ZipException e) {
            throw new ArchiveException("not a gzip-compressed tar archive", e);
        }
    }

    /**
     * Normalizes an entry path to {@code a/b/c} form (no leading {@code ./}, no {@code .} or {@code
     * ..} segments, no trailing slash).
     *
     * @throws ArchiveException if the path is absolute or climbs above the archive root
     */
    static String normalize(String entryName) throws ArchiveException {
        String name = entryName.replace('\\', '/');
        if (name.startsWith("/") || name.matches("^[A-Za-z]:.*") || name.indexOf('\0') >= 0) {
            throw unsafe(entryName);
        }
        Deque<String> parts = new ArrayDeque<>();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    throw unsafe(entryName);
                }
                parts.removeLast();
            } else {
                parts.addLast(part);
            }
        }
        return String.join("/", parts);
    }

    private static ArchiveException unsafe(String entryName) {
        return new ArchiveException("unsafe entry '" + entryName + "' points outside the model directory");
    }

    /** Resolves a normalized relative entry path below {@code root}, double-checking it stays inside. */
    private static Path inside(Path root, String relative, String entryName) throws ArchiveException {
        Path path = root.resolve(relative).normalize();
        if (!path.startsWith(root)) {
            throw unsafe(entryName);
        }
        return path;
    }

    /** Where wanted entries go. */
    private sealed interface Target permits FileTarget, DirectoryTarget {
        boolean wants(String name);

        void directory(String name) throws IOException;

        void file(String name, InputStream content) throws IOException;

        Path result() throws ArchiveException;
    }

    private static final class FileTarget implements Target {
        private final String entry;
        private final Path file;
        private boolean found;

        FileTarget(String entry, Path file) {
            this.entry = entry;
            this.file = file;
        }

        @Override
        public boolean wants(String name) {
            return name.equals(entry);
        }

        @Override
        public void directory(String name) {}

        @Override
        public void file(String name, InputStream content) throws IOException {
            Files.copy(content, file, StandardCopyOption.REPLACE_EXISTING);
            found = true;
        }

        @Override
        public Path result() throws ArchiveException {
            if (!found) {
                throw new ArchiveException("the archive has no file " + entry);
            }
            return file;
        }
    }

    private static final class DirectoryTarget implements Target {
        private final String prefix;
        private final Path root;
        private int files;

        DirectoryTarget(String prefix, Path root) {
            this.prefix = prefix;
            this.root = root;
        }

        @Override
        public boolean wants(String name) {
            return name.startsWith(prefix + "/");
        }

        @Override
        public void directory(String name) throws IOException {
            if (wants(name)) {
                Files.createDirectories(inside(root, name.substring(prefix.length() + 1), name));
            }
        }

        @Override
        public void file(String name, InputStream content) throws IOException {
            Path path = inside(root, name.substring(prefix.length() + 1), name);
            Files.createDirectories(path.getParent());
            Files.copy(content, path, StandardCopyOption.REPLACE_EXISTING);
            files++;
        }

        @Override
        public Path result() throws ArchiveException {
            if (files == 0) {
                throw new ArchiveException("the archive has no files under " + prefix + "/");
            }
            return root;
        }
    }
}

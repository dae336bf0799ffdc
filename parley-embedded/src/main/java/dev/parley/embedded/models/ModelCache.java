package dev.parley.embedded.models;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory of installed models, filled on demand.
 *
 * <p>Layout of the cache root, for a model with id {@code <id>}:
 *
 * <ul>
 *   <li>{@code <id><ext>} or {@code <id>/} — the installed file or directory;
 *   <li>{@code <id>.installed} — marker holding the archive's SHA-256, written last: without it the
 *       model counts as not installed and any leftovers are removed and fetched again;
 *   <li>{@code <id>.lock} — lock file serializing installs across processes;
 *   <li>{@code .<id>~*} — temporary download and extraction files.
 * </ul>
 *
 * <p>{@link #ensure} first looks for the archive in the local Maven repository, then downloads it;
 * the archive is verified (size, SHA-256) before anything is extracted, extraction happens in a
 * temporary directory that is then moved into place atomically. Thread-safe; several processes may
 * share one cache.
 */
public final class ModelCache {

    private static final Logger log = LoggerFactory.getLogger(ModelCache.class);

    /** Default time without any received byte after which a download is abandoned. */
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(30);

    /** Connect timeout of {@link #defaultHttpClient()}. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** In-process locks by lock file; FileLock alone does not exclude threads of the same JVM. */
    private static final Map<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

    private final Path root;
    private final Repositories repositories;
    private final Downloader downloader;
    private final ProgressListener listener;

    /**
     * @param root the cache directory, created when needed (see {@link #defaultRoot()})
     * @param repositories where to look for and download archives (see {@link Repositories#fromEnvironment()})
     * @param http the client for downloads (see {@link #defaultHttpClient()})
     * @param listener told about downloads
     */
    public ModelCache(Path root, Repositories repositories, HttpClient http, ProgressListener listener) {
        this(root, repositories, http, listener, DEFAULT_STALL_TIMEOUT);
    }

    /** As {@link #ModelCache(Path, Repositories, HttpClient, ProgressListener)}, with a custom stall timeout. */
    public ModelCache(Path root, Repositories repositories, HttpClient http, ProgressListener listener,
            Duration stallTimeout) {
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
        this.repositories = Objects.requireNonNull(repositories, "repositories");
        this.downloader = new Downloader(Objects.requireNonNull(http, "http"), stallTimeout);
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** A cache at {@link #defaultRoot()} using the environment's repositories and {@link #defaultHttpClient()}. */
    public static ModelCache createDefault(ProgressListener listener) {
        return new ModelCache(defaultRoot(), Repositories.fromEnvironment(), defaultHttpClient(), listener);
    }

    /** {@code $PARLEY_HOME/models} if {@code PARLEY_HOME} is set, else {@code ~/.cache/parley/models}. */
    public static Path defaultRoot() {
        return defaultRoot(System.getenv(), System.getProperty("user.home"));
    }

    static Path defaultRoot(Map<String, String> env, String userHome) {
        String home = env.get("PARLEY_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home.strip(), "models");
        }
        return Path.of(userHome, ".cache", "parley", "models");
    }

    /** An HTTP client with a 10 s connect timeout ({@link #CONNECT_TIMEOUT}) that follows redirects. */
    public static HttpClient defaultHttpClient() {
        return HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /** The cache directory. */
    public Path root() {
        return root;
    }

    /** Where {@code spec} is (or would be) installed. */
    public Path installPath(ModelSpec spec) {
        return switch (spec.extract()) {
            case Extract.File f -> root.resolve(spec.id() + f.extension());
            case Extract.Directory d -> root.resolve(spec.id());
        };
    }

    /** Whether {@code spec} is completely installed. Never touches the network. */
    public boolean isInstalled(ModelSpec spec) {
        Path marker = markerPath(spec);
        try {
            return Files.exists(installPath(spec), LinkOption.NOFOLLOW_LINKS)
                    && Files.readString(marker, StandardCharsets.US_ASCII).strip().equals(spec.sha256());
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Returns the installed model file or directory, fetching and installing it first if needed.
     *
     * @throws ModelFetchException with a one-line, user-facing message if it cannot be fetched or installed
     */
    public Path ensure(ModelSpec spec) throws ModelFetchException {
        Path installed = installPath(spec);
        if (isInstalled(spec)) {
            return installed;
        }
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw diskFailure(spec, e);
        }
        Path lockFile = root.resolve(spec.id() + ".lock");
        ReentrantLock lock = LOCKS.computeIfAbsent(realPath(lockFile), k -> new ReentrantLock());
        try {
            lock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelFetchException("Fetching " + spec.name() + " was interrupted", e);
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock fileLock = acquire(channel, spec); // released when the channel closes
            if (isInstalled(spec)) { // another thread or process got there first
                return installed;
            }
            install(spec, installed);
            fileLock.release();
            return installed;
        } catch (IOException e) {
            throw diskFailure(spec, e);
        } finally {
            lock.unlock();
        }
    }

    private FileLock acquire(FileChannel channel, ModelSpec spec) throws IOException {
        FileLock lock = channel.tryLock();
        if (lock == null) {
            log.info("Waiting for another process to finish fetching {}", spec.name());
            lock = channel.lock();
        }
        return lock;
    }

    /** Installs {@code spec}; the caller holds its lock. */
    private void install(ModelSpec spec, Path installed) throws ModelFetchException, IOException {
        removeLeftovers(spec, installed);
        Optional<Path> local = localArchive(spec);
        URI origin;
        Path archive;
        if (local.isPresent()) {
            archive = local.get();
            origin = archive.toUri();
            log.info("Installing {} from {}", spec.name(), archive);
        } else {
            origin = spec.source().uri(repositories);
            archive = Files.createTempFile(root, tempPrefix(spec) + "download-", ".part");
            log.info("Fetching {} ({}) from {}", spec.name(), spec.displaySize(), Source.redact(origin));
            listener.started(spec, spec.size());
            downloader.download(spec, origin, archive, listener, spec.source().hint(repositories));
        }
        Path extractDir = Files.createTempDirectory(root, tempPrefix(spec) + "extract-");
        try {
            Path extracted;
            if (spec.source().format() == Source.Format.FILE && local.isEmpty()) {
                extracted = archive; // the verified download is the model file: no copy of a multi-GB file
            } else {
                try {
                    extracted = Archives.extract(archive, spec.source().format(), spec.extract(), extractDir);
                } catch (ArchiveException e) {
                    throw new ModelFetchException("Could not install " + spec.name() + ": the archive from "
                            + Source.redact(origin) + " is unusable (" + e.getMessage() + "). It was not installed;"
                            + " report this to the Parley developers.", e);
                }
            }
            move(extracted, installed);
            writeMarker(spec);
        } finally {
            deleteQuietly(extractDir);
            if (local.isEmpty()) {
                deleteQuietly(archive);
            }
        }
        log.info("Installed {} in {}", spec.name(), installed);
        if (local.isEmpty()) {
            listener.finished(spec, installed);
        }
    }

    /** The archive in the local Maven repository, if it is there and intact. */
    private Optional<Path> localArchive(ModelSpec spec) {
        Optional<Path> candidate = spec.source().localCopy(repositories).filter(Files::isRegularFile);
        if (candidate.isEmpty()) {
            return Optional.empty();
        }
        Path file = candidate.get();
        try {
            if ((!spec.sizeKnown() || Files.size(file) == spec.size()) && Sha256.of(file).equals(spec.sha256())) {
                return candidate;
            }
            log.warn("Ignoring {}: its size or SHA-256 does not match {}", file, spec.name());
        } catch (IOException e) {
            log.warn("Ignoring {}: {}", file, e.toString());
        }
        return Optional.empty();
    }

    /** Removes a stale marker, a partial install and temporary files of earlier, interrupted attempts. */
    private void removeLeftovers(ModelSpec spec, Path installed) throws IOException {
        Files.deleteIfExists(markerPath(spec)); // first, so a half-removed install never looks valid
        if (Files.exists(installed, LinkOption.NOFOLLOW_LINKS)) {
            log.info("Removing incomplete install of {} at {}", spec.name(), installed);
            deleteRecursively(installed);
        }
        String prefix = tempPrefix(spec);
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(root, prefix + "*")) {
            for (Path leftover : leftovers) {
                deleteRecursively(leftover);
            }
        }
    }

    private void writeMarker(ModelSpec spec) throws IOException {
        Path temp = Files.createTempFile(root, tempPrefix(spec) + "marker-", ".tmp");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            channel.write(StandardCharsets.US_ASCII.encode(spec.sha256() + "\n"));
            channel.force(true);
        }
        move(temp, markerPath(spec));
    }

    private static void move(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            // same directory, so this should not happen; the marker still guards against half-installs
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private Path markerPath(ModelSpec spec) {
        return root.resolve(spec.id() + ".installed");
    }

    /** Prefix of temporary names; '~' cannot occur in ids, so prefixes of different models never overlap. */
    private static String tempPrefix(ModelSpec spec) {
        return "." + spec.id() + "~";
    }

    private static Path realPath(Path file) {
        try {
            return file.getParent().toRealPath().resolve(file.getFileName());
        } catch (IOException e) {
            return file;
        }
    }

    private ModelFetchException diskFailure(ModelSpec spec, IOException e) {
        String reason = e instanceof NoSuchFileException || e.getMessage() == null
                ? e.getClass().getSimpleName() + " " + Objects.toString(e.getMessage(), "")
                : e.getMessage();
        String room = spec.sizeKnown() ? "at least " + ModelSpec.formatBytes(spec.size() * 3) : "enough space";
        return new ModelFetchException("Could not install " + spec.name() + " into " + root + ": "
                + ModelFetchException.oneLine(reason) + ". Check that the directory is writable and has " + room
                + " free, or set PARLEY_HOME to another location.", e);
    }

    private static void deleteQuietly(Path path) {
        try {
            deleteRecursively(path);
        } catch (IOException e) {
            log.debug("Could not delete {} (removed on the next install): {}", path, e.toString());
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException error) throws IOException {
                if (error != null) {
                    throw error;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}

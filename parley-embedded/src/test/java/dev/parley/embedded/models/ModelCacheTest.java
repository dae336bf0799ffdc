package dev.parley.embedded.models;

import static dev.parley.embedded.models.TestArchives.TarEntry.dir;
import static dev.parley.embedded.models.TestArchives.TarEntry.file;
import static dev.parley.embedded.models.TestArchives.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.embedded.models.TestArchives.Style;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ModelCacheTest {

    private static final String LONG_DIR = "package/dist/" + "very-long-directory-name/".repeat(5);
    private static final byte[] ONNX = new byte[100_000];

    static {
        new java.util.Random(42).nextBytes(ONNX); // incompressible, so the archive is ~100 KB
    }

    private static final byte[] TGZ = TestArchives.tgz(
            file("package/package.json", "{\"name\":\"vad-web\"}", Style.USTAR),
            dir("package/dist/"),
            file(LONG_DIR + "gnu-long-name-" + "x".repeat(80) + ".js", "gnu", Style.GNU_LONG_NAME),
            file(LONG_DIR + "pax-long-name-" + "y".repeat(80) + ".js", "pax", Style.PAX),
            file(LONG_DIR + "ustar-prefix.js", "ustar", Style.USTAR),
            file("package/dist/silero_vad_v5.onnx", ONNX, Style.USTAR),
            file("package/README.md", "readme", Style.USTAR));
    private static final byte[] AAR = TestArchives.voskLikeAar();

    private static final ModelSpec VAD = new ModelSpec("test-vad", "Test VAD", new Source.NpmTarball("@test/vad-web", "1.0.0"),
            Sha256.of(TGZ), TGZ.length, new Extract.File("package/dist/silero_vad_v5.onnx"));
    private static final ModelSpec VOSK = new ModelSpec("test-vosk-1.0", "Test Vosk model",
            new Source.MavenArtifact("org.example.models", "vosk-test", "1.0", "aar"), Sha256.of(AAR), AAR.length,
            new Extract.Directory("assets/model-en-us/"));
    private static final String VAD_PATH = "/@test/vad-web/-/vad-web-1.0.0.tgz";
    private static final String VOSK_PATH = "/maven2/org/example/models/vosk-test/1.0/vosk-test-1.0.aar";

    @TempDir
    Path temp;

    private TestServer server;
    private Path root;
    private Path m2;

    @BeforeEach
    void setUp() throws IOException {
        server = new TestServer().route(VAD_PATH, TestServer.ok(TGZ)).route(VOSK_PATH, TestServer.ok(AAR));
        root = temp.resolve("cache/models");
        m2 = temp.resolve("m2");
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private Repositories repositories(URI base) {
        return new Repositories(URI.create(base + "/maven2/"), base, m2);
    }

    private ModelCache cache() {
        return cache(ProgressListener.NONE, Duration.ofSeconds(5));
    }

    private ModelCache cache(ProgressListener listener, Duration stallTimeout) {
        return new ModelCache(root, repositories(server.base()), ModelCache.defaultHttpClient(), listener, stallTimeout);
    }

    @Test
    void installsSingleFileFromTarball() throws Exception {
        Path installed = cache().ensure(VAD);

        assertThat(installed).isEqualTo(root.resolve("test-vad.onnx"));
        assertThat(Files.readAllBytes(installed)).isEqualTo(ONNX);
        assertThat(root.resolve("test-vad.installed")).hasContent(VAD.sha256());
        assertThat(cache().isInstalled(VAD)).isTrue();
        assertNoTemporaryFiles();
    }

    @Test
    void installsDirectoryFromZip() throws Exception {
        Path installed = cache().ensure(VOSK);

        assertThat(installed).isEqualTo(root.resolve("test-vosk-1.0")).isDirectory();
        assertThat(installed.resolve("am/final.mdl")).hasContent("acoustic model");
        assertThat(installed.resolve("conf/model.conf")).hasContent("--min-active=200");
        assertThat(installed.resolve("graph/phones/word_boundary.int")).hasContent("1 nonword");
        assertThat(installed.resolve("ivector/final.ie")).hasSize(70_000);
        assertThat(installed.resolve("README")).exists();
        assertThat(installed.resolve("AndroidManifest.xml")).doesNotExist();
        assertThat(installed.resolve("assets")).doesNotExist();
        assertNoTemporaryFiles();
    }

    @Test
    void secondEnsureDoesNoRequest() throws Exception {
        Path first = cache().ensure(VAD);
        Path second = cache().ensure(VAD);
        Path third = new ModelCache(root, repositories(URI.create("http://127.0.0.1:1")),
                ModelCache.defaultHttpClient(), ProgressListener.NONE).ensure(VAD);

        assertThat(second).isEqualTo(first);
        assertThat(third).isEqualTo(first);
        assertThat(server.requests()).isEqualTo(1);
    }

    @Test
    void usesArchiveFromLocalMavenRepositoryWithoutNetwork() throws Exception {
        Path local = m2.resolve("org/example/models/vosk-test/1.0/vosk-test-1.0.aar");
        Files.createDirectories(local.getParent());
        Files.write(local, AAR);
        List<String> events = Collections.synchronizedList(new ArrayList<>());

        Path installed = cache(recorder(events), Duration.ofSeconds(5)).ensure(VOSK);

        assertThat(installed.resolve("am/final.mdl")).hasContent("acoustic model");
        assertThat(server.requests()).isZero();
        assertThat(local).exists(); // never moved or deleted
        assertThat(events).isEmpty();
    }

    @Test
    void ignoresCorruptCopyInLocalMavenRepository() throws Exception {
        Path local = m2.resolve("org/example/models/vosk-test/1.0/vosk-test-1.0.aar");
        Files.createDirectories(local.getParent());
        byte[] corrupt = AAR.clone();
        corrupt[100] ^= 1;
        Files.write(local, corrupt);

        Path installed = cache().ensure(VOSK);

        assertThat(installed.resolve("am/final.mdl")).hasContent("acoustic model");
        assertThat(server.requests()).isEqualTo(1);
    }

    @Test
    void checksumMismatchNamesBothHashesAndInstallsNothing() {
        String wrong = "0".repeat(64);
        ModelSpec spec = new ModelSpec(VAD.id(), VAD.name(), VAD.source(), wrong, VAD.size(), VAD.extract());

        assertThatThrownBy(() -> cache().ensure(spec))
                .isInstanceOf(ModelFetchException.class)
                .hasMessageContaining("expected sha256 " + wrong)
                .hasMessageContaining("but got " + VAD.sha256())
                .hasMessageContaining("discarded")
                .hasMessageContaining(server.base() + VAD_PATH)
                .satisfies(e -> assertOneLine(e.getMessage()));
        assertThat(cache().isInstalled(spec)).isFalse();
        assertThat(root.resolve("test-vad.onnx")).doesNotExist();
        assertNoTemporaryFiles();
    }

    @ParameterizedTest
    @ValueSource(ints = {404, 500})
    void httpErrorGivesOneLineMessageNamingTheUrl(int status) {
        server.route(VOSK_PATH, TestServer.status(status));

        assertThatThrownBy(() -> cache().ensure(VOSK))
                .isInstanceOf(ModelFetchException.class)
                .hasMessageStartingWith("Could not fetch Test Vosk model from " + server.base() + VOSK_PATH
                        + ": HTTP " + status + ".")
                .hasMessageContaining("PARLEY_MAVEN_REPO")
                .hasMessageContaining(m2.resolve("org/example/models/vosk-test/1.0/vosk-test-1.0.aar").toString())
                .satisfies(e -> assertOneLine(e.getMessage()));
        assertThat(root.resolve("test-vosk-1.0")).doesNotExist();
        assertNoTemporaryFiles();
    }

    @Test
    void npmFailureHintsAtNpmRegistryVariable() {
        server.route(VAD_PATH, TestServer.status(404));

        assertThatThrownBy(() -> cache().ensure(VAD))
                .hasMessageContaining("HTTP 404")
                .hasMessageContaining("PARLEY_NPM_REGISTRY");
    }

    @Test
    void stalledDownloadTimesOut() {
        server.route(VAD_PATH, TestServer.stall(TGZ, TGZ.length / 3));

        long start = System.nanoTime();
        assertThatThrownBy(() -> cache(ProgressListener.NONE, Duration.ofMillis(400)).ensure(VAD))
                .isInstanceOf(ModelFetchException.class)
                .hasMessageContaining(server.base() + VAD_PATH)
                .hasMessageContaining("no data received for 400 ms")
                .satisfies(e -> assertOneLine(e.getMessage()));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertNoTemporaryFiles();
    }

    @Test
    void connectionRefused() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ModelCache cache = new ModelCache(root, repositories(URI.create("http://127.0.0.1:" + port)),
                ModelCache.defaultHttpClient(), ProgressListener.NONE);

        assertThatThrownBy(() -> cache.ensure(VOSK))
                .isInstanceOf(ModelFetchException.class)
                .hasMessageContaining("http://127.0.0.1:" + port + VOSK_PATH)
                .hasMessageContaining("connection refused")
                .satisfies(e -> assertOneLine(e.getMessage()));
    }

    @Test
    void truncatedDownloadIsDiscarded() {
        server.route(VAD_PATH, TestServer.truncate(TGZ, TGZ.length / 2));

        assertThatThrownBy(() -> cache().ensure(VAD))
                .isInstanceOf(ModelFetchException.class)
                .hasMessageContaining(server.base() + VAD_PATH)
                .hasMessageContaining("of " + TGZ.length + " bytes")
                .satisfies(e -> assertOneLine(e.getMessage()));
        assertThat(cache().isInstalled(VAD)).isFalse();
        assertNoTemporaryFiles();
    }

    @Test
    void partialPreviousInstallIsRedone() throws Exception {
        Path dir = root.resolve("test-vosk-1.0");
        Files.createDirectories(dir.resolve("am"));
        Files.writeString(dir.resolve("am/final.mdl"), "half written");
        Files.writeString(dir.resolve("stale"), "x");
        Files.createDirectories(root.resolve(".test-vosk-1.0~extract-123/content"));
        Files.writeString(root.resolve(".test-vosk-1.0~download-456.part"), "partial");

        assertThat(cache().isInstalled(VOSK)).isFalse();
        Path installed = cache().ensure(VOSK);

        assertThat(installed.resolve("am/final.mdl")).hasContent("acoustic model");
        assertThat(installed.resolve("stale")).doesNotExist();
        assertThat(server.requests()).isEqualTo(1);
        assertNoTemporaryFiles();
    }

    @Test
    void markerForOtherArchiveIsNotTrusted() throws Exception {
        cache().ensure(VAD);
        Files.writeString(root.resolve("test-vad.installed"), "f".repeat(64));

        cache().ensure(VAD);

        assertThat(server.requests()).isEqualTo(2);
        assertThat(root.resolve("test-vad.installed")).hasContent(VAD.sha256());
    }

    @Test
    void zipSlipEntryIsRejected() {
        byte[] evil = TestArchives.zip(Map.of(
                "assets/model-en-us/am/final.mdl", utf8("ok"),
                "assets/model-en-us/../../../../evil.txt", utf8("pwned")));
        ModelSpec spec = new ModelSpec(VOSK.id(), VOSK.name(), VOSK.source(), Sha256.of(evil), evil.length,
                VOSK.extract());
        server.route(VOSK_PATH, TestServer.ok(evil));

        assertThatThrownBy(() -> cache().ensure(spec))
                .isInstanceOf(ModelFetchException.class)
                .hasMessageContaining("unsafe entry 'assets/model-en-us/../../../../evil.txt'")
                .satisfies(e -> assertOneLine(e.getMessage()));
        assertThat(cache().isInstalled(spec)).isFalse();
        assertThat(root.resolve("test-vosk-1.0")).doesNotExist();
        try (Stream<Path> all = Files.walk(temp)) {
            assertThat(all.filter(p -> p.getFileName().toString().equals("evil.txt"))).isEmpty();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertNoTemporaryFiles();
    }

    @Test
    void missingEntryIsReported() {
        ModelSpec spec = new ModelSpec(VAD.id(), VAD.name(), VAD.source(), VAD.sha256(), VAD.size(),
                new Extract.File("package/dist/missing.onnx"));

        assertThatThrownBy(() -> cache().ensure(spec))
                .isInstanceOf(ModelFetchException.class)
                .hasMessageContaining("no file package/dist/missing.onnx");
        assertNoTemporaryFiles();
    }

    @Test
    void concurrentEnsuresDownloadOnce() throws Exception {
        server.route(VOSK_PATH, TestServer.ok(AAR, 20)); // slow enough for the callers to overlap
        int callers = 6;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<Path>> results = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                ModelCache cache = cache(); // separate instances, as separate processes would have
                Callable<Path> call = () -> {
                    go.await();
                    return cache.ensure(VOSK);
                };
                results.add(pool.submit(call));
            }
            go.countDown();
            Path expected = root.resolve("test-vosk-1.0");
            for (Future<Path> result : results) {
                assertThat(result.get()).isEqualTo(expected);
            }
            assertThat(expected.resolve("am/final.mdl")).hasContent("acoustic model");
            assertThat(server.requests()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void progressIsMonotonicAndEndsAtTotal() throws Exception {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        List<Long> progress = Collections.synchronizedList(new ArrayList<>());
        ProgressListener listener = new ProgressListener() {
            @Override
            public void started(ModelSpec spec, long totalBytes) {
                events.add("started " + totalBytes);
            }

            @Override
            public void progress(ModelSpec spec, long bytes, long totalBytes) {
                assertThat(totalBytes).isEqualTo(AAR.length);
                progress.add(bytes);
            }

            @Override
            public void finished(ModelSpec spec, Path installed) {
                events.add("finished " + installed.getFileName());
            }
        };

        cache(listener, Duration.ofSeconds(5)).ensure(VOSK);

        assertThat(events).containsExactly("started " + AAR.length, "finished test-vosk-1.0");
        assertThat(progress).isNotEmpty().isSorted();
        assertThat(progress.getLast()).isEqualTo((long) AAR.length);
    }

    private static ProgressListener recorder(List<String> events) {
        return new ProgressListener() {
            @Override
            public void started(ModelSpec spec, long totalBytes) {
                events.add("started");
            }

            @Override
            public void progress(ModelSpec spec, long bytes, long totalBytes) {
                events.add("progress");
            }

            @Override
            public void finished(ModelSpec spec, Path installed) {
                events.add("finished");
            }
        };
    }

    private static void assertOneLine(String message) {
        assertThat(message).doesNotContain("\n", "\r").doesNotContain("Exception");
    }

    private void assertNoTemporaryFiles() {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.list(root)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("."));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}

package dev.parley.embedded.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Source.Url}: a single model file at a plain address, of a size the server tells. */
class UrlSourceTest {

    private static final byte[] FILE = new byte[150_000];

    static {
        new Random(7).nextBytes(FILE);
    }

    private static final String SHA = Sha256.of(FILE);

    @TempDir
    Path temp;

    private TestServer server;
    private Path root;
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void setUp() throws Exception {
        server = new TestServer()
                .route("/files/Model-Q4_K_M.gguf", TestServer.ok(FILE))
                .route("/files/chunked.gguf", (exchange, release) -> {
                    exchange.sendResponseHeaders(200, 0); // chunked: no Content-Length
                    exchange.getResponseBody().write(FILE);
                })
                .route("/files/cut.gguf", TestServer.truncate(FILE, 60_000));
        root = temp.resolve("models");
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private ModelCache cache() {
        ProgressListener recorder = new ProgressListener() {
            @Override
            public void started(ModelSpec spec, long totalBytes) {
                events.add("started " + totalBytes);
            }

            @Override
            public void progress(ModelSpec spec, long bytes, long totalBytes) {
                events.add(bytes + "/" + totalBytes);
            }

            @Override
            public void finished(ModelSpec spec, Path installed) {
                events.add("finished");
            }
        };
        return new ModelCache(root, new Repositories(server.base(), server.base(), temp.resolve("m2")),
                ModelCache.defaultHttpClient(), recorder, Duration.ofSeconds(5));
    }

    private Source.Url url(String path) {
        return new Source.Url(URI.create(server.base() + path));
    }

    private List<String> leftovers() throws Exception {
        try (Stream<Path> files = Files.list(root)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> !n.endsWith(".lock")).toList();
        }
    }

    @Test
    void specIsNamedAfterTheFileAndTheChecksum() {
        ModelSpec spec = new Source.Url(URI.create("https://example.org/a/b/Qwen2.5-0.5B-Instruct-Q4_K_M.gguf?download=true"))
                .spec("AB".repeat(32));

        assertThat(spec.id()).isEqualTo("qwen2.5-0.5b-instruct-q4_k_m-abababababab");
        assertThat(spec.name()).isEqualTo("Qwen2.5-0.5B-Instruct-Q4_K_M.gguf");
        assertThat(spec.sha256()).isEqualTo("ab".repeat(32));
        assertThat(spec.size()).isEqualTo(ModelSpec.UNKNOWN_SIZE);
        assertThat(spec.sizeKnown()).isFalse();
        assertThat(spec.displaySize()).isEqualTo("unknown size");
        assertThat(spec.source().format()).isEqualTo(Source.Format.FILE);
        assertThat(((Extract.File) spec.extract()).extension()).isEqualTo(".gguf");
        assertThat(spec.source()).hasToString("https://example.org/a/b/Qwen2.5-0.5B-Instruct-Q4_K_M.gguf?…");
        assertThat(new Source.Url(URI.create("https://example.org/")).spec(SHA).id())
                .isEqualTo("model-" + SHA.substring(0, 12));
        assertThat(new Source.Url(URI.create("https://example.org/%20weird%20name!.bin")).spec(SHA).id())
                .isEqualTo("weird-name-" + SHA.substring(0, 12));
    }

    @Test
    void refusesOtherSchemesAndCredentials() {
        assertThatThrownBy(() -> new Source.Url(URI.create("ftp://example.org/m.gguf")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("not an http(s) URL: ftp://example.org/m.gguf");
        assertThatThrownBy(() -> new Source.Url(URI.create("https://me:pw@example.org/m.gguf?sig=1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a model URL may not contain a user name or password: https://example.org/m.gguf?…");
        assertThatThrownBy(() -> new ModelSpec("x", "x", url("/x"), SHA, 0, new Extract.File("x")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void installsTheFileAsItIsWithTheServersLength() throws Exception {
        ModelSpec spec = url("/files/Model-Q4_K_M.gguf").spec(SHA);

        Path installed = cache().ensure(spec);

        assertThat(installed).isEqualTo(root.resolve("model-q4_k_m-" + SHA.substring(0, 12) + ".gguf"));
        assertThat(Files.readAllBytes(installed)).isEqualTo(FILE);
        assertThat(cache().isInstalled(spec)).isTrue();
        assertThat(events.getFirst()).isEqualTo("started -1");
        assertThat(events.get(1)).endsWith("/" + FILE.length);
        assertThat(events).contains(FILE.length + "/" + FILE.length).endsWith("finished");
        assertThat(leftovers()).containsExactlyInAnyOrder(installed.getFileName().toString(), spec.id() + ".installed");
        assertThat(cache().ensure(spec)).isEqualTo(installed);
        assertThat(server.requests()).isEqualTo(1);
    }

    @Test
    void installsAChunkedDownloadOfNoAnnouncedLength() throws Exception {
        Path installed = cache().ensure(url("/files/chunked.gguf").spec(SHA));

        assertThat(Files.readAllBytes(installed)).isEqualTo(FILE);
        assertThat(events).contains(FILE.length + "/-1");
    }

    @Test
    void aChecksumMismatchLeavesNothing() throws Exception {
        String wrong = "0".repeat(64);

        assertThatThrownBy(() -> cache().ensure(url("/files/Model-Q4_K_M.gguf").spec(wrong)))
                .isInstanceOf(ModelFetchException.class)
                .hasMessageStartingWith("Checksum mismatch for Model-Q4_K_M.gguf from " + server.base()
                        + "/files/Model-Q4_K_M.gguf: expected sha256 " + wrong + " but got " + SHA
                        + "; the download was discarded. Check that 127.0.0.1 is reachable");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void aCutDownloadNamesWhatArrived() throws Exception {
        assertThatThrownBy(() -> cache().ensure(url("/files/cut.gguf").spec(SHA)))
                .isInstanceOf(ModelFetchException.class)
                .hasMessageContaining("Could not fetch cut.gguf from " + server.base() + "/files/cut.gguf: ")
                .hasMessageContaining("of " + FILE.length + " bytes; the partial download was discarded");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void aPlainFileIsCopiedAsItIsAndCannotBeADirectory() throws Exception {
        Path file = Files.write(temp.resolve("m.gguf"), FILE);
        Path dest = Files.createDirectories(temp.resolve("out"));

        Path out = Archives.extract(file, Source.Format.FILE, new Extract.File("model.gguf"), dest);

        assertThat(out).isEqualTo(dest.resolve("model.gguf"));
        assertThat(Files.readAllBytes(out)).isEqualTo(FILE);
        assertThat(file).exists();
        assertThatThrownBy(() -> Archives.extract(file, Source.Format.FILE, new Extract.Directory("x/"),
                Files.createDirectories(temp.resolve("out2"))))
                .isInstanceOf(ArchiveException.class).hasMessage("a single file cannot be installed as a directory");
    }

    @Test
    void consoleProgressLearnsTheSizeFromTheServer() {
        ModelSpec spec = url("/files/Model-Q4_K_M.gguf").spec(SHA);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressListener console = ProgressListener.console(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);

        console.started(spec, spec.size());
        console.progress(spec, 1 << 20, 4 << 20);
        console.finished(spec, Path.of("/cache/m.gguf"));

        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("\rFetching Model-Q4_K_M.gguf … 0%"
                + "\rFetching Model-Q4_K_M.gguf (4.0 MB) … 25%"
                + "\rFetching Model-Q4_K_M.gguf (4.0 MB) … done\n");
    }
}

package dev.parley.dialog.llama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.parley.dialog.TextStream;
import dev.parley.embedded.models.ModelCache;
import dev.parley.embedded.models.ModelSpec;
import dev.parley.embedded.models.ProgressListener;
import dev.parley.embedded.models.Repositories;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model given as a path or as a URL fetched into the model cache from a local HTTP server. */
class LlamaModelSourceTest {

    @TempDir
    Path temp;

    private static final byte[] GGUF = GgufWriter.tinyLlama(GgufWriter.Tiny.chatml(21)).toBytes();
    private static final String SHA = sha256(GGUF);

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private final List<String> progress = Collections.synchronizedList(new ArrayList<>());
    private Path root;

    @BeforeEach
    void serve() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/models/tiny-chat.Q8_0.gguf", exchange -> {
            requests.incrementAndGet();
            try (exchange) {
                exchange.sendResponseHeaders(200, GGUF.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    for (int off = 0; off < GGUF.length; off += 16 * 1024) {
                        out.write(GGUF, off, Math.min(16 * 1024, GGUF.length - off));
                    }
                }
            }
        });
        server.createContext("/page.gguf", exchange -> {
            requests.incrementAndGet();
            byte[] page = "<!DOCTYPE html><html><body>Sign in</body></html>".getBytes();
            try (exchange) {
                exchange.sendResponseHeaders(200, page.length);
                exchange.getResponseBody().write(page);
            }
        });
        server.start();
        root = temp.resolve("cache");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private ModelCache cache() {
        ProgressListener recorder = new ProgressListener() {
            @Override
            public void started(ModelSpec spec, long totalBytes) {
                progress.add("started " + spec.name() + " " + totalBytes);
            }

            @Override
            public void progress(ModelSpec spec, long bytes, long totalBytes) {
                progress.add(bytes + "/" + totalBytes);
            }

            @Override
            public void finished(ModelSpec spec, Path installed) {
                progress.add("finished " + installed.getFileName());
            }
        };
        return new ModelCache(root, new Repositories(URI.create("http://127.0.0.1:1/maven2"),
                URI.create("http://127.0.0.1:1/npm"), temp.resolve("m2")), ModelCache.defaultHttpClient(), recorder,
                Duration.ofSeconds(5));
    }

    private List<Path> cacheFiles() throws Exception {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(root)) {
            return files.filter(f -> !f.getFileName().toString().endsWith(".lock")).toList();
        }
    }

    @Test
    void aUrlIsFetchedOnceVerifiedAndLoads() throws Exception {
        Path model = LlamaModelSource.resolve(url("/models/tiny-chat.Q8_0.gguf"), SHA.toUpperCase(), cache());

        assertThat(model).isEqualTo(root.resolve("tiny-chat.q8_0-" + SHA.substring(0, 12) + ".gguf"));
        assertThat(Files.readAllBytes(model)).isEqualTo(GGUF);
        assertThat(progress.getFirst()).isEqualTo("started tiny-chat.Q8_0.gguf -1");
        assertThat(progress).contains(GGUF.length + "/" + GGUF.length)
                .endsWith("finished " + model.getFileName());
        try (LlamaBrain brain = LlamaBrain.open(new LlamaSettings(model, 1024, 1, 4, 0.7, 1, ""))) {
            TextStream reply = brain.newDialog().respond(List.of(), "hello");
            assertThat(reply.next()).isNotBlank();
            reply.close();
        }

        Path again = LlamaModelSource.resolve(url("/models/tiny-chat.Q8_0.gguf"), SHA, cache());
        assertThat(again).isEqualTo(model);
        assertThat(requests).hasValue(1); // the second time it is in the cache
    }

    @Test
    void aChecksumMismatchIsAnErrorAndLeavesNoFile() throws Exception {
        String wrong = "ab".repeat(32);

        assertThatThrownBy(() -> LlamaModelSource.resolve(url("/models/tiny-chat.Q8_0.gguf"), wrong, cache()))
                .isInstanceOf(LlamaModelException.class)
                .hasMessageStartingWith("Checksum mismatch for tiny-chat.Q8_0.gguf from " + url("/models/tiny-chat.Q8_0.gguf"))
                .hasMessageContaining("expected sha256 " + wrong + " but got " + SHA + "; the download was discarded.")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThat(cacheFiles()).isEmpty();
    }

    @Test
    void aWebPageWithItsOwnChecksumIsCaughtWhenLoading() throws Exception {
        byte[] page = "<!DOCTYPE html><html><body>Sign in</body></html>".getBytes();
        Path file = LlamaModelSource.resolve(url("/page.gguf"), sha256(page), cache());

        assertThatThrownBy(() -> LlamaBrain.open(new LlamaSettings(file, 1024, 1, 4, 0.7, 1, "")))
                .isInstanceOf(LlamaModelException.class)
                .hasMessage(file + " is not a GGUF model file (it is a web page or XML: check the download address)");
    }

    @Test
    void urlErrors() {
        assertThatThrownBy(() -> LlamaModelSource.resolve(url("/models/tiny-chat.Q8_0.gguf"), null, cache()))
                .isInstanceOf(LlamaModelException.class)
                .hasMessage("A model URL needs the file's SHA-256 checksum, so that a damaged or changed download is"
                        + " caught: give it along with " + url("/models/tiny-chat.Q8_0.gguf") + ".");
        assertThatThrownBy(() -> LlamaModelSource.resolve(url("/missing.gguf"), SHA, cache()))
                .isInstanceOf(LlamaModelException.class)
                .hasMessageStartingWith("Could not fetch missing.gguf from " + url("/missing.gguf") + ": HTTP 404.");
        assertThatThrownBy(() -> LlamaModelSource.resolve("ftp://example.org/m.gguf", SHA, cache()))
                .isInstanceOf(LlamaModelException.class)
                .hasMessage("Cannot fetch a model from a ftp: URL; give an https URL or a file path.");
        assertThatThrownBy(() -> LlamaModelSource.resolve("https://user:secret@example.org/m.gguf", SHA, cache()))
                .isInstanceOf(LlamaModelException.class)
                .hasMessage("Cannot use the model URL: a model URL may not contain a user name or password:"
                        + " https://example.org/m.gguf")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret"));
        assertThatThrownBy(() -> LlamaModelSource.resolve(url("/m.gguf?token=secret"), "xyz", cache()))
                .isInstanceOf(LlamaModelException.class)
                .hasMessage("Not a SHA-256 checksum (64 hex digits): xyz");
        assertThatThrownBy(() -> LlamaModelSource.resolve(url("/m.gguf?token=secret"), SHA, cache()))
                .isInstanceOf(LlamaModelException.class)
                .hasMessageStartingWith("Could not fetch m.gguf from " + url("/m.gguf") + "?…: HTTP 404.")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret"));
        assertThatThrownBy(() -> LlamaModelSource.resolve("  ", null, cache()))
                .isInstanceOf(LlamaModelException.class)
                .hasMessage("No model given: name a GGUF file or an https URL of one.");
    }

    @Test
    void aLocalPathIsUsedAsItIsAndCheckedWhenAChecksumIsGiven() throws Exception {
        Path file = Files.write(temp.resolve("local.gguf"), GGUF);

        assertThat(LlamaModelSource.resolve(file.toString(), null, cache())).isEqualTo(file);
        assertThat(LlamaModelSource.resolve(file.toUri().toString(), SHA, cache())).isEqualTo(file);
        assertThat(LlamaModelSource.resolve(" " + file + " ", " " + SHA + " ", cache())).isEqualTo(file);
        String wrong = "0".repeat(64);
        assertThatThrownBy(() -> LlamaModelSource.resolve(file.toString(), wrong, cache()))
                .isInstanceOf(LlamaModelException.class)
                .hasMessage("Checksum mismatch for " + file + ": expected sha256 " + wrong + " but got " + SHA
                        + ". The file is damaged or a different one.");
        Path missing = temp.resolve("missing.gguf");
        assertThatThrownBy(() -> LlamaModelSource.resolve(missing.toString(), null, cache()))
                .isInstanceOf(LlamaModelException.class)
                .hasMessage("Model file not found: " + missing);
        assertThatThrownBy(() -> LlamaModelSource.resolve(temp.toString(), null, cache()))
                .isInstanceOf(LlamaModelException.class)
                .hasMessage(temp + " is not a file: name the .gguf file itself.");
        assertThat(requests).hasValue(0);
    }

    @Test
    void tildeIsTheHomeDirectory() throws Exception {
        assertThatThrownBy(() -> LlamaModelSource.resolve("~/parley-no-such-model.gguf", null, cache()))
                .isInstanceOf(LlamaModelException.class)
                .hasMessage("Model file not found: " + Path.of(System.getProperty("user.home"),
                        "parley-no-such-model.gguf"));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

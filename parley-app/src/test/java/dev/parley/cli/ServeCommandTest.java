package dev.parley.cli;

import dev.parley.embedded.models.ModelCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.parley.cli.ReplyCommandTest.parley;
import static org.assertj.core.api.Assertions.assertThat;

class ServeCommandTest {
    private static final Pattern READY = Pattern.compile("open (https?://\\S+/) in a browser");

    @TempDir
    Path home;

    @Test
    void withNoArgumentsParleyServesTheBrowserClientTheWebSocketAndHealth() throws Exception {
        Files.writeString(home.resolve("parley.yaml"), "port: 0\n");
        Process server = child(List.of(), false);
        try {
            URI base = awaitReady(server);
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(base.resolve("/healthz")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(base).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).containsIgnoringCase("<html");
            assertThat(firstEvent(http, URI.create("ws" + base.toString().substring(4) + "v1/realtime"))).contains("\"type\":\"session.created\"");
        } finally {
            stop(server);
        }
    }

    @Test
    void tlsServesHttpsAndWssWithASelfSignedCertificateKeptInTheCache() throws Exception {
        Process server = child(List.of("serve", "--port", "0", "--tls"), true);
        URI base;
        try {
            base = awaitReady(server);
            assertThat(base.getScheme()).isEqualTo("https");
            Path cert = home.resolve("tls/localhost-cert.pem");
            assertThat(cert).exists();
            HttpClient http = HttpClient.newBuilder().sslContext(trusting(cert)).build();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(base.resolve("/healthz")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(firstEvent(http, URI.create("wss" + base.toString().substring(5) + "v1/realtime"))).contains("\"type\":\"session.created\"");
        } finally {
            stop(server);
        }
    }

    @Test
    void badServerSettingsAreOneLineErrors() throws Exception {
        assertThat(parley("serve", "--port", "70000").oneLineError()).contains("--port");
        assertThat(parley("serve", "--tls-cert", home.resolve("nope.pem").toString()).oneLineError()).contains("--tls-key");
        assertThat(parley("serve", "--tls-cert", home.resolve("nope.pem").toString(), "--tls-key", home.resolve("nope.key").toString())
                .oneLineError()).contains("nope.pem");
        try (ServerSocket taken = new ServerSocket(0)) {
            var run = parley("serve", "--port", String.valueOf(taken.getLocalPort()));
            assertThat(run.exit()).isEqualTo(2);
            assertThat(run.oneLineError()).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    /** The first event a new WebSocket receives. */
    private static String firstEvent(HttpClient http, URI ws) throws Exception {
        CompletableFuture<String> first = new CompletableFuture<>();
        WebSocket socket = http.newWebSocketBuilder().buildAsync(ws, new WebSocket.Listener() {
            final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                text.append(data);
                if (last) first.complete(text.toString());
                w.request(1);
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
        try {
            return first.get(10, TimeUnit.SECONDS);
        } finally {
            socket.abort();
        }
    }

    private static SSLContext trusting(Path pem) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            trust.setCertificateEntry("parley", (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    private URI awaitReady(Process server) throws Exception {
        Path err = home.resolve("stderr.txt");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            String text = Files.exists(err) ? Files.readString(err) : "";
            Matcher m = READY.matcher(text);
            if (m.find()) return URI.create(m.group(1));
            if (!server.isAlive()) throw new AssertionError("server exited " + server.exitValue() + ": " + text);
            Thread.sleep(100);
        }
        throw new AssertionError("server not ready: " + Files.readString(err));
    }

    private static void stop(Process server) throws InterruptedException {
        server.destroy();
        if (!server.waitFor(20, TimeUnit.SECONDS)) server.destroyForcibly();
    }

    /**
     * Parley in a child JVM. {@code ownHome}: $PARLEY_HOME is the test's folder (for the TLS certificate), with the
     * real model cache linked in; otherwise the real one, and the settings file is $PARLEY_CONFIG.
     */
    private Process child(List<String> args, boolean ownHome) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xss8m", "-cp", System.getProperty("java.class.path"),
                ParleyCli.class.getName()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("HOME", home.toString());
        pb.environment().remove("PARLEY_AUTH_TOKEN");
        if (ownHome) {
            Files.createSymbolicLink(home.resolve("models"), ModelCache.defaultRoot().toAbsolutePath());
            pb.environment().put("PARLEY_HOME", home.toString());
        } else {
            pb.environment().put("PARLEY_HOME", ModelCache.defaultRoot().getParent().toString());
            pb.environment().put("PARLEY_CONFIG", home.resolve("parley.yaml").toString());
        }
        pb.directory(home.toFile());
        pb.redirectOutput(home.resolve("stdout.txt").toFile()).redirectError(home.resolve("stderr.txt").toFile());
        return pb.start();
    }
}

package dev.parley.transport.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.dialog.RuleBasedDialog;
import dev.parley.eval.CorpusManifest;
import dev.parley.eval.WordErrorRate;
import dev.parley.session.SessionConfig;
import dev.parley.embedded.testing.EmbeddedFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Compatibility: OpenAI's own client library for the Realtime API, the {@code openai} npm package's
 * {@code OpenAIRealtimeWS} ({@code src/test/node}, versions pinned in its package-lock.json, installed here with
 * {@code npm ci} when missing), completes a spoken turn against Parley with the real embedded engines.
 *
 * <p>The library always connects with {@code wss:}: its URL builder sets the scheme from the client's
 * {@code baseURL} to {@code wss} and refuses a custom URL that is not {@code wss:}. So the turn runs twice:
 * over {@code wss://127.0.0.1:PORT/v1/realtime} as the library is documented to connect (Parley's self-signed
 * certificate trusted through {@code NODE_EXTRA_CA_CERTS}), and against the plain {@code ws://127.0.0.1:PORT/v1/realtime}
 * that {@code parley serve} listens on by default, the library's socket carried over plain TCP by the {@code ws}
 * option {@code createConnection} (see compat.mjs). The wss server also requires a bearer token ({@code --auth-token}),
 * which the library sends from its API key. Skipped only when node or npm is not installed.
 */
class OpenAiClientCompatibilityTest {
    private static final Path NODE_DIR = Path.of("src", "test", "node").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLIP = "speechbrain__spk1_snt1";
    /** The wss server's --auth-token, given to the library as its API key (sent as Authorization: Bearer). */
    private static final String TOKEN = "parley-compat-token";

    @TempDir
    static Path tlsCache;

    private static ParleyServer plain;
    private static ParleyServer secure;
    private static TlsMaterial tls;

    @BeforeAll
    static void start() throws Exception {
        assumeThat(version("node")).as("node is not installed: the OpenAI client compatibility test needs Node.js and npm").isNotNull();
        assumeThat(version("npm")).as("npm is not installed: the OpenAI client compatibility test needs Node.js and npm").isNotNull();
        installClientLibrary();

        var stack = EmbeddedFixture.stack();
        SessionFactory sessions = () -> stack.engines(new RuleBasedDialog(Clock.systemDefaultZone()));
        plain = ParleyServer.start(ServerConfig.local(0, SessionConfig.DEFAULT, "cmu-slt-hsmm"), sessions);
        tls = TlsMaterial.selfSigned(tlsCache, Clock.systemUTC());
        secure = ParleyServer.start(ServerConfig.local(0, SessionConfig.DEFAULT, "cmu-slt-hsmm").withTls(tls)
                .withAuthToken(TOKEN), sessions);
    }

    @AfterAll
    static void stop() {
        if (plain != null) plain.close();
        if (secure != null) secure.close();
    }

    @Test
    void theOpenAiLibraryCompletesASpokenTurnOverWss() throws Exception {
        Path cert = tls.certificateFile().orElseThrow(() -> new AssertionError("the self-signed certificate was not written"));
        String url = "wss://127.0.0.1:" + secure.port() + "/v1/realtime";
        assertSpokenTurn(runClient(url, Map.of("NODE_EXTRA_CA_CERTS", cert.toString(), "COMPAT_API_KEY", TOKEN)), url);
    }

    @Test
    void theOpenAiLibraryCompletesASpokenTurnOnPlainWs() throws Exception {
        String url = "ws://127.0.0.1:" + plain.port() + "/v1/realtime";
        assertSpokenTurn(runClient(url, Map.of()), url);
    }

    @Test
    void theOpenAiLibraryCompletesAG711TurnAsAPhoneGatewayWould() throws Exception {
        String url = "ws://127.0.0.1:" + plain.port() + "/v1/realtime";
        ClientRun run = runClient(url, Map.of("COMPAT_FORMAT", "pcmu"));
        assertSpokenTurn(run, url);
        assertThat(run.report().path("format").asText()).isEqualTo("pcmu");
    }

    private static void assertSpokenTurn(ClientRun run, String url) {
        CorpusManifest.Clip clip = EmbeddedFixture.clip(CLIP);
        String why = run.describe();
        assertThat(run.exitCode()).as(why).isZero();
        JsonNode r = run.report();
        assertThat(r).as(why).isNotNull();
        System.err.printf("%s over %s: heard \"%s\", replied \"%s\" (%d audio deltas), %s, %d ms%n", r.path("library").asText(),
                url, r.path("input_transcript").asText(), r.path("reply_transcript").asText(), r.path("audio_deltas").asInt(),
                r.path("response_status").asText(), run.millis());
        assertThat(r.path("errors")).as(why).isEmpty();
        // the library built the URL from the baseURL: same host, port and path, always wss:, the model as a query
        assertThat(r.path("url").asText()).as(why)
                .isEqualTo(url.replaceFirst("^ws:", "wss:") + "?model=gpt-realtime");
        assertThat(r.path("session_model").asText()).as(why).isEqualTo("gpt-realtime");

        List<String> events = new ArrayList<>();
        r.path("events").forEach(e -> events.add(e.asText()));
        assertThat(events).as(why).containsSubsequence("session.created", "session.updated",
                "input_audio_buffer.speech_started", "input_audio_buffer.speech_stopped", "input_audio_buffer.committed",
                "response.created", "response.output_audio_transcript.delta", "response.output_audio.delta",
                "response.output_audio.done", "response.done");
        assertThat(events).as(why).contains("conversation.item.input_audio_transcription.completed")
                .doesNotContain("error");
        assertThat(events.getLast()).as(why).isEqualTo("response.done");

        String heard = r.path("input_transcript").asText();
        assertThat(WordErrorRate.compute(clip.transcript(), heard).wer())
                .as("transcript \"%s\" for \"%s\"; %s", heard, clip.transcript(), why).isLessThan(0.35);
        assertThat(r.path("reply_transcript").asText()).as(why).startsWith("You said");
        assertThat(r.path("audio_deltas").asInt()).as(why).isPositive();
        boolean ulaw = r.path("format").asText().equals("pcmu"); // one byte a sample at 8 kHz, else PCM16 at 24 kHz
        double seconds = r.path("audio_bytes").asLong() / (ulaw ? 8_000.0 : 2.0 * 24_000);
        assertThat(seconds).as("reply audio seconds; %s", why).isBetween(0.5, 15.0);
        assertThat(r.path("response_status").asText()).as(why).isEqualTo("completed");
    }

    // ---------------------------------------------------------------- node

    /** What the client script printed and how it ended. */
    private record ClientRun(int exitCode, String stdout, String stderr, long millis) {
        JsonNode report() {
            String[] lines = stdout.strip().split("\n");
            try {
                return JSON.readTree(lines[lines.length - 1]);
            } catch (IOException e) {
                return null;
            }
        }

        String describe() {
            return "node compat.mjs exited " + exitCode + " after " + millis + " ms\n--- stdout\n" + stdout
                    + "--- stderr\n" + stderr;
        }
    }

    private static ClientRun runClient(String url, Map<String, String> env) throws Exception {
        Path wav = EmbeddedFixture.corpus().resolve(EmbeddedFixture.clip(CLIP).file());
        return run(List.of("node", "compat.mjs", url, wav.toString()), env, 90);
    }

    private static ClientRun run(List<String> command, Map<String, String> env, long timeoutSeconds) throws Exception {
        Path out = Files.createTempFile("parley-node", ".out");
        Path err = Files.createTempFile("parley-node", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(NODE_DIR.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().putAll(env);
            long t0 = System.nanoTime();
            Process p = pb.start();
            int code;
            if (p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                code = p.exitValue();
            } else {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                code = -1;
                Files.writeString(err, "\n[killed after " + timeoutSeconds + " s]\n", java.nio.file.StandardOpenOption.APPEND);
            }
            long millis = (System.nanoTime() - t0) / 1_000_000;
            return new ClientRun(code, Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8), millis);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** {@code TOOL --version}, or null when the tool is not on the PATH. */
    private static String version(String tool) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor() == 0 ? v : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** {@code npm ci} unless node_modules already holds exactly the versions package.json pins. */
    private static void installClientLibrary() throws Exception {
        if (installed()) return;
        ClientRun npm = run(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), 300);
        assertThat(npm.exitCode()).as("npm ci in %s failed:\n%s", NODE_DIR, npm.describe()).isZero();
        assertThat(installed()).as("npm ci did not install package.json's versions:\n%s", npm.describe()).isTrue();
    }

    private static boolean installed() throws IOException {
        JsonNode deps = JSON.readTree(NODE_DIR.resolve("package.json").toFile()).path("dependencies");
        for (Map.Entry<String, JsonNode> dep : deps.properties()) {
            Path manifest = NODE_DIR.resolve("node_modules").resolve(dep.getKey()).resolve("package.json");
            if (!Files.isRegularFile(manifest)) return false;
            if (!JSON.readTree(manifest.toFile()).path("version").asText().equals(dep.getValue().asText())) return false;
        }
        return true;
    }
}

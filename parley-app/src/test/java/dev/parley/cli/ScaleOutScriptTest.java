package dev.parley.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.embedded.models.ModelCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * deploy/nginx/scaleout.sh end to end: two real Parley servers (this build's classes, not the jar) behind a real
 * nginx, the load test through nginx, then the spread. Skipped only where nginx is not installed (Debian:
 * nginx-light).
 */
class ScaleOutScriptTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SCRIPT = Path.of("..", "deploy", "nginx", "scaleout.sh").toAbsolutePath().normalize();
    private static final int SESSIONS = 4;

    @TempDir
    Path tmp;

    private static boolean nginxInstalled() {
        if (Files.isExecutable(Path.of("/usr/sbin/nginx"))) return true;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "nginx"))) return true;
        }
        return false;
    }

    /** A base port with every port at the given offsets from it free (nginx, the fronts, the engines' nginx …). */
    private static int freePorts(int... offsets) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(20_000, 40_000);
            boolean all = true;
            for (int o : offsets) all &= free(base + o);
            if (all) return base;
        }
        throw new IOException("no base port found with ports free at " + java.util.Arrays.toString(offsets));
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Runs the script with these arguments and this build's classes; returns its JSON lines, after it exited 0. */
    private List<JsonNode> run(String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("java.class.path");
        Path config = Files.writeString(tmp.resolve("parley.yaml"), "port: 0\n");
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.put("PARLEY_CMD", String.join(" ", java, "--enable-native-access=ALL-UNNAMED", "-Xss8m", "-Xmx512m",
                "-XX:+UseSerialGC", "-cp", classpath, ParleyCli.class.getName()));
        env.put("PARLEY_HOME", ModelCache.defaultRoot().getParent().toString());
        env.put("PARLEY_CONFIG", config.toString());
        env.put("STARTUP_S", "400");
        env.put("TMPDIR", tmp.toString());
        env.remove("PARLEY_AUTH_TOKEN");
        env.remove("OPENAI_API_KEY");
        env.remove("OPENAI_BASE_URL");
        pb.directory(SCRIPT.getParent().getParent().getParent().toFile());
        Path out = tmp.resolve("stdout.txt");
        Path err = tmp.resolve("stderr.txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process script = pb.start();
        boolean ended = script.waitFor(15, TimeUnit.MINUTES);
        if (!ended) script.destroyForcibly();
        log = Files.readString(err);
        assertThat(ended).as(log).isTrue();
        assertThat(script.exitValue()).as(log).isZero();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(out)) if (line.startsWith("{")) lines.add(JSON.readTree(line));
        return lines;
    }

    private String log = "";

    /** Nothing is left running: nginx and every instance are gone, and the temporary directory with them. */
    private void everythingStopped(int... ports) throws IOException {
        for (int port : ports) assertThat(listening(port)).as("port " + port + " still open").isFalse();
        try (var left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("parley-scaleout."));
        }
    }

    @Test
    void twoInstancesBehindNginxShareTheLoadTestsSessionsAndEverythingStopsAfterwards() throws Exception {
        assumeTrue(nginxInstalled(), "nginx is not installed (Debian/Ubuntu: apt-get install nginx-light)");
        int base = freePorts(0, 1, 2);
        List<JsonNode> lines = run("--instances", "2", "--sessions", String.valueOf(SESSIONS), "--duration", "12",
                "--base-port", String.valueOf(base), "--drain-s", "2");

        assertThat(lines).as(log).hasSizeGreaterThanOrEqualTo(2);
        JsonNode result = lines.get(lines.size() - 2);
        JsonNode spread = lines.getLast().path("spread");
        assertThat(result.path("sessions").asInt()).as(log).isEqualTo(SESSIONS);
        assertThat(result.path("turns").asInt()).as("the load test's callers were answered through nginx: " + result).isPositive();
        assertThat(spread).as(log).hasSize(2);
        int total = 0;
        for (JsonNode instance : spread) {
            assertThat(instance.path("sessions").asInt()).as("every instance took sessions: " + spread).isPositive();
            total += instance.path("sessions").asInt();
        }
        assertThat(total).as(spread.toString()).isGreaterThanOrEqualTo(SESSIONS);
        assertThat(spread.get(0).path("port").asInt()).isEqualTo(base + 1);
        assertThat(spread.get(1).path("port").asInt()).isEqualTo(base + 2);
        everythingStopped(base, base + 1, base + 2);
    }

    /**
     * The split layout: a front that holds the conversations and calls an engine instance (the embedded STT, brain
     * and TTS as OpenAI-compatible REST services) through the engines' own nginx, with a token of the run.
     */
    @Test
    void withEnginesTheFrontsConversationsAreServedByTheEngineInstancesOverRest() throws Exception {
        assumeTrue(nginxInstalled(), "nginx is not installed (Debian/Ubuntu: apt-get install nginx-light)");
        int base = freePorts(0, 1, 100, 101);
        List<JsonNode> lines = run("--instances", "1", "--engines", "1", "--sessions", "2", "--duration", "12",
                "--base-port", String.valueOf(base), "--drain-s", "2");

        assertThat(lines).as(log).hasSizeGreaterThanOrEqualTo(3);
        JsonNode result = lines.get(lines.size() - 3);
        assertThat(result.path("turns").asInt()).as("answered through the front and the engines: " + result).isPositive();
        assertThat(result.path("errors").asInt()).as(result.toString()).isZero();
        assertThat(lines.get(lines.size() - 2).path("spread").get(0).path("sessions").asInt()).as(log).isPositive();
        JsonNode engines = lines.getLast().path("engines");
        assertThat(engines).as(log).hasSize(1);
        assertThat(engines.get(0).path("port").asInt()).isEqualTo(base + 101);
        // each turn is at least a transcription, a chat completion and a speech request
        assertThat(engines.get(0).path("requests").asInt()).as(engines.toString())
                .isGreaterThanOrEqualTo(3 * result.path("turns").asInt());
        assertThat(engines.get(0).path("errors").asInt()).as(engines.toString()).isZero();
        everythingStopped(base, base + 1, base + 100, base + 101);
    }
}

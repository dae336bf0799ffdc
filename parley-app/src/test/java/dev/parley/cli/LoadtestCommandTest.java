package dev.parley.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.bench.load.CallerScript;
import dev.parley.bench.load.FakeEngines;
import dev.parley.bench.load.FakeLatencies;
import dev.parley.session.SessionConfig;
import dev.parley.transport.server.ParleyServer;
import dev.parley.transport.server.ServerConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code parley loadtest}, run in process: the JSON a script relies on has its keys and its sanity, errors are
 * counted rather than thrown, and bad settings are one-line errors. Nothing here asserts how fast anything is.
 */
class LoadtestCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CLIPS = Path.of(System.getProperty("parley.shared", "../../shared"), "corpus", "dev", "clips")
            .toAbsolutePath().normalize();
    private static final List<String> FIGURES = List.of("p50", "p95", "p99", "max");

    @TempDir
    static Path dir;
    static Path corpus;

    /** A corpus of two short real clips: the manifest's columns as the shared corpus has them, paths absolute. */
    @BeforeAll
    static void twoClips() throws Exception {
        corpus = dir.resolve("corpus");
        Files.createDirectories(corpus);
        Files.writeString(corpus.resolve("manifest.tsv"), String.join("\n",
                "file\tduration_s\ttranscript\tlanguage\tspeech_start_s\tspeech_end_s",
                CLIPS.resolve("pocketsphinx__cards_001.wav") + "\t1.095\tten of clubs\ten\t0.170\t0.940",
                CLIPS.resolve("pocketsphinx__cards_003.wav") + "\t1.538\tseven of clubs\ten\t0.110\t1.240", ""));
    }

    private static JsonNode lastJson(ReplyCommandTest.Run run) throws Exception {
        assertThat(run.exit()).as(run.err()).isZero();
        List<String> lines = run.out().strip().lines().toList();
        return JSON.readTree(lines.getLast());
    }

    private static void assertStep(JsonNode r, int sessions, boolean overhead) {
        assertThat(r.path("sessions").asInt()).isEqualTo(sessions);
        assertThat(r.path("turns").asLong()).as(r.toString()).isPositive();
        assertThat(r.path("errors").asLong()).as(r.toString()).isZero();
        for (String f : FIGURES) assertThat(r.at("/end_to_end_ms/" + f).isNumber()).as(f).isTrue();
        assertThat(r.at("/end_to_end_ms/p95").asDouble()).isGreaterThanOrEqualTo(r.at("/end_to_end_ms/p50").asDouble());
        assertThat(r.at("/end_to_end_ms/max").asDouble()).isGreaterThanOrEqualTo(r.at("/end_to_end_ms/p99").asDouble());
        assertThat(r.has("overhead_ms")).isEqualTo(overhead);
        if (overhead) {
            for (String f : FIGURES) assertThat(r.at("/overhead_ms/" + f).isNumber()).as(f).isTrue();
            // the overhead is what is left of end to end after the endpoint wait and the fakes' 650 ms
            assertThat(r.at("/overhead_ms/p50").asDouble()).isLessThan(r.at("/end_to_end_ms/p50").asDouble() - 650);
            assertThat(r.path("overhead_below_zero_turns").asLong()).isZero();
            // the fakes' latencies show in the server's waterfall, at least as long as they sleep
            assertThat(r.at("/waterfall_ms/stt/p50").asDouble()).isGreaterThanOrEqualTo(199.9);
            assertThat(r.at("/waterfall_ms/dialog/p50").asDouble()).isGreaterThanOrEqualTo(299.9);
            assertThat(r.at("/waterfall_ms/tts/p50").asDouble()).isGreaterThanOrEqualTo(149.9);
        }
        assertThat(r.path("cpu_cores").asInt()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(r.path("cpu_process_pct").asDouble()).isBetween(0.0, 100.0 + 1);
        assertThat(r.path("heap_mb").asDouble()).isPositive();
        assertThat(r.path("rss_mb").asDouble()).isPositive();
        assertThat(r.path("duration_s").isNumber()).isTrue();
    }

    @Test
    void fakeProvidersGiveTurnsWithEndToEndAndOverhead() throws Exception {
        ReplyCommandTest.Run run = ReplyCommandTest.parley("loadtest", "--providers", "fake", "--sessions", "3", "--duration", "8",
                "--corpus", corpus.toString(), "--json");
        JsonNode r = lastJson(run);
        assertStep(r, 3, true);
        assertThat(r.path("duration_s").asDouble()).isEqualTo(8.0);
        assertThat(r.path("providers").asText()).isEqualTo("fake");
        assertThat(r.path("clips").asInt()).isEqualTo(2);
        assertThat(r.path("sessions_left_open").asInt()).isZero();
        assertThat(r.at("/fake_latencies_ms/stt").asInt()).isEqualTo(200);
        assertThat(r.has("steps")).isFalse();
        // the endpoint waited the session's silence (300 ms), rounded up to whole VAD frames of 32 ms
        assertThat(r.at("/waterfall_ms/endpoint/p50").asDouble()).isBetween(300.0, 400.0);
    }

    /**
     * The server and its fakes in a child JVM: the callers' scripts reach the child's sessions over its stdin, so
     * every turn is heard and answered as in process, and the CPU and memory reported are the child's (its heap is
     * not known from here).
     */
    @Test
    void theServerCanRunInAChildJvmWhoseCostIsReported() throws Exception {
        ReplyCommandTest.Run run = ReplyCommandTest.parley("loadtest", "--providers", "fake", "--server-process", "--sessions", "2",
                "--duration", "8", "--corpus", corpus.toString(), "--json");
        JsonNode r = lastJson(run);
        assertThat(r.path("sessions").asInt()).isEqualTo(2);
        assertThat(r.path("turns").asLong()).as(r.toString()).isPositive();
        assertThat(r.path("errors").asLong()).as(r.toString()).isZero();
        assertThat(r.path("overhead_below_zero_turns").asLong()).isZero();
        assertThat(r.at("/overhead_ms/p50").asDouble()).isLessThan(r.at("/end_to_end_ms/p50").asDouble() - 650);
        assertThat(r.at("/waterfall_ms/endpoint/p50").asDouble()).isBetween(300.0, 400.0);
        assertThat(r.path("server").asText()).isEqualTo("child JVM, loopback");
        assertThat(r.path("resources_of").asText()).contains("child JVM");
        assertThat(r.path("cpu_process_pct").asDouble()).isBetween(0.0, 100.0 + 1);
        assertThat(r.path("rss_mb").asDouble()).isPositive();
        assertThat(r.path("heap_mb").isNull()).isTrue();
    }

    @Test
    void theServerProcessIsOnlyForTheFakes() throws Exception {
        ReplyCommandTest.Run run = ReplyCommandTest.parley("loadtest", "--providers", "local", "--server-process", "--corpus", corpus.toString());
        assertThat(run.exit()).isNotZero();
        assertThat(run.err()).contains("--server-process").contains("--url");
    }

    @Test
    void aRampStepsUpAndNamesTheLargestNWithinTheTarget() throws Exception {
        ReplyCommandTest.Run run = ReplyCommandTest.parley("loadtest", "--ramp", "--sessions", "2", "--duration", "5",
                "--target-p95-ms", "100000", "--fake-stt-ms", "100", "--corpus", corpus.toString(), "--json");
        JsonNode r = lastJson(run);
        JsonNode steps = r.path("steps");
        assertThat(steps).hasSize(2);
        assertStepShape(steps.get(0), 1);
        assertStepShape(steps.get(1), 2);
        assertThat(r.path("target_p95_ms").asDouble()).isEqualTo(100000.0);
        assertThat(r.path("target_of").asText()).isEqualTo("overhead_ms");
        // both steps without errors and far within so loose a target: the larger counts
        assertThat(r.path("max_sessions_within_target").asInt()).isEqualTo(2);
        assertThat(r.path("sessions").asInt()).isEqualTo(2); // the top level is the last step
        assertThat(r.at("/fake_latencies_ms/stt").asInt()).isEqualTo(100);
    }

    private static void assertStepShape(JsonNode s, int sessions) {
        assertThat(s.path("sessions").asInt()).isEqualTo(sessions);
        assertThat(s.path("turns").asLong()).as(s.toString()).isPositive();
        assertThat(s.path("errors").asLong()).as(s.toString()).isZero();
        assertThat(s.at("/overhead_ms/p95").isNumber()).isTrue();
    }

    @Test
    void theEmbeddedStackAnswersOneCaller() throws Exception {
        ReplyCommandTest.Run run = ReplyCommandTest.parley("loadtest", "--providers", "local", "--sessions", "1", "--duration", "6",
                "--corpus", corpus.toString(), "--json");
        JsonNode r = lastJson(run);
        assertStep(r, 1, false);
        assertThat(r.path("providers").asText()).isEqualTo("local");
        assertThat(r.path("sessions_left_open").asInt()).isZero();
    }

    /**
     * Against a server named by --url the callers bring no script, so its fake engines never hear speech: every
     * turn goes unanswered, and that is counted, not thrown. Then the server goes away mid-run: lost sockets and
     * refused reconnections are counted too, and the command still ends with its JSON.
     */
    @Test
    void aRemoteServerThatNeverAnswersAndThenVanishesIsCountedNotThrown() throws Exception {
        FakeEngines silent = new FakeEngines(FakeLatencies.DEFAULT);
        ParleyServer server = ParleyServer.start(ServerConfig.local(0, SessionConfig.DEFAULT, "test"), () -> silent.engines(CallerScript.silent()));
        // its own thread, not a pool's: the WebSocket client must not wait for a pool the command is blocking
        ExecutorService command = Executors.newSingleThreadExecutor();
        try {
            Future<ReplyCommandTest.Run> run = command.submit(() -> ReplyCommandTest.parley("loadtest",
                    "--url", server.realtimeUri().toString(), "--sessions", "2", "--duration", "20", "--reply-timeout-s", "1",
                    "--corpus", corpus.toString(), "--json"));
            // once both callers are on, long enough for a first turn to go unanswered (a clip of 1.5 s, then 1 s)
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (server.activeSessions() < 2 && System.nanoTime() < until) Thread.sleep(20);
            assertThat(server.activeSessions()).isEqualTo(2);
            Thread.sleep(3500);
            server.close();
            JsonNode r = lastJson(run.get(120, TimeUnit.SECONDS));
            assertThat(r.path("providers").asText()).isEqualTo("remote");
            assertThat(r.has("overhead_ms")).isFalse();
            assertThat(r.has("sessions_left_open")).isFalse();
            assertThat(r.path("resources_of").asText()).contains("callers");
            assertThat(r.path("turns").asLong()).isZero();
            assertThat(r.at("/errors_by_kind/no_reply").asLong()).as(r.toString()).isPositive();
            assertThat(r.at("/errors_by_kind/closed").asLong() + r.at("/errors_by_kind/connect").asLong()).as(r.toString()).isPositive();
            assertThat(r.path("errors").asLong()).isEqualTo(r.at("/errors_by_kind/no_reply").asLong()
                    + r.at("/errors_by_kind/closed").asLong() + r.at("/errors_by_kind/connect").asLong());
            assertThat(r.at("/end_to_end_ms/p50").isNull()).isTrue();
        } finally {
            server.close();
            command.shutdownNow();
        }
    }

    @Test
    void badSettingsAreOneLineErrors() {
        assertThat(ReplyCommandTest.parley("loadtest", "--sessions", "0", "--corpus", corpus.toString()).oneLineError())
                .contains("--sessions");
        assertThat(ReplyCommandTest.parley("loadtest", "--url", "ws://127.0.0.1:9/v1/realtime", "--providers", "fake",
                "--corpus", corpus.toString()).oneLineError()).contains("--providers");
        assertThat(ReplyCommandTest.parley("loadtest", "--url", "http://127.0.0.1:9/", "--corpus", corpus.toString()).oneLineError())
                .contains("--url");
        assertThat(ReplyCommandTest.parley("loadtest", "--corpus", dir.resolve("nowhere").toString()).oneLineError())
                .contains("cannot read the corpus");
        assertThat(ReplyCommandTest.parley("loadtest", "--fake-llm-ms", "-5", "--corpus", corpus.toString()).oneLineError())
                .contains("LLM");
    }
}

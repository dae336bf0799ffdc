package dev.parley.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code parley bench --transport} and {@code --idle-sessions}, end to end with the real engines: the figures have
 * the shape and the sanity a reader relies on. Nothing here asserts how fast anything is.
 */
class ServerBenchmarkTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CORPUS = Path.of(System.getProperty("parley.shared", "../../shared"), "corpus", "dev");
    private static final List<String> STAGES = List.of("end_to_end", "endpoint", "stt", "dialog", "tts", "out");

    private static JsonNode json(ReplyCommandTest.Run run) throws Exception {
        assertThat(run.exit()).as(run.err() + run.out()).isZero();
        return JSON.readTree(run.out());
    }

    @Test
    void bothPathsGiveEachClipsTurnWithSaneFigures() throws Exception {
        JsonNode r = json(ReplyCommandTest.parley("bench", "--corpus", CORPUS.toString(), "--transport", "both", "--limit", "2",
                "--warmup", "0", "--json"));
        assertThat(r.path("transport").asText()).isEqualTo("both");
        assertThat(r.path("clips").asInt()).isEqualTo(2);
        assertThat(r.at("/answered/inprocess").asInt()).isEqualTo(2);
        assertThat(r.at("/answered/websocket").asInt()).isEqualTo(2);
        assertThat(r.path("errors").asInt()).isZero();
        for (String k : List.of("inprocess", "websocket", "difference", "inprocess_fed")) {
            assertThat(r.at("/end_to_end_ms/" + k + "/count").asInt()).as(k).isEqualTo(2);
            assertThat(r.at("/end_to_end_ms/" + k + "/p95").asDouble()).as(k).isGreaterThanOrEqualTo(r.at("/end_to_end_ms/" + k + "/p50").asDouble());
        }
        assertThat(r.at("/input_lag_ms/websocket/count").asInt()).isEqualTo(2);
        assertThat(r.at("/network_round_trip_ms/count").asInt()).isEqualTo(2);
        for (String part : List.of("input", "output", "total")) {
            assertThat(r.at("/added_by_transport_ms/websocket/" + part + "/count").asInt()).as(part).isEqualTo(2);
            assertThat(r.at("/added_by_transport_ms/inprocess/" + part + "/count").asInt()).as(part).isEqualTo(2);
        }
        for (String stage : STAGES) assertThat(r.at("/waterfall_ms/websocket/" + stage + "/count").asInt()).as(stage).isEqualTo(2);

        JsonNode turns = r.path("turns");
        assertThat(turns).hasSize(2);
        for (JsonNode t : turns) {
            String clip = t.path("clip").asText();
            double in = t.path("inprocess_ms").asDouble(), ws = t.path("websocket_ms").asDouble();
            // a reply comes after the endpoint silence (300 ms) and well within seconds, on both paths
            assertThat(in).as(clip).isBetween(100.0, 10_000.0);
            assertThat(ws).as(clip).isBetween(100.0, 10_000.0);
            assertThat(t.path("difference_ms").asDouble()).as(clip).isCloseTo(ws - in, within(0.11));
            assertThat(t.at("/input_lag_ms/websocket").asDouble()).as(clip).isBetween(-25.0, 10_000.0);
            assertThat(t.at("/input_lag_ms/inprocess").asDouble()).as(clip).isBetween(-25.0, 10_000.0);
            assertThat(t.path("network_ms").asDouble()).as(clip).isBetween(0.0, 10_000.0);
            // what the socket adds is measured apart from the pipeline: never negative (beyond clock reads), and in
            // process, where nothing stands between the pipeline and the session, next to nothing
            JsonNode wsAdds = t.at("/added_by_transport_ms/websocket"), inAdds = t.at("/added_by_transport_ms/inprocess");
            assertThat(wsAdds.path("input").asDouble()).as(clip).isBetween(-0.5, 10_000.0);
            assertThat(wsAdds.path("output").asDouble()).as(clip).isBetween(-0.5, 10_000.0);
            assertThat(wsAdds.path("total").asDouble()).as(clip).isCloseTo(wsAdds.path("input").asDouble() + wsAdds.path("output").asDouble(), within(0.11));
            assertThat(wsAdds.path("first_delta_audio").asDouble()).as(clip).isPositive();
            assertThat(inAdds.path("output").asDouble()).as(clip).isBetween(-0.5, 0.5);
            assertThat(inAdds.path("input").asDouble()).as(clip).isBetween(-0.5, 10_000.0);
            // the server's waterfall adds up, and the endpoint waited for the endpoint silence
            JsonNode w = t.at("/waterfall_ms/websocket");
            double sum = 0;
            for (String stage : STAGES.subList(1, STAGES.size())) sum += w.path(stage).asDouble();
            assertThat(w.path("end_to_end").asDouble()).as(clip).isCloseTo(sum, within(1.0));
            assertThat(w.path("endpoint").asDouble()).as(clip).isBetween(300.0, 1000.0);
            // both paths heard the same audio, so the same words
            assertThat(t.at("/transcript/websocket").asText()).as(clip).isNotBlank().isEqualTo(t.at("/transcript/inprocess").asText());
            assertThat(t.path("errors")).isEmpty();
        }
        assertThat(r.at("/wer_by_path/websocket").asDouble()).isBetween(0.0, 0.5);
        // the common figures are the WebSocket path's
        assertThat(r.at("/end_to_end_ms/count").asInt()).isEqualTo(2);
        assertThat(r.at("/end_to_end_ms/p50").asDouble()).isEqualTo(r.at("/end_to_end_ms/websocket/p50").asDouble());
        assertThat(r.path("wer").asDouble()).isEqualTo(r.at("/wer_by_path/websocket").asDouble());
    }

    @Test
    void idleSessionsReportTheirCostPerSessionAndAllAnswer() throws Exception {
        JsonNode r = json(ReplyCommandTest.parley("bench", "--idle-sessions", "20", "--idle-hold-s", "1", "--json"));
        assertThat(r.path("idle_sessions").asInt()).isEqualTo(20);
        assertThat(r.path("created").asInt()).isEqualTo(20);
        assertThat(r.path("answered_after_hold").asInt()).isEqualTo(20);
        assertThat(r.path("errors").asInt()).as(r.path("error_samples").toString()).isZero();
        assertThat(r.path("sessions_after_close").asInt()).isZero();
        assertThat(r.at("/server/open/sessions").asInt()).isEqualTo(20);
        assertThat(r.at("/server/before/sessions").asInt()).isZero();
        assertThat(r.at("/server/pid").asLong()).isNotEqualTo(ProcessHandle.current().pid());
        // a session holds something (its VAD, its buffers), and nowhere near the server's whole heap
        assertThat(r.at("/per_session_kb/heap").asDouble()).isBetween(1.0, 10_000.0);
        assertThat(r.at("/per_session_kb/rss").isNumber()).isTrue();
        assertThat(r.at("/server/open/rss_kb").asLong()).isGreaterThan(10_000);
        assertThat(r.at("/server/open/heap_used_bytes").asLong()).isGreaterThan(r.at("/server/before/heap_used_bytes").asLong());
        assertThat(r.path("heap_per_session_by_class")).isNotEmpty();
        assertThat(r.at("/heap_per_session_by_class/0/bytes_per_session").asDouble()).isPositive();
    }

    @Test
    void helpNamesTheNewOptionsAndBadValuesAreRefused() {
        ReplyCommandTest.Run help = ReplyCommandTest.parley("bench", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("--transport", "inprocess", "websocket", "both", "--warmup", "--idle-sessions", "--idle-hold-s",
                "--url", "--auth-token-env", "latency.svg", "waterfall.svg", "results.json");

        assertThat(ReplyCommandTest.parley("bench", "--transport", "carrier-pigeon").exit()).isEqualTo(2);
        ReplyCommandTest.Run zero = ReplyCommandTest.parley("bench", "--idle-sessions", "0");
        assertThat(zero.exit()).isEqualTo(2);
        assertThat(zero.oneLineError()).contains("--idle-sessions must be at least 1");
        ReplyCommandTest.Run mixed = ReplyCommandTest.parley("bench", "--idle-sessions", "5", "--transport", "both");
        assertThat(mixed.exit()).isEqualTo(2);
        assertThat(mixed.oneLineError()).contains("does not go with --transport");
        ReplyCommandTest.Run url = ReplyCommandTest.parley("bench", "--corpus", CORPUS.toString(), "--url", "http://127.0.0.1:1/v1/realtime");
        assertThat(url.exit()).isEqualTo(2);
        assertThat(url.oneLineError()).contains("--url must be a ws:// or wss:// URL");
        ReplyCommandTest.Run urlBoth = ReplyCommandTest.parley("bench", "--corpus", CORPUS.toString(), "--url", "ws://127.0.0.1:1/v1/realtime",
                "--transport", "both");
        assertThat(urlBoth.exit()).isEqualTo(2);
        assertThat(urlBoth.oneLineError()).contains("does not go with --transport both");
        ReplyCommandTest.Run token = ReplyCommandTest.parley("bench", "--corpus", CORPUS.toString(), "--auth-token-env", "PATH");
        assertThat(token.exit()).isEqualTo(2);
        assertThat(token.oneLineError()).contains("--auth-token-env goes with --url");
        ReplyCommandTest.Run unset = ReplyCommandTest.parley("bench", "--corpus", CORPUS.toString(), "--url", "ws://127.0.0.1:1/v1/realtime",
                "--auth-token-env", "PARLEY_BENCH_NO_SUCH_VARIABLE");
        assertThat(unset.exit()).isEqualTo(2);
        assertThat(unset.oneLineError()).contains("PARLEY_BENCH_NO_SUCH_VARIABLE is not set");
    }
}

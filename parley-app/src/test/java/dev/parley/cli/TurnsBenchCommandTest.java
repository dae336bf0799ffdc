package dev.parley.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code parley bench --turns} in process, on two clips: every measurement is there, with figures that make sense. */
class TurnsBenchCommandTest {
    private static final Path CORPUS = Path.of(System.getProperty("parley.shared", "../../shared"), "corpus", "dev");

    @Test
    void theTurnBenchmarkReportsPausesEndpointsRunsAndBackchannels() throws Exception {
        ReplyCommandTest.Run run = ReplyCommandTest.parley("bench", "--turns", "silence", "--limit", "2", "--json", "--corpus", CORPUS.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode r = new ObjectMapper().readTree(run.out());
        assertThat(r.get("benchmark").asText()).isEqualTo("turns");
        assertThat(r.get("date").asText()).isNotBlank();
        assertThat(r.get("load_average").get("before").asText()).isNotBlank();
        assertThat(r.get("audio_s").asDouble()).isPositive();
        assertThat(r.get("backchannel_audio").asText()).contains("MaryTTS");
        assertThat(r.get("modes").fieldNames()).toIterable().containsExactly("silence");
        JsonNode m = r.get("modes").get("silence");

        List<JsonNode> pauses = m.get("pauses").valueStream().toList();
        assertThat(pauses).extracting(p -> p.get("pause_ms").asInt()).containsExactly(300, 500, 700, 1000, 1500);
        for (JsonNode p : pauses) {
            assertThat(p.get("recordings").asInt()).as(p.toString()).isEqualTo(2);
            // the reply cannot have been heard before the turn that it answers was ended
            assertThat(p.get("false_cutoff_reply_pct").asDouble()).isBetween(0.0, p.get("false_cutoff_turn_pct").asDouble());
            assertThat(p.get("mean_wer").asDouble()).isBetween(0.0, 1.0);
        }
        assertThat(m.get("pauses_up_to_1000ms").get("recordings").asInt()).isEqualTo(8);

        JsonNode wait = m.get("endpoint_wait_ms");
        assertThat(wait.get("count").asInt()).isEqualTo(2);
        assertThat(wait.get("p50").asDouble()).isBetween(0.0, 2000.0);
        assertThat(m.get("waterfall_endpoint_ms").get("p50").asDouble()).isBetween(250.0, 700.0);

        assertThat(m.get("runs").get("sentences").asInt()).isEqualTo(2);
        assertThat(m.get("runs").get("own_turn").asInt()).isBetween(0, 2);

        JsonNode bc = m.get("backchannels"), control = m.get("requests_over_reply");
        // two questions, each with five backchannels and two coughs, and the request
        assertThat(bc.get("trials").asInt() + bc.get("not_counted_reply_not_playing").asInt()).isBetween(14, 16);
        assertThat(bc.get("by_kind").fieldNames()).toIterable().contains("yeah", "mm-hmm", "cough");
        assertThat(control.get("trials").asInt()).isEqualTo(2);
        assertThat(control.get("stopped").asInt()).as("a real request over the reply stops it").isEqualTo(2);

        assertThat(m.get("goals_met").fieldNames()).toIterable().containsExactly("false_cutoffs_up_to_1000ms_le_3pct",
                "endpoint_wait_p50_le_300ms", "endpoint_wait_p95_le_450ms", "backchannel_stops_le_5pct");
        assertThat(m.get("per_recording").get("pauses")).hasSize(10);
    }

    @Test
    void anUnknownModeIsOneLine() {
        ReplyCommandTest.Run run = ReplyCommandTest.parley("bench", "--turns", "loudness", "--corpus", CORPUS.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("loudness");
    }
}

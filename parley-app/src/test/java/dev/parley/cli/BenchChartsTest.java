package dev.parley.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.dialog.RuleBasedDialog;
import dev.parley.embedded.EmbeddedStack;
import dev.parley.session.SessionConfig;
import dev.parley.transport.server.ParleyServer;
import dev.parley.transport.server.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code parley bench} on two short clips, the three ways it reaches a pipeline: in process, through a loopback
 * Realtime server, and through a server it is only given the URL of ({@code --url}). Each gives the common JSON
 * keys and, with {@code --out}, two charts that are well-formed SVG with one bar per clip. The figures themselves
 * are not asserted (the machine is shared), only their shape.
 */
class BenchChartsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CORPUS = Path.of(System.getProperty("parley.shared", "../../shared"), "corpus", "dev");
    private static final String VOICE = "cmu-slt-hsmm";

    private static JsonNode json(ReplyCommandTest.Run run) throws Exception {
        assertThat(run.exit()).as(run.err()).isZero();
        return JSON.readTree(run.out());
    }

    /** The keys every path reports, for two clips. */
    private static void assertCommonKeys(JsonNode r, boolean stages) {
        assertThat(r.path("clips").asInt()).isEqualTo(2);
        for (String k : List.of("p50", "p95", "p99", "max")) assertThat(r.at("/end_to_end_ms/" + k).isNumber()).as(k).isTrue();
        assertThat(r.at("/end_to_end_ms/count").asInt()).isEqualTo(2);
        if (stages) {
            for (String stage : List.of("endpoint", "stt", "dialog", "tts", "out")) {
                assertThat(r.at("/stages_ms/" + stage + "/count").asInt()).as(stage).isEqualTo(2);
                assertThat(r.at("/stages_ms/" + stage + "/p99").isNumber()).as(stage).isTrue();
            }
        }
        assertThat(r.path("wer").isNumber()).isTrue();
        JsonNode perClip = r.path("per_clip");
        assertThat(perClip).hasSize(2);
        for (JsonNode c : perClip) {
            assertThat(c.path("clip").asText()).endsWith(".wav");
            assertThat(c.path("end_to_end_ms").isNumber()).as(c.toString()).isTrue();
            assertThat(c.path("wer").isNumber()).isTrue();
            assertThat(c.path("transcript").asText()).isNotBlank();
            if (stages) assertThat(c.path("stages_ms").path("endpoint").isNumber()).as(c.toString()).isTrue();
        }
    }

    /** latency.svg, waterfall.svg (one bar per clip, named after it) and results.json, the same as --json printed. */
    private static void assertCharts(Path out, JsonNode printed) throws Exception {
        Document latency = xml(out.resolve("latency.svg"));
        assertThat(latency.getDocumentElement().getTagName()).isEqualTo("svg");
        assertThat(elementsWithClass(latency, "path", "cdf")).hasSize(1);
        assertThat(elementsWithClass(latency, "line", "percentile")).hasSize(3);

        Document waterfall = xml(out.resolve("waterfall.svg"));
        assertThat(waterfall.getDocumentElement().getTagName()).isEqualTo("svg");
        List<Element> bars = elementsWithClass(waterfall, "g", "bar");
        List<String> clips = new ArrayList<>();
        printed.path("per_clip").forEach(c -> clips.add(c.path("clip").asText()));
        assertThat(bars.stream().map(b -> b.getAttribute("data-clip")).toList()).isEqualTo(clips);
        for (Element bar : bars) assertThat(bar.getElementsByTagName("rect").getLength()).as(bar.getAttribute("data-clip")).isPositive();

        JsonNode saved = JSON.readTree(out.resolve("results.json").toFile());
        assertThat(saved.path("per_clip")).isEqualTo(printed.path("per_clip"));
        assertThat(saved.path("end_to_end_ms")).isEqualTo(printed.path("end_to_end_ms"));
    }

    private static Document xml(Path file) throws Exception {
        assertThat(file).isRegularFile();
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(file.toFile());
    }

    private static List<Element> elementsWithClass(Document d, String tag, String cssClass) {
        NodeList all = d.getElementsByTagName(tag);
        List<Element> found = new ArrayList<>();
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (e.getAttribute("class").equals(cssClass)) found.add(e);
        }
        return found;
    }

    @Test
    void inProcessWritesChartsBesideTheReplies(@TempDir Path out) throws Exception {
        JsonNode r = json(ReplyCommandTest.parley("bench", "--corpus", CORPUS.toString(), "--limit", "2", "--json", "--out", out.toString()));
        assertThat(r.path("transport").asText()).isEqualTo("inprocess");
        assertCommonKeys(r, true);
        assertThat(r.at("/endpoint_ms/count").asInt()).isEqualTo(2); // the keys it had before stay
        assertCharts(out, r);
        for (JsonNode c : r.path("per_clip")) assertThat(out.resolve(c.path("clip").asText())).isRegularFile(); // reply audio kept
    }

    @Test
    void theLoopbackServerPathWritesChartsAndTheCommonKeys(@TempDir Path out) throws Exception {
        JsonNode r = json(ReplyCommandTest.parley("bench", "--corpus", CORPUS.toString(), "--transport", "websocket", "--limit", "2",
                "--warmup", "0", "--json", "--out", out.toString()));
        assertThat(r.path("transport").asText()).isEqualTo("websocket");
        assertCommonKeys(r, true);
        assertThat(r.path("errors").asInt()).isZero();
        assertThat(r.path("turns")).hasSize(2);
        assertCharts(out, r);
    }

    @Test
    void aServerGivenByUrlIsBenchmarkedWithoutLoadingEnginesHere(@TempDir Path out) throws Exception {
        EmbeddedStack stack = Startup.embedded(VOICE);
        String token = System.getenv("PATH"); // an environment variable every process has, as the token
        try (ParleyServer server = ParleyServer.start(ServerConfig.local(0, SessionConfig.DEFAULT, VOICE).withAuthToken(token),
                () -> stack.engines(new RuleBasedDialog(Clock.systemDefaultZone())))) {
            String url = server.realtimeUri().toString();
            var loaded = Startup.loadedVoices();
            // a voice this process has not loaded: were the bench to bring up engines, it would load it
            JsonNode r = json(ReplyCommandTest.parley("bench", "--corpus", CORPUS.toString(), "--url", url, "--auth-token-env", "PATH",
                    "--voice", "bench-loads-no-engines", "--limit", "2", "--warmup", "0", "--json", "--out", out.toString()));
            assertThat(Startup.loadedVoices()).isEqualTo(loaded);
            assertThat(r.path("transport").asText()).isEqualTo("websocket");
            assertThat(r.path("server").asText()).isEqualTo(url);
            assertCommonKeys(r, true); // Parley sends its waterfall in response.done
            assertThat(r.path("errors").asInt()).isZero();
            assertCharts(out, r);
            assertThat(Files.readString(out.resolve("results.json"))).doesNotContain(token);

            // without the token: the upgrade is refused, in one line that does not show a token
            ReplyCommandTest.Run refused = ReplyCommandTest.parley("bench", "--corpus", CORPUS.toString(), "--url", url, "--limit", "1",
                    "--warmup", "0");
            assertThat(refused.exit()).isEqualTo(2);
            assertThat(refused.oneLineError()).contains("HTTP 401").doesNotContain(token);
        }
        // nothing listening
        ReplyCommandTest.Run nobody = ReplyCommandTest.parley("bench", "--corpus", CORPUS.toString(), "--url", "ws://127.0.0.1:1/v1/realtime",
                "--limit", "1", "--warmup", "0");
        assertThat(nobody.exit()).isEqualTo(2);
        assertThat(nobody.oneLineError()).contains("could not connect to ws://127.0.0.1:1/v1/realtime");
    }
}

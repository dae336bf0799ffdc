package dev.parley.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.eval.WordErrorRate;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The charts and the common figures on made-up clips: a full waterfall, a server that sent none, no reply at all. */
class SvgChartsTest {
    private static BenchFigures.Clip clip(String name, double e2e, Map<String, Double> stages) {
        return new BenchFigures.Clip(name, "en", "ten of clubs", "ten of clubs", WordErrorRate.compute("ten of clubs", "ten of clubs"),
                e2e, stages, List.of());
    }

    private static final BenchFigures FIGURES = new BenchFigures(List.of(
            clip("a <&> \"b\".wav", 900, Map.of("endpoint", 320.0, "stt", 100.0, "dialog", 10.0, "tts", 300.0, "out", 2.0)),
            clip("foreign.wav", 700, Map.of()),
            clip("silent.wav", Double.NaN, Map.of())));

    private static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Element> withClass(Element root, String tag, String cssClass) {
        NodeList all = root.getElementsByTagName(tag);
        List<Element> found = new ArrayList<>();
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (e.getAttribute("class").equals(cssClass)) found.add(e);
        }
        return found;
    }

    @Test
    void theWaterfallHasOneBarPerClipWithItsStagesInOrder() throws Exception {
        Document d = parse(SvgCharts.waterfall(FIGURES, "waterfall & more"));
        List<Element> bars = withClass(d.getDocumentElement(), "g", "bar");
        assertThat(bars).extracting(b -> b.getAttribute("data-clip")).containsExactly("a <&> \"b\".wav", "foreign.wav", "silent.wav");
        // the full waterfall: five stages, then the 168 ms its stages leave of end to end in grey
        assertThat(bars.get(0).getElementsByTagName("rect").getLength()).isEqualTo(6);
        assertThat(withClass(bars.get(0), "rect", "stage endpoint")).hasSize(1);
        assertThat(withClass(bars.get(0), "rect", "stage rest")).hasSize(1);
        // no stages reported: the whole bar is the rest, nothing invented
        assertThat(bars.get(1).getElementsByTagName("rect").getLength()).isEqualTo(1);
        assertThat(withClass(bars.get(1), "rect", "stage rest")).hasSize(1);
        // no reply: no bar drawn, said in words
        assertThat(bars.get(2).getElementsByTagName("rect").getLength()).isZero();
        assertThat(bars.get(2).getTextContent()).contains("no reply");
        // widths are in proportion: endpoint 320 of an axis that ends at 1000 (steps of 200)
        double endpoint = Double.parseDouble(withClass(bars.get(0), "rect", "stage endpoint").getFirst().getAttribute("width"));
        double rest = Double.parseDouble(withClass(bars.get(0), "rect", "stage rest").getFirst().getAttribute("width"));
        assertThat(rest / endpoint).isCloseTo(168.0 / 320, org.assertj.core.api.Assertions.within(0.01));
    }

    @Test
    void theCdfMarksItsPercentilesAndSaysHowManyAnswered() throws Exception {
        Document d = parse(SvgCharts.latencyCdf(FIGURES, "latency"));
        assertThat(withClass(d.getDocumentElement(), "path", "cdf")).hasSize(1);
        assertThat(withClass(d.getDocumentElement(), "line", "percentile")).hasSize(3);
        assertThat(d.getDocumentElement().getTextContent()).contains("2 of 3 clips answered", "p50 800 ms");
        Document none = parse(SvgCharts.latencyCdf(new BenchFigures(List.of(clip("x.wav", Double.NaN, Map.of()))), "latency"));
        assertThat(none.getDocumentElement().getTextContent()).contains("no clip was answered");
    }

    @Test
    void axesEndOnRoundNumbers() {
        assertThat(SvgCharts.niceCeiling(2286)).isEqualTo(2500);
        assertThat(SvgCharts.ticks(2500)).containsExactly(0, 500, 1000, 1500, 2000, 2500);
        assertThat(SvgCharts.niceCeiling(900)).isEqualTo(1000);
        assertThat(SvgCharts.ticks(1000)).containsExactly(0, 200, 400, 600, 800, 1000);
        assertThat(SvgCharts.niceCeiling(0)).isEqualTo(1);
        assertThat(SvgCharts.escape("a<b & \"c\"\u0001")).isEqualTo("a&lt;b &amp; &quot;c&quot;");
    }

    @Test
    void commonFiguresLeaveAbsentStagesAbsent() throws Exception {
        JsonNode j = new ObjectMapper().valueToTree(FIGURES.json());
        assertThat(j.path("clips").asInt()).isEqualTo(3);
        assertThat(j.path("answered").asInt()).isEqualTo(2);
        assertThat(j.at("/end_to_end_ms/p50").asDouble()).isEqualTo(800.0);
        assertThat(j.at("/end_to_end_ms/max").asDouble()).isEqualTo(900.0);
        assertThat(j.at("/stages_ms/endpoint/count").asInt()).isEqualTo(1); // only the clip that reported it
        assertThat(j.path("stages_absent").isMissingNode()).isTrue();
        assertThat(j.at("/per_clip/1/stages_ms").isNull()).isTrue();
        assertThat(j.at("/per_clip/2/end_to_end_ms").isNull()).isTrue();
        assertThat(j.path("wer").asDouble()).isZero();

        JsonNode foreign = new ObjectMapper().valueToTree(new BenchFigures(List.of(clip("f.wav", 700, Map.of()))).json());
        assertThat(foreign.path("stages_ms").isEmpty()).isTrue();
        assertThat(foreign.path("stages_absent").asText()).contains("no latency waterfall");
    }
}

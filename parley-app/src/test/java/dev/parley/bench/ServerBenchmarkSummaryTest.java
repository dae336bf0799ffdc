package dev.parley.bench;

import dev.parley.eval.WordErrorRate;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The arithmetic of the server benchmark, on made-up figures. */
class ServerBenchmarkSummaryTest {
    private static ServerBenchmark.Leg leg(double e2e, double lag, double network) {
        return new ServerBenchmark.Leg("ten of clubs", WordErrorRate.compute("ten of clubs", "ten of clubs"), e2e, lag, Double.NaN,
                Map.of("end_to_end", e2e - 50, "endpoint", 320.0), network, 1, List.of());
    }

    @Test
    void theDifferenceIsTakenPerClipAndOnlyWhereBothPathsAnswered() {
        var clips = List.of(
                new ServerBenchmark.ClipResult("a.wav", "en", "ten of clubs", leg(400, 2, Double.NaN), leg(403, 3, 1.0)),
                new ServerBenchmark.ClipResult("b.wav", "en", "ten of clubs", leg(500, 1, Double.NaN), leg(510, 4, 2.0)),
                new ServerBenchmark.ClipResult("c.wav", "ru", "ten of clubs", leg(Double.NaN, Double.NaN, Double.NaN), leg(700, 5, 3.0)));
        ServerBenchmark.Report r = ServerBenchmark.summarise(clips, 1);
        assertThat(r.endToEndMs().get("inprocess").count()).isEqualTo(2);
        assertThat(r.endToEndMs().get("websocket").count()).isEqualTo(3);
        assertThat(r.endToEndMs().get("difference").count()).isEqualTo(2);
        assertThat(r.endToEndMs().get("difference").p50()).isCloseTo(6.5, within(1e-9));
        assertThat(r.endToEndMs().get("difference").max()).isEqualTo(10.0);
        assertThat(r.inputLagMs().get("websocket").max()).isEqualTo(5.0);
        assertThat(r.networkMs().count()).isEqualTo(3);
        // a path's waterfall counts the clips it answered
        assertThat(r.waterfallMs().get("inprocess").get("endpoint").count()).isEqualTo(2);
        assertThat(r.waterfallMs().get("websocket").get("end_to_end").max()).isEqualTo(650.0);
        // word error rate over the English clips only
        assertThat(r.wer().get("websocket").referenceWords()).isEqualTo(6);
        assertThat(r.warmupClips()).isEqualTo(1);
    }

    @Test
    void oneOfThePathsAloneHasNoDifference() {
        var clips = List.of(new ServerBenchmark.ClipResult("a.wav", "en", "ten of clubs", null, leg(403, 3, 1.0)));
        ServerBenchmark.Report r = ServerBenchmark.summarise(clips, 0);
        assertThat(r.endToEndMs()).containsOnlyKeys("websocket");
        assertThat(r.waterfallMs()).containsOnlyKeys("websocket");
    }

    @Test
    void inputLagCountsFromTheEndOfTheChunkThatHeldTheDecidingAudio() {
        long origin = 1_000_000_000L;
        // decided at 1330 ms of audio: that sample was in the chunk ending at 1340 ms
        assertThat(ServerBenchmark.inputLagMs(origin, origin + 1_345_000_000L, 1330.0)).isCloseTo(5.0, within(1e-9));
        assertThat(ServerBenchmark.inputLagMs(origin, origin + 1_340_000_000L, 1340.0)).isCloseTo(0.0, within(1e-9));
    }
}

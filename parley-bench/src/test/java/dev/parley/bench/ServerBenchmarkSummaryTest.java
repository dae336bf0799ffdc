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
                Map.of("end_to_end", e2e - 50, "endpoint", 320.0), network, new ServerBenchmark.Transport(lag / 2, 1.0, Double.NaN), 1, List.of());
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
    void theDecidingAudioWasRecordedWithTheChunkThatCompletedItsFrame() {
        // VAD frames are 32 ms; the endpoint decided at the end of a frame, give or take the millisecond of rounding
        assertThat(ServerBenchmark.decidingFrame(32.0)).isZero();
        assertThat(ServerBenchmark.decidingFrame(1343.4)).isEqualTo(41);
        assertThat(ServerBenchmark.decidingFrame(1344.9)).isEqualTo(41);
        long origin = 1_000_000_000L;
        // frame 0 ends at 32 ms; the resampler needs 2 ms more: the chunk that ends at 40 ms completes it
        assertThat(ServerBenchmark.frameRecorded(origin, 0)).isEqualTo(origin + 40_000_000L);
        // frame 41 ends at 1344 ms (+2 ms): the chunk that ends at 1360 ms
        assertThat(ServerBenchmark.frameRecorded(origin, 41)).isEqualTo(origin + 1_360_000_000L);
    }

    @Test
    void whatTheTransportAddsIsSummarisedPerPart() {
        var clips = List.of(new ServerBenchmark.ClipResult("a.wav", "en", "ten of clubs", leg(400, 2, Double.NaN), leg(403, 6, 1.0)));
        ServerBenchmark.Report r = ServerBenchmark.summarise(clips, 0);
        assertThat(r.transportMs().get("websocket").get("input").p50()).isEqualTo(3.0);
        assertThat(r.transportMs().get("websocket").get("output").p50()).isEqualTo(1.0);
        assertThat(r.transportMs().get("websocket").get("total").p50()).isEqualTo(4.0);
        assertThat(r.transportMs().get("inprocess").get("total").p50()).isEqualTo(2.0);
    }
}

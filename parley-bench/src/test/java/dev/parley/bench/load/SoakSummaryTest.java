package dev.parley.bench.load;

import dev.parley.bench.ProcStatus;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.parley.bench.load.Flatness.Verdict.FELL;
import static dev.parley.bench.load.Flatness.Verdict.FLAT;
import static dev.parley.bench.load.Flatness.Verdict.ROSE;
import static dev.parley.bench.load.Flatness.Verdict.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;

/** The soak's verdicts on made-up intervals: no server, no clock. */
class SoakSummaryTest {
    private static Flatness judge(double... values) {
        List<Double> v = new ArrayList<>();
        for (double d : values) v.add(d);
        return Flatness.judge("rss MB", v, 1, 0.2, 0);
    }

    @Test
    void theWarmUpIsLeftOutAndTheLastIntervalIsComparedWithTheFirstAfterIt() {
        // 100 -> 300 during the warm-up is start-up, not a leak
        assertThat(judge(100, 300, 320, 310, 330).verdict()).isEqualTo(FLAT);
        assertThat(judge(100, 300, 320, 310, 330).first()).isEqualTo(300);
        assertThat(judge(100, 300, 320, 340, 361).verdict()).isEqualTo(ROSE);
        assertThat(judge(100, 300, 250, 240, 239).verdict()).isEqualTo(FELL);
    }

    @Test
    void exactlyTheToleranceIsStillFlat() {
        assertThat(judge(0, 100, 120).verdict()).isEqualTo(FLAT);
        assertThat(judge(0, 100, 80).verdict()).isEqualTo(FLAT);
        assertThat(judge(0, 100, 120.5).verdict()).isEqualTo(ROSE);
        assertThat(judge(0, 100, 120.5).change()).isCloseTo(0.205, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void smallCountsHaveAnAbsoluteSlack() {
        // 5 -> 7 threads is +40 %, but two threads are not a trend
        assertThat(Flatness.judge("threads", List.of(9.0, 5.0, 7.0), 1, 0.2, 2).verdict()).isEqualTo(FLAT);
        assertThat(Flatness.judge("threads", List.of(9.0, 5.0, 8.0), 1, 0.2, 2).verdict()).isEqualTo(ROSE);
    }

    @Test
    void tooFewIntervalsOrAMissingValueAreUnknown() {
        assertThat(judge(100, 300).verdict()).isEqualTo(UNKNOWN);
        assertThat(judge(100, Double.NaN, 300).verdict()).isEqualTo(UNKNOWN);
        assertThat(judge(100, 300, -1).verdict()).isEqualTo(UNKNOWN);
        assertThat(judge(100, 300).describe()).contains("unknown (too few intervals");
    }

    @Test
    void theSummaryJudgesEveryLineOfTheTable() {
        List<SoakInterval> intervals = List.of(
                interval(10, 200, 300_000, 40, 60),
                interval(20, 250, 400_000, 42, 64),
                interval(30, 260, 410_000, 44, 66),
                interval(40, 400, 600_000, 43, 65));
        List<Flatness> s = Soak.summary(intervals, 1, 0.2);
        assertThat(s).extracting(Flatness::line).containsExactly("server rss MB", "server threads", "server open fds", "p95 first audio ms");
        assertThat(s).extracting(Flatness::verdict).containsExactly(ROSE, FLAT, FLAT, ROSE);
        assertThat(s.get(0).first()).isEqualTo(400_000 / 1024.0);
        assertThat(s.get(0).describe()).contains("390.6 ->", "(+50.0 %)", "rose");
        assertThat(s.get(3).describe()).contains("250.0 ->", "400.0", "(+60.0 %)", "rose");
    }

    @Test
    void anUnreadableProcessIsUnknownNotFlat() {
        List<SoakInterval> intervals = List.of(interval(10, 200, -1, -1, -1), interval(20, 200, -1, -1, -1), interval(30, 200, -1, -1, -1));
        assertThat(Soak.summary(intervals, 1, 0.2)).extracting(Flatness::verdict).containsExactly(UNKNOWN, UNKNOWN, UNKNOWN, FLAT);
    }

    private static SoakInterval interval(double endS, double p95, long rssKb, long threads, long fds) {
        return new SoakInterval(endS, 5, 0, new Latency(5, p95 / 2, p95, p95, p95), new ProcStatus.Sample(rssKb, threads, fds));
    }
}

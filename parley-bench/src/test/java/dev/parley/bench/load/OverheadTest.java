package dev.parley.bench.load;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The overhead's arithmetic, on figures worked out by hand. */
class OverheadTest {

    @Test
    void theDecidingFrameIsRecordedWithTheChunkThatCompletesIt() {
        // speech ended at 2400 ms, the endpoint waited 320 ms: the frame ending at 2720 ms (frame 85 of 32 ms) decided,
        // i.e. 85 × 768 = 65280 input samples at 24 kHz, exactly 136 chunks of 480 samples without look-ahead
        assertThat(Overhead.decisionRecordedMs(2400, 320, 0)).isEqualTo(2720.0);
        // with 10 samples of look-ahead the 137th chunk is needed too
        assertThat(Overhead.decisionRecordedMs(2400, 320, 10)).isEqualTo(2740.0);
        // the metadata's rounding to 0.1 ms does not move the frame
        assertThat(Overhead.decisionRecordedMs(2400, 320.3, 0)).isEqualTo(2720.0);
        assertThat(Overhead.decisionRecordedMs(2399.9, 319.8, 0)).isEqualTo(2720.0);
        // a frame end that falls inside a chunk: 3 frames = 2304 samples = 4.8 chunks, so 5 chunks = 100 ms
        assertThat(Overhead.decisionRecordedMs(0, 96, 0)).isEqualTo(100.0);
    }

    @Test
    void overheadIsWhatIsLeftAfterTheDecisionAndTheFakes() {
        assertThat(Overhead.LOOKAHEAD).isEqualTo(48); // the 24 → 16 kHz resampler's, as a session uses it
        // decided by the chunk ending at 2740 ms (65280 + 48 samples → 137 chunks); first audio at 3500 ms; fakes 650 ms
        assertThat(Overhead.overheadMs(3500, 2400, 320, 650)).isCloseTo(110.0, within(1e-9));
        assertThat(Overhead.overheadMs(2740 + 650, 2400, 320, 650)).isCloseTo(0.0, within(1e-9));
    }

    @Test
    void fakeLatenciesAddUpAndRefuseNonsense() {
        assertThat(FakeLatencies.DEFAULT.totalMs()).isEqualTo(650);
        assertThat(new FakeLatencies(0, 0, 0).totalMs()).isZero();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new FakeLatencies(-1, 300, 150))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("STT");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new FakeLatencies(200, 300, FakeLatencies.MAX_MS + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TTS");
    }
}

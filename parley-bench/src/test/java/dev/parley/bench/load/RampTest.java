package dev.parley.bench.load;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RampTest {

    @Test
    void stepsGoOneTwoFivePerDecadeAndEndWithTheNumberAskedFor() {
        assertThat(Ramp.steps(1)).containsExactly(1);
        assertThat(Ramp.steps(3)).containsExactly(1, 2, 3);
        assertThat(Ramp.steps(10)).containsExactly(1, 2, 5, 10);
        assertThat(Ramp.steps(200)).containsExactly(1, 2, 5, 10, 20, 50, 100, 200);
        assertThat(Ramp.steps(250)).containsExactly(1, 2, 5, 10, 20, 50, 100, 200, 250);
        assertThat(Ramp.steps(1000)).containsExactly(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000);
        assertThatThrownBy(() -> Ramp.steps(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theAnswerIsTheLastStepOfTheUnbrokenRunWithinTarget() {
        List<Ramp.Outcome> o = List.of(new Ramp.Outcome(1, 10, 0, 5), new Ramp.Outcome(2, 20, 0, 15),
                new Ramp.Outcome(5, 50, 0, 15.1), new Ramp.Outcome(10, 90, 0, 9));
        assertThat(Ramp.maxWithinTarget(o, 15)).isEqualTo(2); // 15 is within 15; 5 misses, so 10 does not count
        assertThat(Ramp.maxWithinTarget(o, 16)).isEqualTo(10);
        assertThat(Ramp.maxWithinTarget(o, 4)).isZero();
        assertThat(Ramp.maxWithinTarget(List.of(), 15)).isZero();
    }

    @Test
    void aStepWithErrorsOrWithoutTurnsMissesWhateverItsLatency() {
        assertThat(new Ramp.Outcome(5, 50, 1, 1).within(15)).isFalse();
        assertThat(new Ramp.Outcome(5, 0, 0, Double.NaN).within(15)).isFalse();
        assertThat(new Ramp.Outcome(5, 50, 0, Double.NaN).within(15)).isFalse();
        assertThat(Ramp.maxWithinTarget(List.of(new Ramp.Outcome(1, 3, 0, 2), new Ramp.Outcome(2, 6, 1, 2)), 15)).isEqualTo(1);
    }
}

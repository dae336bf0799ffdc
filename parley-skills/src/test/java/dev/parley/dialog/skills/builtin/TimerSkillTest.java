package dev.parley.dialog.skills.builtin;

import dev.parley.dialog.skills.slots.DurationMatch;
import dev.parley.dialog.skills.slots.Durations;
import dev.parley.dialog.skills.slots.SpokenText;
import dev.parley.dialog.skills.testing.Harness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TimerSkillTest {
    private final Harness h = new Harness();

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void aTimerAnnouncesItselfAtTheRightMoment() {
        assertThat(h.say("set a timer for three minutes")).isEqualTo("Timer set for three minutes.");
        assertThat(h.advance(Duration.ofSeconds(179))).isEmpty();
        assertThat(h.advance(Duration.ofSeconds(1))).containsExactly("Your three minute timer is done.");
        assertThat(h.say("how much time is left")).isEqualTo("You don't have any timers running.");
    }

    @Test
    void aNamedTimer() {
        assertThat(h.say("set a pasta timer for ten minutes")).isEqualTo("Pasta timer set for ten minutes.");
        h.advance(Duration.ofMinutes(4));
        assertThat(h.say("how much time is left")).isEqualTo("Your pasta timer has six minutes left.");
        assertThat(h.advance(Duration.ofMinutes(6))).containsExactly("Your pasta timer is done.");
    }

    @Test
    void severalTimersRunAndAreReportedSoonestFirst() {
        assertThat(h.say("set a pasta timer for ten minutes")).isEqualTo("Pasta timer set for ten minutes.");
        assertThat(h.say("set an egg timer for 3 minutes")).isEqualTo("Egg timer set for three minutes.");
        assertThat(h.say("start a timer for an hour and a half")).isEqualTo("Timer set for one hour and thirty minutes.");
        h.advance(Duration.ofSeconds(90));
        assertThat(h.say("timer status")).isEqualTo("You have three timers: the egg timer has ninety seconds left, "
                + "the pasta timer has eight minutes and thirty seconds left and the timer for one hour and thirty "
                + "minutes has one hour and twenty-nine minutes left.");
        assertThat(h.say("how long on the pasta timer")).isEqualTo(
                "Your pasta timer has eight minutes and thirty seconds left.");
        assertThat(h.advance(Duration.ofMinutes(9))).containsExactly("Your egg timer is done.",
                "Your pasta timer is done.");
        assertThat(h.advance(Duration.ofMinutes(90))).containsExactly(
                "Your timer for one hour and thirty minutes is done.");
    }

    @Test
    void cancelsTheNamedTimerOnly() {
        h.say("set a pasta timer for ten minutes");
        h.say("set an egg timer for 3 minutes");
        assertThat(h.say("cancel the pasta timer")).isEqualTo("OK, I cancelled the pasta timer.");
        assertThat(h.advance(Duration.ofMinutes(20))).containsExactly("Your egg timer is done.");
    }

    @Test
    void asksWhichTimerToCancelWhenSeveralRun() {
        h.say("set a pasta timer for ten minutes");
        h.say("set an egg timer for 3 minutes");
        assertThat(h.say("cancel the timer")).isEqualTo(
                "You have two timers: the egg timer and the pasta timer. Which one should I cancel?");
        assertThat(h.say("the pasta one")).isEqualTo("OK, I cancelled the pasta timer.");
        assertThat(h.advance(Duration.ofMinutes(20))).containsExactly("Your egg timer is done.");
    }

    @Test
    void cancelsByLengthAndAll() {
        h.say("set a timer for 5 minutes");
        h.say("set a timer for 10 minutes");
        h.say("set a timer for 20 minutes");
        assertThat(h.say("cancel the ten minute timer")).isEqualTo("OK, I cancelled the ten minute timer.");
        assertThat(h.say("cancel all timers")).isEqualTo("OK, I cancelled both timers.");
        assertThat(h.advance(Duration.ofHours(1))).isEmpty();
        assertThat(h.say("cancel the timer")).isEqualTo("You don't have any timers running.");
    }

    @Test
    void cancelsTheOnlyTimerAndSaysWhenANamedOneIsMissing() {
        h.say("set a timer for 5 minutes");
        assertThat(h.say("cancel the pasta timer")).isEqualTo(
                "You don't have a pasta timer. You have a five minute timer.");
        assertThat(h.say("stop the timer")).isEqualTo("OK, I cancelled the five minute timer.");
        assertThat(h.clock.pending()).isZero();
    }

    @Test
    void asksForHowLongAndReadsTheAnswer() {
        assertThat(h.say("set a timer")).isEqualTo("For how long?");
        assertThat(h.say("five minutes")).isEqualTo("Timer set for five minutes.");
        assertThat(h.say("set a tea timer")).isEqualTo("For how long?");
        assertThat(h.say("four minutes please")).isEqualTo("Tea timer set for four minutes.");
        assertThat(h.advance(Duration.ofMinutes(5))).containsExactly("Your tea timer is done.",
                "Your five minute timer is done.");
    }

    @Test
    void aWholeTimerRequestAfterTheQuestionIsOneTimer() {
        assertThat(h.say("set a pasta timer")).isEqualTo("For how long?");
        assertThat(h.say("set a timer for five minutes")).isEqualTo("Timer set for five minutes.");
        assertThat(h.clock.pending()).isEqualTo(1);
    }

    @Test
    void manyTimersAreSummedUpByTheNextOne() {
        for (int i = 1; i <= 4; i++) {
            h.say("set a timer for " + i + " minutes");
        }
        assertThat(h.say("timer status")).isEqualTo(
                "You have four timers. The next one, the one minute timer, has one minute left.");
    }

    @Test
    void aNewRequestInsteadOfTheLengthIsAnsweredAsSuch() {
        assertThat(h.say("set a timer")).isEqualTo("For how long?");
        assertThat(h.say("what time is it")).isEqualTo("It's five oh seven PM.");
        assertThat(h.say("five minutes")).startsWith("Sorry, I can't do that yet.");
    }

    @Test
    void aTimerWithTheSameNameReplacesTheOldOne() {
        h.say("set a pasta timer for ten minutes");
        assertThat(h.say("set a pasta timer for 12 minutes")).isEqualTo(
                "Pasta timer set for twelve minutes. The old one is cancelled.");
        assertThat(h.advance(Duration.ofMinutes(11))).isEmpty();
        assertThat(h.advance(Duration.ofMinutes(1))).containsExactly("Your pasta timer is done.");
    }

    @Test
    void refusesTimersTooLongOrTooMany() {
        assertThat(h.say("set a timer for 25 hours")).isEqualTo("I can set timers for up to 24 hours.");
        for (int i = 1; i <= Timers.MAX; i++) {
            h.say("set a timer for " + i + " minutes");
        }
        assertThat(h.say("set a timer for 2 hours")).isEqualTo(
                "You already have 20 timers and reminders running. Cancel one first.");
    }

    @Test
    void closingTheSessionCancelsEverything() {
        h.say("set a timer for three minutes");
        h.say("remind me to call mom in ten minutes");
        assertThat(h.clock.pending()).isEqualTo(2);
        h.dialog.close();
        assertThat(h.clock.pending()).isZero();
        assertThat(h.advance(Duration.ofHours(1))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "set a pasta timer for ten minutes            | pasta",
            "set a ten minute egg timer                   | egg",
            "set a timer for the pasta for 10 minutes     | pasta",
            "set a timer for ten minutes for the eggs     | eggs",
            "start a timer called tea for four minutes    | tea",
            "set the kitchen timer to 5 minutes           | kitchen",
            "set a timer for ten minutes                  | -",
            "set a 3 minute timer                         | -",
            "timer for 5 minutes                          | -",
            "set a timer                                  | -",
    })
    void readsTheName(String text, String name) {
        List<String> w = SpokenText.tokens(text);
        DurationMatch d = Durations.find(w).orElse(null);
        assertThat(TimerSkill.name(w, d)).isEqualTo(name);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "PT0.2S    | one second",
            "PT59.1S   | one minute",
            "PT45S     | forty-five seconds",
            "PT90S     | ninety seconds",
            "PT4M20.5S | four minutes and twenty-one seconds",
            "PT12M20S  | twelve minutes",
            "PT12M40S  | thirteen minutes",
            "PT1H29M40S| one hour and thirty minutes",
    })
    void saysTimeLeftAsPreciselyAsUseful(String d, String expected) {
        assertThat(TimerSkill.remaining(Duration.parse(d))).isEqualTo(expected);
    }
}

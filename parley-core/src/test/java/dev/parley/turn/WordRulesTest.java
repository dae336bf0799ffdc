package dev.parley.turn;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WordRulesTest {
    private final WordRules judge = WordRules.ENGLISH;

    @ParameterizedTest
    @ValueSource(strings = {"the blind man", "when you hear the bell", "set a timer for", "and then",
            "set a timer for the", "what's", "add apples and", "can you", "if it rains", "i want to",
            "set a timer for three", "um", "what is the capital of", "the date is", "mend the coat before you",
            "set a timer for two hours and ten", "because", "is my timer", "when will the timer", "please add",
            "what do you", "tell me what", "how many", "i", "speak slower so"})
    void unfinishedUtterancesScoreBelowOneHalf(String words) {
        assertThat(judge.finished(words)).as(words).isLessThan(0.5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"what time is it", "set a timer for five minutes", "the blind man counted his old coins",
            "when you hear the bell come quickly", "stop", "yes", "what's the weather", "the weather", "louder",
            "timer status", "ten of clubs", "five five", "one two three", "where are you from", "what is it for",
            "what's the weather like", "turn it on", "yes i can", "repeat that", "i think so", "why not",
            "a bit louder", "give me the time would you", "if it rains i will stay home", "when is the meeting",
            "what are you able to do", "remind me at ten am", "huh what", "so do i", "what does the timer say",
            "did the yankees win", "what do i need to buy", "how does this work", "who did it", "what is the time",
            "hold on", "what is it about", "excuse me", "five divided by three", "yes it is"})
    void finishedUtterancesScoreAtLeastOneHalf(String words) {
        assertThat(judge.finished(words)).as(words).isGreaterThanOrEqualTo(0.5);
    }

    @Test
    void recogniserSpellingsReadTheSame() {
        assertThat(judge.finished("What's")).isEqualTo(judge.finished("whats"));
        assertThat(judge.finished("Set a timer for, um,")).isLessThan(0.5);
        assertThat(judge.finished("Set a timer for 3")).isLessThan(0.5);
        assertThat(judge.finished("Set a timer for 3 minutes.")).isGreaterThanOrEqualTo(0.5);
    }

    @Test
    void probabilitiesAreGradedByHowSureTheRuleIs() {
        assertThat(judge.finished("set a timer for the")).isLessThan(judge.finished("the blind man"));
        assertThat(judge.finished("the blind man")).isLessThan(judge.finished("what time is it"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t\n", "?!.,;", "'''", "12345", "шестьдесят тысяч тенге сколько будет стоить",
            "нейронные сети это хорошо", "ß∂ƒ©˙∆˚¬ 🙂 \u0000", "the \uD83D"})
    void oddInputGivesASaneValue(String words) {
        double p = judge.finished(words);
        assertThat(p).isBetween(0.0, 1.0);
    }

    @Test
    void emptyAndForeignTextAreLeftToSilence() {
        assertThat(judge.finished("")).isEqualTo(1.0);
        assertThat(judge.finished(null)).isEqualTo(1.0);
        assertThat(judge.finished("нейронные сети это хорошо")).isGreaterThanOrEqualTo(0.5);
    }

    @Test
    void veryLongInputIsJudgedQuicklyByItsEnd() {
        String longText = "word ".repeat(20_000) + "set a timer for";
        assertThat(longText.length()).isGreaterThan(100_000);
        assertThat(judge.finished(longText)).isLessThan(0.5);
        assertThat(judge.finished("x".repeat(100_000))).isBetween(0.0, 1.0);
        // judged by its end: the same as the last words alone (no wall-clock check, which failed on busy machines;
        // a judge that walked the whole text would still show here as a slow test, and in parley-jmh)
        assertThat(judge.finished(longText)).isEqualTo(judge.finished("word ".repeat(20) + "set a timer for"));
        for (int i = 0; i < 1_000; i++) assertThat(judge.finished(longText)).isLessThan(0.5);
    }

    @Test
    void everyPrefixOfAnAssistantCommandIsJudgedWithoutThrowing() {
        String command = "hey parley, could you please set a timer for twenty five minutes and then remind me";
        for (int i = 0; i <= command.length(); i++) {
            assertThat(judge.finished(command.substring(0, i))).isBetween(0.0, 1.0);
        }
    }
}

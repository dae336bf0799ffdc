package dev.parley.bench.turns;

import dev.parley.embedded.stt.VoskSpeechRecognizer.Word;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PauseSitesTest {
    private static final List<Word> WORDS = List.of(new Word("set", 0.50, 0.70), new Word("a", 0.72, 0.80),
            new Word("timer", 0.80, 1.10), new Word("for", 1.60, 1.80), new Word("ten", 1.85, 2.05), new Word("minutes", 2.10, 2.60));

    @Test
    void sitesLieBetweenWordsWhereTheGapIsShortNeverAtTheEdges() {
        List<Double> sites = PauseSites.choose(WORDS, 7);
        // timer -> for has a 0.5 s gap already: not a site; nothing before "set" or after "minutes"
        assertThat(sites.stream().map(s -> Math.round(s * 1000))).containsExactlyInAnyOrder(710L, 800L, 1825L, 2075L);
        assertThat(sites).allSatisfy(s -> assertThat(s).isBetween(0.70, 2.10));
    }

    @Test
    void theChoiceIsSeeded() {
        assertThat(PauseSites.choose(WORDS, 7)).isEqualTo(PauseSites.choose(WORDS, 7));
        assertThat(PauseSites.choose(List.of(new Word("alexa", 0.5, 1.0)), 7)).isEmpty();
    }

    @Test
    void aSiteAfterAGivenWord() {
        assertThat(PauseSites.after(WORDS, Set.of("for"))).isCloseTo(1.825, within(1e-9));
        assertThat(PauseSites.after(WORDS, Set.of("minutes"))).isEqualTo(-1);
    }
}

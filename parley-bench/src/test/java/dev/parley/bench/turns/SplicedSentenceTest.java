package dev.parley.bench.turns;

import dev.parley.dialog.RuleBasedDialog;
import dev.parley.eval.CorpusManifest;
import dev.parley.eval.WordErrorRate;
import dev.parley.embedded.models.ModelCache;
import dev.parley.embedded.models.ProgressListener;
import dev.parley.embedded.EmbeddedStack;
import dev.parley.session.SessionConfig;
import dev.parley.session.SessionEvent;
import dev.parley.session.VoiceSession;
import dev.parley.embedded.tts.MaryTtsSynthesizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A corpus command with a pause spliced in after "for" ("set a timer for … 3 hours and 10 minutes"), through a
 * {@link VoiceSession} with the real Silero VAD and Vosk, judged by its events. Silence alone cuts the sentence in two;
 * turn detection by words should hear one unfinished sentence and wait for the rest.
 */
class SplicedSentenceTest {
    private static final Path CORPUS = Path.of(System.getProperty("parley.shared", "../../shared"), "corpus", "dev");
    private static final String CLIP = "speech2phrase__set_a_timer_for_3_hours_and_10_minutes.wav";
    private static final int PAUSE_MS = 1000;

    private static EmbeddedStack stack;
    private static Recording sentence;

    @BeforeAll
    static void load() throws Exception {
        stack = EmbeddedStack.load(ModelCache.createDefault(ProgressListener.NONE), MaryTtsSynthesizer.DEFAULT_VOICE);
        CorpusManifest.Clip meta = CorpusManifest.read(CORPUS).stream().filter(c -> c.name().equals(CLIP)).findFirst().orElseThrow();
        SourceClip clip = SourceClip.read(meta);
        double site = PauseSites.after(stack.stt().words(clip.audio().samples()), Set.of("for", "the", "and"));
        assertThat(site).as("a boundary after 'for'").isBetween(meta.speechStartS(), meta.speechEndS());
        sentence = Recordings.paused(clip, site, PAUSE_MS);
    }

    private static EventLog play(TurnMode mode) {
        SessionConfig config = SessionConfig.DEFAULT.withDetection(mode.detection());
        return new Scenarios(() -> {
            VoiceSession.Engines e = stack.engines(new RuleBasedDialog(Clock.systemUTC()));
            return new VoiceSession.Engines(e.vad(), e.stt(), e.dialog(), e.tts(), mode.judge());
        }, config, 16_000).play(sentence);
    }

    @Test
    void silenceAloneCutsTheSentenceIntoTwoTurns() {
        EventLog log = play(TurnMode.silence);
        double end = sentence.speechEndMs();
        assertThat(log.turnEnds()).as(log.events().toString()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(log.turnEnds().getFirst().atMs()).as("the first turn ends in the pause, before the sentence does").isLessThan(end);
        assertThat(Outcomes.Pause.of(sentence, log).whole()).isFalse();
    }

    @Test
    @Disabled("measured 2026-12-05: at the pause Vosk settles \"set a time for it\" (an \"it\" not said) and the word rules judge that finished; needs a learned end-of-turn model, see README (issue 12)")
    void wordsHearOneUnfinishedSentenceAndWaitForTheRest() {
        EventLog log = play(TurnMode.words);
        double end = sentence.speechEndMs();
        assertThat(log.turnEnds()).as(log.events().toString()).hasSize(1);
        assertThat(log.turnEnds().getFirst().atMs()).isGreaterThanOrEqualTo(end);
        assertThat(log.all(SessionEvent.ReplyAudioStarted.class)).allSatisfy(s -> assertThat(s.atMs()).isGreaterThan(end));
        assertThat(WordErrorRate.compute(sentence.sentences().getFirst().reference(), log.lastTranscript()).wer()).isLessThanOrEqualTo(0.35);
    }
}

package dev.parley.bench.turns;

import dev.parley.audio.PcmAudio;
import dev.parley.session.SessionEvent;
import dev.parley.stt.Transcript;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Scores built from hand-written event logs on a clock the test moves. */
class OutcomesTest {
    private final AtomicLong now = new AtomicLong();
    private final EventLog log = new EventLog(now::get, 0);

    private void at(double ms, SessionEvent e) {
        now.set((long) (ms * 1e6));
        log.on(e);
    }

    private static Recording run() {
        PcmAudio audio = PcmAudio.silence(16_000, 6_000);
        return new Recording("run", audio, RoomTone.of(audio), List.of(
                new Recording.Sentence("what time is it", 500, 1_500),
                new Recording.Sentence("whats the weather", 3_000, 4_000)), 0);
    }

    @Test
    void aTurnTheNextWordsContinuedIsNotATranscriptOfItsOwn() {
        at(1_800, new SessionEvent.SpeechStopped(1, 1_500));
        at(1_900, new SessionEvent.FinalTranscript(1, new Transcript("what time is it", 0.9)));
        at(3_100, new SessionEvent.SpeechStarted(2, 3_000));
        at(3_100, new SessionEvent.Merged(1));
        at(4_300, new SessionEvent.SpeechStopped(2, 4_000));
        at(4_400, new SessionEvent.FinalTranscript(2, new Transcript("what time is it whats the weather", 0.9)));

        assertThat(log.transcripts()).containsExactly("what time is it whats the weather");
        Outcomes.Run r = Outcomes.Run.of(run(), log);
        assertThat(r.twice()).isZero();
        assertThat(r.missed()).isZero();
    }

    @Test
    void aSentenceInTwoStandingTranscriptsIsCountedTwice() {
        at(1_800, new SessionEvent.SpeechStopped(1, 1_500));
        at(1_900, new SessionEvent.FinalTranscript(1, new Transcript("what time is it", 0.9)));
        at(4_300, new SessionEvent.SpeechStopped(2, 4_000));
        at(4_400, new SessionEvent.FinalTranscript(2, new Transcript("what time is it whats the weather", 0.9)));

        Outcomes.Run r = Outcomes.Run.of(run(), log);
        assertThat(r.twice()).isEqualTo(1);
        assertThat(r.ownTurns()).isEqualTo(2);
    }
}

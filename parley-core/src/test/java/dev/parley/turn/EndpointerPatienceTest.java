package dev.parley.turn;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The endpointer's patience: once a pause has lasted the endpoint silence (300 ms = 10 frames of 32 ms after the
 * speech), it asks how much longer the pause may go on.
 */
class EndpointerPatienceTest {
    private static final int FRAME = 512; // 32 ms at 16 kHz
    private static final long F = FRAME;

    private final Endpointer ep = new Endpointer(Endpointer.Config.DEFAULT, 16_000);
    private final List<Long> askedAt = new ArrayList<>();
    private final List<Endpointer.Event> events = new ArrayList<>();
    private long end;

    /** A patience that answers {@code answer} and notes the frame end at which it was asked. */
    private Endpointer.Patience patience(IntSupplier answer) {
        return () -> {
            askedAt.add(end);
            return answer.getAsInt();
        };
    }

    /** Feeds {@code count} frames of {@code p}; returns the events they caused. */
    private List<Endpointer.Event> frames(float p, int count) {
        List<Endpointer.Event> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            end += FRAME;
            Endpointer.Event e = ep.onFrame(p, end, FRAME);
            if (e != null) out.add(e);
        }
        events.addAll(out);
        return out;
    }

    @Test
    void askedOnceWhenThePauseReachesTheEndpointSilence() {
        ep.patience(patience(() -> 700));
        frames(0.9f, 20); // speech in frames 0..19
        frames(0.1f, 9);
        assertThat(askedAt).as("not before 300 ms of silence").isEmpty();
        frames(0.1f, 1);
        assertThat(askedAt).containsExactly(30 * F);
        frames(0.1f, 15);
        assertThat(askedAt).as("once per pause").hasSize(1);
        assertThat(ep.pausing()).isTrue();
        assertThat(ep.pausedSince()).isEqualTo(20 * F);
    }

    @Test
    void extraMillisecondsExtendThePause() {
        ep.patience(patience(() -> 700));
        frames(0.9f, 20);
        // 300 + 700 ms = 16000 samples after the speech: 32 frames (31 are 15872)
        assertThat(frames(0.1f, 31)).isEmpty();
        assertThat(ep.inSpeech()).isTrue();
        assertThat(frames(0.1f, 1)).containsExactly(new Endpointer.Event.SpeechEnded(0, 20 * F, 52 * F, false));
        assertThat(ep.inSpeech()).isFalse();
        assertThat(askedAt).hasSize(1);
    }

    @Test
    void speechResumingWithinTheExtraTimeContinuesTheUtteranceAndTheNextPauseAsksAgain() {
        int[] answers = {700, 0};
        ep.patience(patience(() -> answers[askedAt.size() - 1]));
        frames(0.9f, 20);
        frames(0.1f, 15); // asked at 10, extended
        frames(0.9f, 10); // speech again in frames 35..44: the same utterance
        assertThat(events).containsExactly(new Endpointer.Event.SpeechStarted(0));
        assertThat(ep.inSpeech()).isTrue();
        assertThat(askedAt).containsExactly(30 * F);
        frames(0.1f, 9);
        assertThat(askedAt).hasSize(1);
        // the second pause is asked about when it reaches the endpoint silence, and this time ends the turn
        assertThat(frames(0.1f, 1)).containsExactly(new Endpointer.Event.SpeechEnded(0, 45 * F, 55 * F, false));
        assertThat(askedAt).containsExactly(30 * F, 55 * F);
    }

    @Test
    void noExtraTimeEndsAtTheEndpointSilenceExactlyAsWithoutPatience() {
        ep.patience(patience(() -> 0));
        frames(0.1f, 3);
        frames(0.9f, 20);
        frames(0.1f, 15);
        Endpointer plain = new Endpointer(Endpointer.Config.DEFAULT, 16_000);
        List<Endpointer.Event> expected = new ArrayList<>();
        long e = 0;
        float[] script = new float[38];
        for (int i = 0; i < script.length; i++) script[i] = i >= 3 && i < 23 ? 0.9f : 0.1f;
        for (float p : script) {
            e += FRAME;
            Endpointer.Event ev = plain.onFrame(p, e, FRAME);
            if (ev != null) expected.add(ev);
        }
        assertThat(events).isEqualTo(expected).containsExactly(new Endpointer.Event.SpeechStarted(3 * F),
                new Endpointer.Event.SpeechEnded(3 * F, 23 * F, 33 * F, false));
        assertThat(askedAt).containsExactly(33 * F);
    }

    @Test
    void aNegativeAnswerCountsAsNoExtraTime() {
        ep.patience(patience(() -> -500));
        frames(0.9f, 20);
        assertThat(frames(0.1f, 10)).containsExactly(new Endpointer.Event.SpeechEnded(0, 20 * F, 30 * F, false));
    }

    @Test
    void nullMeansNoPatience() {
        ep.patience(patience(() -> 700));
        ep.patience(null);
        frames(0.9f, 20);
        assertThat(frames(0.1f, 10)).containsExactly(new Endpointer.Event.SpeechEnded(0, 20 * F, 30 * F, false));
        assertThat(askedAt).isEmpty();
    }

    @Test
    void theMaximumLengthForcesTheEndWhateverThePatience() {
        Endpointer.Config config = new Endpointer.Config(0.5f, 160, 300, 2000); // 2000 ms = 62.5 frames
        Endpointer capped = new Endpointer(config, 16_000);
        capped.patience(patience(() -> 10_000));
        List<Endpointer.Event> out = new ArrayList<>();
        long e = 0;
        for (int i = 0; i < 70; i++) {
            e += FRAME;
            end = e;
            // speech, a pause of 12 frames (asked, extended by 10 s), then speech on past the maximum
            float p = i < 20 || i >= 32 ? 0.9f : 0.1f;
            Endpointer.Event ev = capped.onFrame(p, e, FRAME);
            if (ev != null) out.add(ev);
            if (out.size() == 2) break;
        }
        assertThat(askedAt).containsExactly(30 * F);
        assertThat(out).containsExactly(new Endpointer.Event.SpeechStarted(0),
                new Endpointer.Event.SpeechEnded(0, 63 * F, 63 * F, true));
    }

    @Test
    void continuousSpeechToTheMaximumNeverAsks() {
        Endpointer capped = new Endpointer(new Endpointer.Config(0.5f, 160, 300, 1000), 16_000);
        capped.patience(patience(() -> 10_000));
        Endpointer.Event ended = null;
        for (long e = F; ended == null; e += F) {
            if (capped.onFrame(0.9f, e, FRAME) instanceof Endpointer.Event.SpeechEnded s) ended = s;
        }
        assertThat(ended).isEqualTo(new Endpointer.Event.SpeechEnded(0, 32 * F, 32 * F, true));
        assertThat(askedAt).isEmpty();
    }

    @Test
    void endNowIgnoresThePatience() {
        ep.patience(patience(() -> 1200));
        frames(0.9f, 20);
        frames(0.1f, 14); // asked at 10, extended
        assertThat(askedAt).hasSize(1);
        assertThat(ep.endNow()).isEqualTo(new Endpointer.Event.SpeechEnded(0, 20 * F, 34 * F, true));
        assertThat(ep.inSpeech()).isFalse();
        assertThat(frames(0.1f, 40)).isEmpty();
    }

    @Test
    void endNowBeforeTheEndpointSilenceDoesNotAsk() {
        ep.patience(patience(() -> 1200));
        frames(0.9f, 20);
        frames(0.1f, 4);
        assertThat(ep.endNow()).isEqualTo(new Endpointer.Event.SpeechEnded(0, 20 * F, 24 * F, true));
        assertThat(askedAt).isEmpty();
    }

    @Test
    void afterResetTheNextPauseIsAskedAgainAndItsAnswerCounts() {
        int[] answers = {1200, 0};
        ep.patience(patience(() -> answers[askedAt.size() - 1]));
        frames(0.9f, 20);
        frames(0.1f, 12); // asked: 1200 ms more
        ep.reset();
        assertThat(ep.inSpeech()).isFalse();
        events.clear();
        frames(0.9f, 20); // a new utterance in frames 32..51
        assertThat(frames(0.1f, 10)).containsExactly(new Endpointer.Event.SpeechEnded(32 * F, 52 * F, 62 * F, false));
        assertThat(askedAt).containsExactly(30 * F, 62 * F);
    }
}

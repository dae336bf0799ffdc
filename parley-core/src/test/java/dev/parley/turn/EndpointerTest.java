package dev.parley.turn;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EndpointerTest {
    private static final int FRAME = 512; // 32 ms at 16 kHz

    /** The endpointer most tests use: threshold 0.5, 160 ms of speech to start, 300 ms of silence to end, 30 s at most. */
    private final Endpointer ep = new Endpointer(new Endpointer.Config(0.5f, 160, 300, 30_000), 16_000);

    /** Feeds one probability per frame from the start; returns the events with the index of the frame that caused them. */
    private static List<Endpointer.Event> run(Endpointer ep, float... probabilities) {
        return run(ep, 0, probabilities);
    }

    /** Feeds one probability per frame, the first frame following sample {@code from}; returns the events. */
    private static List<Endpointer.Event> run(Endpointer ep, long from, float... probabilities) {
        List<Endpointer.Event> events = new ArrayList<>();
        long end = from;
        for (float p : probabilities) {
            end += FRAME;
            Endpointer.Event e = ep.onFrame(p, end, FRAME);
            if (e != null) events.add(e);
        }
        return events;
    }

    /** The utterance's end, reported as the second event (after its start). */
    private static Endpointer.Event.SpeechEnded endOf(List<Endpointer.Event> events) {
        return (Endpointer.Event.SpeechEnded) events.get(1);
    }

    private static float[] frames(Object... spans) {
        // pairs of (probability, count)
        List<Float> out = new ArrayList<>();
        for (int i = 0; i < spans.length; i += 2) {
            for (int k = 0; k < (int) spans[i + 1]; k++) out.add(((Number) spans[i]).floatValue());
        }
        float[] a = new float[out.size()];
        for (int i = 0; i < a.length; i++) a[i] = out.get(i);
        return a;
    }

    @Test
    void startsAfterMinimumSpeechAndReportsTheTrueStart() {
        // 10 silent frames, then speech: 160 ms = 5 frames of 32 ms
        List<Endpointer.Event> events = run(ep, frames(0.1, 10, 0.9, 5));
        assertThat(events).containsExactly(new Endpointer.Event.SpeechStarted(10L * FRAME));
        assertThat(ep.inSpeech()).isTrue();
    }

    @Test
    void ignoresClicksShorterThanMinimumSpeech() {
        assertThat(run(ep, frames(0.1, 3, 0.9, 4, 0.1, 20, 0.9, 2, 0.05, 20))).isEmpty();
        assertThat(ep.inSpeech()).isFalse();
    }

    @Test
    void endsAfterSilenceAndReportsWhereSpeechReallyEnded() {
        // speech frames 0..19, then silence; 300 ms of silence needs 10 frames (320 ms)
        List<Endpointer.Event> events = run(ep, frames(0.9, 20, 0.1, 12));
        assertThat(events).hasSize(2);
        var ended = endOf(events);
        assertThat(ended.startSample()).isZero();
        assertThat(ended.endSample()).isEqualTo(20L * FRAME);
        assertThat(ended.decidedSample()).isEqualTo(30L * FRAME);
        assertThat(ended.forced()).isFalse();
        assertThat(ep.inSpeech()).isFalse();
    }

    @Test
    void pausesShorterThanTheEndpointSilenceKeepTheTurnOpen() {
        List<Endpointer.Event> events = run(ep, frames(0.9, 10, 0.1, 8, 0.9, 10, 0.1, 10));
        assertThat(events).hasSize(2);
        var ended = endOf(events);
        assertThat(ended.endSample()).isEqualTo(28L * FRAME);
    }

    @Test
    void hysteresisKeepsSpeechThroughMiddlingFrames() {
        // 0.4 is below the start threshold but above the release threshold (0.35): still speech once speaking
        List<Endpointer.Event> events = run(ep, frames(0.9, 6, 0.4, 30, 0.1, 10));
        var ended = endOf(events);
        assertThat(ended.endSample()).isEqualTo(36L * FRAME);
    }

    @Test
    void aMiddlingFrameDuringTrailingSilenceDoesNotRestartSpeech() {
        List<Endpointer.Event> events = run(ep, frames(0.9, 6, 0.1, 4, 0.4, 2, 0.1, 4));
        var ended = endOf(events);
        assertThat(ended.endSample()).isEqualTo(6L * FRAME);
        assertThat(ended.decidedSample()).isEqualTo(16L * FRAME);
    }

    @Test
    void forcesAnEndAtTheMaximumUtteranceLength() {
        Endpointer capped = new Endpointer(new Endpointer.Config(0.5f, 160, 300, 1000), 16_000);
        List<Endpointer.Event> events = run(capped, frames(0.9, 40));
        // the speech goes on after the forced end, so a new utterance starts
        assertThat(events).hasSize(3);
        assertThat(events.get(2)).isInstanceOf(Endpointer.Event.SpeechStarted.class);
        var ended = endOf(events);
        assertThat(ended.forced()).isTrue();
        assertThat((ended.decidedSample() - ended.startSample()) * 1000 / 16_000).isBetween(1000L, 1032L);
    }

    @Test
    void rejectsNonsenseSettings() {
        assertThatThrownBy(() -> new Endpointer.Config(1.5f, 160, 300, 30_000)).hasMessageContaining("threshold");
        assertThatThrownBy(() -> new Endpointer.Config(0.5f, 160, 0, 30_000)).hasMessageContaining("silence");
        assertThatThrownBy(() -> new Endpointer.Config(0.5f, -1, 300, 30_000)).hasMessageContaining("minimum");
    }

    /** Feeds (probability, level, count) triples; returns the events. */
    private static List<Endpointer.Event> runWithLevels(Endpointer ep, double... spans) {
        List<Endpointer.Event> events = new ArrayList<>();
        long end = 0;
        for (int i = 0; i < spans.length; i += 3) {
            for (int k = 0; k < (int) spans[i + 2]; k++) {
                end += FRAME;
                Endpointer.Event e = ep.onFrame((float) spans[i], spans[i + 1], end, FRAME);
                if (e != null) events.add(e);
            }
        }
        return events;
    }

    @Test
    void theQuietTailTheVadStillCallsSpeechIsNotWaitedFor() {
        // 10 loud frames, then 5 frames of breath the VAD still scores as speech (26 dB down), then silence
        var events = runWithLevels(ep, 0.9, 3000, 10, 0.8, 150, 5, 0.05, 10, 20);
        var ended = endOf(events);
        assertThat(ended.endSample()).isEqualTo(10L * FRAME);
        // 300 ms after the end of the speech itself (10 frames), and 160 ms after the VAD let go (5 frames)
        assertThat(ended.decidedSample()).isEqualTo(20L * FRAME);
        // without levels the same frames are waited for from where the VAD let go
        var vadOnly = endOf(run(new Endpointer(ep.config(), 16_000), frames(0.9, 10, 0.8, 5, 0.05, 20)));
        assertThat(vadOnly.decidedSample()).isEqualTo(25L * FRAME);
    }

    @Test
    void theVadMustHaveHeardSilenceForHalfTheEndpointSilence() {
        // a long quiet stretch the VAD calls speech (a soft ending), released at frame 22
        var events = runWithLevels(ep, 0.9, 3000, 10, 0.8, 100, 12, 0.05, 10, 20);
        var ended = endOf(events);
        assertThat(ended.endSample()).isEqualTo(10L * FRAME);
        assertThat(ended.decidedSample()).isEqualTo(27L * FRAME); // 22 + 5 frames (>= 150 ms)
    }

    @Test
    void loudSoundInTheTrailingSilenceFallsBackToTheVadsEnd() {
        // noise as loud as the speech but not speech-like keeps the level up: the VAD's end is used
        var events = runWithLevels(ep, 0.9, 3000, 10, 0.05, 3000, 12);
        var ended = endOf(events);
        assertThat(ended.endSample()).isEqualTo(10L * FRAME);
        assertThat(ended.decidedSample()).isEqualTo(20L * FRAME);
    }

    @Test
    void endNowDuringSpeechEndsTheUtteranceAtTheLastFrame() {
        assertThat(run(ep, frames(0.1, 4, 0.9, 12))).containsExactly(new Endpointer.Event.SpeechStarted(4L * FRAME));
        assertThat(ep.endNow()).isEqualTo(new Endpointer.Event.SpeechEnded(4L * FRAME, 16L * FRAME, 16L * FRAME, true));
        assertThat(ep.inSpeech()).isFalse();
        assertThat(ep.maybeSpeech()).isFalse();
        assertThat(ep.pausedSince()).isEqualTo(-1);
        // nothing more to end
        assertThat(ep.endNow()).isNull();
    }

    @Test
    void endNowInTheTrailingSilenceReportsWhereTheSpeechStopped() {
        // speech in frames 0..9, then 4 silent frames: not yet the 10 the endpoint needs
        assertThat(run(ep, frames(0.9, 10, 0.1, 4))).hasSize(1);
        assertThat(ep.inSpeech()).isTrue();
        assertThat(ep.endNow()).isEqualTo(new Endpointer.Event.SpeechEnded(0, 10L * FRAME, 14L * FRAME, true));
        assertThat(ep.inSpeech()).isFalse();
    }

    @Test
    void endNowUsesTheLevelRefinedEnd() {
        // 10 loud frames, 5 frames of breath the VAD scores as speech, 3 silent frames
        runWithLevels(ep, 0.9, 3000, 10, 0.8, 150, 5, 0.05, 10, 3);
        assertThat(ep.endNow()).isEqualTo(new Endpointer.Event.SpeechEnded(0, 10L * FRAME, 18L * FRAME, true));
    }

    @Test
    void endNowWithoutConfirmedSpeechReturnsNullAndForgetsACandidateStart() {
        assertThat(ep.endNow()).isNull();
        // 3 loud frames: speech may be starting (5 are needed)
        assertThat(run(ep, frames(0.1, 2, 0.9, 3))).isEmpty();
        assertThat(ep.maybeSpeech()).isTrue();
        assertThat(ep.endNow()).isNull();
        assertThat(ep.maybeSpeech()).isFalse();
        // the candidate was dropped: 2 more loud frames do not confirm it, 5 do, from their own start
        assertThat(run(ep, 5L * FRAME, frames(0.9, 4))).as("the first 4 frames").isEmpty();
        assertThat(run(ep, 9L * FRAME, frames(0.9, 1))).containsExactly(new Endpointer.Event.SpeechStarted(5L * FRAME));
    }

    @Test
    void afterEndNowTheSilenceThatFollowsEndsNothingAndNewSpeechStartsANewUtterance() {
        List<Endpointer.Event> events = new ArrayList<>(run(ep, frames(0.9, 10)));
        events.add(ep.endNow());
        events.addAll(run(ep, 10L * FRAME, frames(0.05, 20))); // silence: no second end
        events.addAll(run(ep, 30L * FRAME, frames(0.9, 6))); // speech again: a new utterance, starting at frame 30
        assertThat(events).containsExactly(
                new Endpointer.Event.SpeechStarted(0),
                new Endpointer.Event.SpeechEnded(0, 10L * FRAME, 10L * FRAME, true),
                new Endpointer.Event.SpeechStarted(30L * FRAME));
    }

    @Test
    void speechGoingOnAfterEndNowIsANewUtteranceOnceConfirmed() {
        run(ep, frames(0.9, 8));
        assertThat(ep.endNow()).isInstanceOf(Endpointer.Event.SpeechEnded.class);
        // the voice goes on: it must be confirmed again (5 frames) before it counts
        assertThat(run(ep, 8L * FRAME, frames(0.9, 5))).containsExactly(new Endpointer.Event.SpeechStarted(8L * FRAME));
    }
}

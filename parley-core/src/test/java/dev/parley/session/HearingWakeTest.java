package dev.parley.session;

import dev.parley.audio.PcmAudio;
import dev.parley.reply.Reply;
import dev.parley.stt.Transcript;
import dev.parley.stt.Utterance;
import dev.parley.testing.Fakes.LoudnessVad;
import dev.parley.testing.Fakes.Script;
import dev.parley.testing.Fakes.ScriptedStt;
import dev.parley.testing.Fakes.ScriptedWake;
import dev.parley.turn.Endpointer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The wake gate of the input side, fed audio frame by frame (512 samples = 32 ms) on the test's thread, with a
 * listener that hears the phrase once it has been given a set amount of audio. Speech is confirmed 160 ms after it
 * starts; 300 ms of silence end it.
 */
class HearingWakeTest {
    private static final int MS = 16;

    private final LoudnessVad vad = new LoudnessVad();
    private final List<String> calls = new ArrayList<>();
    private final List<Endpointer.Event.SpeechEnded> ends = new ArrayList<>();
    private boolean replying;
    private int nextTurn = 1;

    private final Hearing.Turns turns = new Hearing.Turns() {
        @Override
        public Hearing.Started userStarted(long startMs, int continuesTurn) {
            calls.add("userStarted " + startMs + "ms");
            return new Hearing.Started(nextTurn++, null);
        }

        @Override
        public int pushToTalkStarted() {
            throw new AssertionError("turn detection is on");
        }

        @Override
        public void userEnded(Utterance u, Endpointer.Event.SpeechEnded end, boolean heardByVad, Reply speculative) {
            calls.add("userEnded " + u.turn());
            ends.add(end);
            u.close();
        }

        @Override
        public boolean pauseReply() {
            return false;
        }

        @Override
        public CompletableFuture<Transcript> stopReply(int continuesTurn) {
            throw new AssertionError("no reply was paused");
        }

        @Override
        public void resumeReply(int droppedTurn) {
            throw new AssertionError("no reply was paused");
        }

        @Override
        public void partial(int turn, String words) {
        }

        @Override
        public void sttFailed(int turn, RuntimeException e) {
            throw new AssertionError(e);
        }

        @Override
        public Reply speculate(int turn, String words) {
            return null;
        }

        @Override
        public void quiet() {
        }

        @Override
        public boolean replying() {
            return replying;
        }

        @Override
        public void woke(String phrase, long atMs) {
            calls.add("woke " + phrase + " " + atMs + "ms");
        }
    };

    private static SessionConfig wake(int followUpMs) {
        return SessionConfig.DEFAULT.withDetection(SessionConfig.TurnDetection.SILENCE)
                .withWake(new SessionConfig.WakeWords(List.of("Computer"), followUpMs));
    }

    private static void feed(Hearing h, Script script) {
        PcmAudio audio = script.build();
        for (int i = 0; i < audio.length(); i += 320) h.accept(audio.slice(i, Math.min(audio.length(), i + 320)));
    }

    @Test
    void asleepSpeechOpensNoTurnAndEveryFrameGoesToTheListener() {
        ScriptedWake detector = new ScriptedWake(60_000, 0);
        ScriptedStt stt = new ScriptedStt(null, 0, "alexa what time is it");
        Hearing h = new Hearing(vad, stt, words -> 0.9, detector, wake(8000), turns);
        feed(h, new Script().silence(320).speech(800).silence(640));
        assertThat(calls).isEmpty();
        assertThat(stt.open).as("nothing is transcribed").isZero();
        assertThat(stt.samplesPerUtterance).isEmpty();
        assertThat(detector.phrases).containsExactly("computer");
        assertThat(detector.fed).isEqualTo(1760L * MS / 512 * 512);
    }

    @Test
    void theWordsAfterThePhraseAreTheTurn() {
        // "computer" from 320 to 720 ms, the request going on without a pause; heard 180 ms after its end
        ScriptedWake detector = new ScriptedWake(900, 720);
        ScriptedStt stt = new ScriptedStt(null, 0, "what time is it");
        Hearing h = new Hearing(vad, stt, words -> 0.9, detector, wake(8000), turns);
        feed(h, new Script().silence(320).speech(1200).silence(640));
        assertThat(calls).containsExactly("woke computer 720ms", "userStarted 720ms", "userEnded 1");
        assertThat(stt.samplesPerUtterance).as("from the phrase's end to the endpoint, nothing before")
                .containsExactly(ends.getFirst().decidedSample() - 720 * MS);
    }

    @Test
    void thePhraseAloneWakesTheSessionForTheNextUtterance() {
        ScriptedWake detector = new ScriptedWake(800, 720);
        ScriptedStt stt = new ScriptedStt(null, 0, "what time is it");
        Hearing h = new Hearing(vad, stt, words -> 0.9, detector, wake(8000), turns);
        feed(h, new Script().silence(320).speech(400).silence(1000));
        assertThat(calls).containsExactly("woke computer 720ms");
        long fedWhileAsleep = detector.fed;
        feed(h, new Script().speech(800).silence(640));
        assertThat(calls).containsExactly("woke computer 720ms", "userStarted 1696ms", "userEnded 1");
        assertThat(stt.samplesPerUtterance).hasSize(1);
        assertThat(detector.fed).as("the listener rests while the session is awake").isEqualTo(fedWhileAsleep);
    }

    @Test
    void aPauseAfterThePhraseWithinTheUtteranceStillGoesOnWithTheRequest() {
        ScriptedWake detector = new ScriptedWake(800, 720);
        Hearing h = new Hearing(vad, new ScriptedStt(null, 0, "what time is it"), words -> 0.9, detector, wake(8000), turns);
        feed(h, new Script().silence(320).speech(400).silence(192).speech(800).silence(640));
        assertThat(calls).containsExactly("woke computer 720ms", "userStarted 720ms", "userEnded 1");
    }

    @Test
    void afterTheFollowUpWindowThePhraseIsNeededAgain() {
        ScriptedWake detector = new ScriptedWake(800, 720);
        ScriptedStt stt = new ScriptedStt(null, 0, "what time is it");
        Hearing h = new Hearing(vad, stt, words -> 0.9, detector, wake(1000), turns);
        feed(h, new Script().silence(320).speech(400).silence(1600));
        long fed = detector.fed;
        feed(h, new Script().speech(800).silence(640));
        assertThat(calls).containsExactly("woke computer 720ms");
        assertThat(stt.open).isZero();
        assertThat(detector.fed).as("listening again once the window closed").isGreaterThan(fed + 1000L * MS);
        assertThat(detector.resets).as("a fresh start after its rest").isEqualTo(3);
    }

    @Test
    void aReplyKeepsTheSessionAwakeUntilTheWindowAfterIt() {
        ScriptedWake detector = new ScriptedWake(800, 720);
        ScriptedStt stt = new ScriptedStt(null, 0, "what time is it", "and tomorrow");
        Hearing h = new Hearing(vad, stt, words -> 0.9, detector, wake(1000), turns);
        feed(h, new Script().silence(320).speech(1200).silence(640));
        assertThat(calls).containsExactly("woke computer 720ms", "userStarted 720ms", "userEnded 1");
        replying = true; // the reply takes 3 s, longer than the window
        feed(h, new Script().silence(3000));
        replying = false;
        feed(h, new Script().silence(800).speech(800).silence(640));
        assertThat(calls).containsExactly("woke computer 720ms", "userStarted 720ms", "userEnded 1",
                "userStarted 5952ms", "userEnded 2");
    }

    @Test
    void phrasesTheDetectorCannotHearAreRefusedAndNothingChanges() {
        ScriptedWake detector = new ScriptedWake(800, 720);
        assertThatThrownBy(() -> new Hearing(vad, new ScriptedStt(null, 0), words -> 0.9, detector,
                SessionConfig.DEFAULT.withWake(new SessionConfig.WakeWords(List.of("xyzzy"), 8000)), turns))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("xyzzy");
        Hearing h = new Hearing(vad, new ScriptedStt(null, 0, "what time is it"), words -> 0.9, detector,
                SessionConfig.DEFAULT.withDetection(SessionConfig.TurnDetection.SILENCE), turns);
        assertThatThrownBy(() -> h.reconfigure(wake(8000).withWake(new SessionConfig.WakeWords(List.of("xyzzy"), 8000))))
                .hasMessageContaining("xyzzy");
        feed(h, new Script().silence(320).speech(400).silence(640));
        assertThat(calls).as("still without a wake phrase").containsExactly("userStarted 320ms", "userEnded 1");
        assertThatThrownBy(() -> new Hearing(vad, new ScriptedStt(null, 0), words -> 0.9, wake(8000), turns))
                .as("a stack without a detector").hasMessageContaining("need a wake-word detector");
    }

    @Test
    void wakePhrasesAreCleanedAndBounded() {
        assertThat(new SessionConfig.WakeWords(List.of(" Hey,  Parley! ", "hey parley", "COMPUTER"), 8000).phrases())
                .containsExactly("hey parley", "computer");
        assertThatThrownBy(() -> new SessionConfig.WakeWords(List.of(" , "), 8000)).hasMessageContaining("empty");
        assertThatThrownBy(() -> new SessionConfig.WakeWords(List.of("a".repeat(61)), 8000)).hasMessageContaining("longer");
        assertThatThrownBy(() -> new SessionConfig.WakeWords(List.of("a", "b", "c", "d", "e", "f", "g", "h", "i"), 8000))
                .hasMessageContaining("at most 8");
        assertThatThrownBy(() -> new SessionConfig.WakeWords(List.of("a"), -1)).hasMessageContaining("follow-up");
    }
}

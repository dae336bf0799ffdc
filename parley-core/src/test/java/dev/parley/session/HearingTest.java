package dev.parley.session;

import dev.parley.audio.PcmAudio;
import dev.parley.failover.ProviderEvents;
import dev.parley.reply.Reply;
import dev.parley.stt.RecognitionStream;
import dev.parley.stt.SpeechRecognizer;
import dev.parley.stt.Transcript;
import dev.parley.stt.Utterance;
import dev.parley.testing.Fakes.LoudnessVad;
import dev.parley.testing.Fakes.Script;
import dev.parley.testing.Fakes.ScriptedStt;
import dev.parley.tts.SentenceChunker;
import dev.parley.turn.Endpointer;
import dev.parley.turn.TurnCompletion;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The input side fed audio on the test's thread, frame by frame (512 samples = 32 ms at 16 kHz). Speech from frame 10
 * is confirmed at frame 14 (160 ms); the endpoint silence (300 ms) needs 10 silent frames; the ceiling (1500 ms) 47.
 */
class HearingTest {
    private static final long F = 512;
    private static final SessionConfig SILENCE = SessionConfig.DEFAULT.withDetection(SessionConfig.TurnDetection.SILENCE);
    private static final SessionConfig WORDS = SessionConfig.DEFAULT.withDetection(SessionConfig.TurnDetection.WORDS);

    private final LoudnessVad vad = new LoudnessVad();
    private final List<String> calls = new ArrayList<>();
    private final List<Utterance> ended = new ArrayList<>();
    private final List<Integer> bargeIns = new ArrayList<>();
    private final List<String> judged = new ArrayList<>();
    private final List<Reply> speculations = new ArrayList<>();
    private CompletableFuture<Transcript> carry;
    private int nextTurn = 1;
    private int quiet;

    /** The frame being heard (0-based). */
    private int frame() {
        return vad.frames - 1;
    }

    private final Hearing.Turns turns = new Hearing.Turns() {
        @Override
        public Hearing.Started userStarted(long startMs, int continuesTurn) {
            calls.add("userStarted " + startMs + "ms @" + frame());
            return new Hearing.Started(nextTurn++, carry);
        }

        @Override
        public int pushToTalkStarted() {
            calls.add("pushToTalkStarted");
            return nextTurn++;
        }

        @Override
        public void userEnded(Utterance u, Endpointer.Event.SpeechEnded end, boolean heardByVad, Reply speculative) {
            calls.add("userEnded " + u.turn() + " " + end + (heardByVad ? " vad" : " commit")
                    + (speculative == null ? "" : " speculative") + (vad.frames > 0 ? " @" + frame() : ""));
            ended.add(u);
        }

        @Override
        public boolean pauseReply() {
            bargeIns.add(frame());
            return false; // no reply is playing
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
            calls.add("partial " + turn + " " + words + (vad.frames > 0 ? " @" + frame() : ""));
        }

        @Override
        public void sttFailed(int turn, RuntimeException e) {
            calls.add("sttFailed " + turn + ": " + e.getMessage() + " @" + frame());
        }

        @Override
        public Reply speculate(int turn, String words) {
            calls.add("speculate " + turn + " " + words + " @" + frame());
            // a held-back reply never started: enough for the hearing, which only keeps, takes or drops it
            Reply r = Reply.speculative(turn, words, new Reply.Setup(null, null, new dev.parley.testing.Fakes.RecordingSink(false),
                    new dev.parley.reply.ReplyVoice(), dev.parley.tts.SentenceChunker.Config.DEFAULT), null, null);
            speculations.add(r);
            return r;
        }

        @Override
        public void quiet() {
            quiet++;
        }
    };

    /** A judge: "… for" is unfinished (0.1), anything else finished (0.9). */
    private final TurnCompletion judge = words -> {
        judged.add(words);
        return words.endsWith("for") ? 0.1 : 0.9;
    };

    /** A recogniser whose partial depends on how much audio it has been fed. */
    private static final class GrowingStt implements SpeechRecognizer {
        final LongFunction<String> partialAt;
        /** What {@link RecognitionStream#settle()} gives, or null when the recogniser cannot settle early. */
        String settled;
        boolean endOfTurn;
        int open;

        GrowingStt(LongFunction<String> partialAt) {
            this.partialAt = partialAt;
        }

        @Override
        public RecognitionStream open(ProviderEvents events) {
            open++;
            return new RecognitionStream() {
                long fed;
                String partial = "";
                boolean wasSettled;

                @Override
                public String accept(short[] pcm, int offset, int length) {
                    fed += length;
                    // as Vosk: the settled words stay, later audio would add to them
                    return wasSettled ? partial : (partial = partialAt.apply(fed));
                }

                @Override
                public boolean endOfTurn() {
                    return endOfTurn;
                }

                @Override
                public java.util.Optional<String> settle() {
                    if (settled != null) {
                        partial = settled;
                        wasSettled = true;
                    }
                    return java.util.Optional.ofNullable(settled);
                }

                @Override
                public Transcript finish() {
                    return new Transcript(partial, 0.9);
                }

                @Override
                public void close() {
                    open--;
                }
            };
        }
    }

    private static void feed(Hearing h, Script script) {
        PcmAudio audio = script.build();
        for (int i = 0; i < audio.length(); i += 320) h.accept(audio.slice(i, Math.min(audio.length(), i + 320)));
    }

    private static String ended(long start, long end, long decided, boolean forced) {
        return new Endpointer.Event.SpeechEnded(start * F, end * F, decided * F, forced).toString();
    }

    @Test
    void aTurnStartsWithItsPreRollAndEndsAfterTheEndpointSilence() {
        ScriptedStt stt = new ScriptedStt(null, 0, "what time is it");
        Hearing h = new Hearing(vad, stt, words -> {
            throw new AssertionError("silence mode asks no judge");
        }, SILENCE, turns);
        feed(h, new Script().silence(320).speech(160));
        assertThat(calls).containsExactly("userStarted 320ms @14", "partial 1 what time is it @14");
        // 300 ms of pre-roll before the start, then the 160 ms that confirmed the speech
        assertThat(stt.samplesPerUtterance).containsExactly(7_360L);
        assertThat(h.userSpeaking()).isTrue();
        feed(h, new Script().speech(480).silence(640));
        assertThat(calls).containsExactly("userStarted 320ms @14", "partial 1 what time is it @14",
                "userEnded 1 " + ended(10, 30, 40, false) + " vad @39");
        assertThat(stt.samplesPerUtterance).containsExactly(7_360L + 25 * F);
        assertThat(ended.getFirst().finish()).isEqualTo(new Transcript("what time is it", 0.9));
        assertThat(h.userSpeaking()).isFalse();
        assertThat(h.position()).isEqualTo(50 * F);
        assertThat(quiet).as("silent frames before and after the turn").isEqualTo(20);
    }

    @Test
    void carriedWordsComeFirstInThePartials() {
        carry = CompletableFuture.completedFuture(new Transcript("set a timer", 0.8));
        Hearing h = new Hearing(vad, new ScriptedStt(null, 0, "for ten minutes"), judge, WORDS, turns);
        feed(h, new Script().silence(320).speech(640).silence(640));
        assertThat(calls).contains("partial 1 set a timer for ten minutes @14");
        assertThat(judged).containsExactly("set a timer for ten minutes");
        assertThat(ended.getFirst().finish()).isEqualTo(new Transcript("set a timer for ten minutes", 0.8));
    }

    @Test
    void anUnfinishedUtteranceThatPausesAndGoesOnIsOneTurn() {
        // the first words, then "ten minutes" once 30000 samples were heard (frame 59, in the second speech)
        GrowingStt stt = new GrowingStt(fed -> fed < 30_000 ? "set a timer for" : "set a timer for ten minutes");
        Hearing h = new Hearing(vad, stt, judge, WORDS, turns);
        feed(h, new Script().silence(320).speech(640).silence(704).speech(640).silence(640));
        assertThat(calls).containsExactly("userStarted 320ms @14", "partial 1 set a timer for @14",
                "partial 1 set a timer for ten minutes @59",
                "userEnded 1 " + ended(10, 72, 82, false) + " vad @81");
        // asked once per pause: at 300 ms into the first (unfinished: wait on), and into the second (finished)
        assertThat(judged).containsExactly("set a timer for", "set a timer for ten minutes");
        // one recognition stream all along, handed over open: the session finishes it
        assertThat(stt.open).isEqualTo(1);
        assertThat(ended.getFirst().finish()).isEqualTo(new Transcript("set a timer for ten minutes", 0.9));
        assertThat(stt.open).isZero();
    }

    @Test
    void aFinishedUtteranceEndsAfterTheEndpointSilence() {
        Hearing h = new Hearing(vad, new ScriptedStt(null, 0, "what time is it"), judge, WORDS, turns);
        feed(h, new Script().silence(320).speech(640).silence(640));
        assertThat(calls).last().isEqualTo("userEnded 1 " + ended(10, 30, 40, false) + " vad @39");
        assertThat(judged).containsExactly("what time is it");
    }

    @Test
    void anUnfinishedUtteranceEndsAtTheLongestPause() {
        Hearing h = new Hearing(vad, new ScriptedStt(null, 0, "set a timer for"), judge, WORDS, turns);
        feed(h, new Script().silence(320).speech(640).silence(1472));
        assertThat(ended).isEmpty();
        feed(h, new Script().silence(32));
        // 1500 ms = 24000 samples after the speech: 47 frames
        assertThat(calls).last().isEqualTo("userEnded 1 " + ended(10, 30, 77, false) + " vad @76");
        assertThat(judged).containsExactly("set a timer for");
    }

    @Test
    void theJudgeHearsTheSettledWordsNotTheLaggingPartial() {
        // the partial still lacks the last word at the pause ("… for"); settling gives it ("… for ten minutes")
        GrowingStt stt = new GrowingStt(fed -> "set a timer for");
        stt.settled = "set a timer for ten minutes";
        Hearing h = new Hearing(vad, stt, judge, WORDS, turns);
        feed(h, new Script().silence(320).speech(640).silence(640));
        assertThat(judged).containsExactly("set a timer for ten minutes");
        assertThat(calls).containsExactly("userStarted 320ms @14", "partial 1 set a timer for @14",
                "partial 1 set a timer for ten minutes @39", "userEnded 1 " + ended(10, 30, 40, false) + " vad @39");
        assertThat(ended.getFirst().finish()).isEqualTo(new Transcript("set a timer for ten minutes", 0.9));
    }

    @Test
    void silenceModeDoesNotSettleTheRecogniser() {
        GrowingStt stt = new GrowingStt(fed -> "set a timer for");
        stt.settled = "set a timer for ten minutes";
        Hearing h = new Hearing(vad, stt, judge, SILENCE, turns);
        feed(h, new Script().silence(320).speech(640).silence(640));
        assertThat(calls).doesNotContain("partial 1 set a timer for ten minutes @39");
        assertThat(ended.getFirst().finish()).isEqualTo(new Transcript("set a timer for", 0.9));
    }

    @Test
    void aJudgeThatFailsCountsAsFinished() {
        TurnCompletion broken = words -> {
            judged.add(words);
            throw new IllegalStateException("model not loaded");
        };
        Hearing h = new Hearing(vad, new ScriptedStt(null, 0, "set a timer for"), broken, WORDS, turns);
        feed(h, new Script().silence(320).speech(640).silence(640));
        assertThat(calls).last().isEqualTo("userEnded 1 " + ended(10, 30, 40, false) + " vad @39");
        assertThat(judged).hasSize(1);
    }

    @Test
    void silenceModeNeverAsksTheJudge() {
        Hearing h = new Hearing(vad, new ScriptedStt(null, 0, "set a timer for"), judge, SILENCE, turns);
        feed(h, new Script().silence(320).speech(640).silence(640));
        assertThat(calls).last().isEqualTo("userEnded 1 " + ended(10, 30, 40, false) + " vad @39");
        assertThat(judged).isEmpty();
    }

    @Test
    void theProvidersEndOfTurnEndsAtTheFirstPausedFrameWhenTheWordsAreFinished() {
        GrowingStt stt = new GrowingStt(fed -> "what time is it");
        stt.endOfTurn = true;
        Hearing h = new Hearing(vad, stt, judge, WORDS, turns);
        feed(h, new Script().silence(320).speech(640).silence(64));
        assertThat(calls).last().isEqualTo("userEnded 1 " + ended(10, 30, 31, true) + " vad @30");
    }

    @Test
    void theProvidersEndOfTurnWaitsWhenTheWordsAreUnfinished() {
        GrowingStt stt = new GrowingStt(fed -> "set a timer for");
        stt.endOfTurn = true;
        Hearing h = new Hearing(vad, stt, judge, WORDS, turns);
        feed(h, new Script().silence(320).speech(640).silence(640));
        assertThat(ended).isEmpty();
        assertThat(h.userSpeaking()).isTrue();
    }

    @Test
    void theJudgeIsAskedOncePerPauseEvenWhenTheProviderSaysTheTurnIsOver() {
        GrowingStt stt = new GrowingStt(fed -> "set a timer for");
        stt.endOfTurn = true;
        Hearing h = new Hearing(vad, stt, judge, WORDS, turns);
        feed(h, new Script().silence(320).speech(640).silence(640));
        assertThat(judged).hasSize(1);
    }

    @Test
    void aReplyIsPreparedOnceTheUserHasPausedAndHandedOverAtTheEndpoint() {
        Hearing h = new Hearing(vad, new ScriptedStt(null, 0, "what time is it"), judge, SILENCE.withSpeculateMs(120), turns);
        feed(h, new Script().silence(320).speech(640).silence(640));
        // 120 ms of pause: 4 frames after the speech
        assertThat(calls).containsExactly("userStarted 320ms @14", "partial 1 what time is it @14",
                "speculate 1 what time is it @33", "userEnded 1 " + ended(10, 30, 40, false) + " vad speculative @39");
        assertThat(speculations).singleElement().satisfies(r -> assertThat(r.cancelled()).isFalse());
    }

    @Test
    void aPreparedReplyIsDroppedWhenTheUserGoesOn() {
        Hearing h = new Hearing(vad, new ScriptedStt(null, 0, "what time is it"), judge, SILENCE.withSpeculateMs(120), turns);
        feed(h, new Script().silence(320).speech(640).silence(160).speech(640).silence(640));
        assertThat(calls).containsExactly("userStarted 320ms @14", "partial 1 what time is it @14",
                "speculate 1 what time is it @33", "speculate 1 what time is it @58",
                "userEnded 1 " + ended(10, 55, 65, false) + " vad speculative @64");
        assertThat(speculations).hasSize(2);
        assertThat(speculations.get(0).cancelled()).isTrue();
        assertThat(speculations.get(1).cancelled()).isFalse();
    }

    @Test
    void aRecogniserThatFailsDropsTheUtteranceAndEndsNoTurn() {
        GrowingStt stt = new GrowingStt(fed -> {
            throw new IllegalStateException("socket closed");
        });
        Hearing h = new Hearing(vad, stt, judge, SILENCE, turns);
        feed(h, new Script().silence(320).speech(640).silence(640));
        assertThat(calls).containsExactly("userStarted 320ms @14", "sttFailed 1: socket closed @14");
        assertThat(stt.open).isZero();
    }

    @Test
    void pushToTalkNeedsOneHundredMillisecondsBeforeACommit() {
        ScriptedStt stt = new ScriptedStt(null, 0, "hello");
        Hearing h = new Hearing(vad, stt, judge, SessionConfig.DEFAULT.withTurns(SessionConfig.TurnTaking.PUSH_TO_TALK), turns);
        assertThatThrownBy(h::commit).isInstanceOf(IllegalStateException.class).hasMessageEndingWith("it has 0 ms");
        h.accept(new Script().speech(50).build());
        assertThat(calls).containsExactly("pushToTalkStarted", "partial 1 hello");
        assertThatThrownBy(h::commit).isInstanceOf(IllegalStateException.class).hasMessageEndingWith("it has 50 ms");
        assertThat(ended).isEmpty();
        feed(h, new Script().silence(950));
        assertThat(h.commit()).isEqualTo(1);
        assertThat(calls).containsExactly("pushToTalkStarted", "partial 1 hello",
                "userEnded 1 " + new Endpointer.Event.SpeechEnded(16_000, 16_000, 16_000, true) + " commit");
        // every sample up to the commit, the last partial frame too; the VAD is never asked
        assertThat(stt.samplesPerUtterance).containsExactly(16_000L);
        assertThat(vad.frames).isZero();
        // the next audio begins the next turn
        h.accept(new Script().speech(40).build());
        assertThat(calls).last().isEqualTo("pushToTalkStarted");
        assertThat(nextTurn).isEqualTo(3);
    }

    @Test
    void commitEndsAnUtteranceTheVadIsHearing() {
        Hearing h = new Hearing(vad, new ScriptedStt(null, 0, "hello"), judge, SILENCE, turns);
        assertThatThrownBy(h::commit).hasMessageContaining("no speech is being heard");
        feed(h, new Script().silence(320).speech(640).silence(128));
        assertThat(h.commit()).isEqualTo(1);
        assertThat(calls).last().isEqualTo("userEnded 1 " + ended(10, 30, 34, true) + " vad @33");
    }

    @Test
    void speechForTheBargeInTimeCallsBargeInOnEveryFrameFromThen() {
        SessionConfig config = new SessionConfig(Endpointer.Config.DEFAULT, 300, 200, SentenceChunker.Config.DEFAULT, 0);
        Hearing h = new Hearing(vad, new ScriptedStt(null, 0, "stop"), judge, config, turns);
        feed(h, new Script().silence(320).speech(192));
        assertThat(bargeIns).as("6 frames are 192 ms").isEmpty();
        feed(h, new Script().speech(448).silence(640));
        // 200 ms needs 7 frames of speech: frame 16, then every speech frame to 29
        assertThat(bargeIns).containsExactly(16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29);
    }

    @Test
    void noBargeInWhenSpeechMayNotInterrupt() {
        SessionConfig config = SILENCE.withTurns(new SessionConfig.TurnTaking(true, true, false));
        Hearing h = new Hearing(vad, new ScriptedStt(null, 0, "stop"), judge, config, turns);
        feed(h, new Script().silence(320).speech(640).silence(640));
        assertThat(bargeIns).isEmpty();
        assertThat(ended).hasSize(1);
    }

    @Test
    void clearDropsTheUtteranceBeingHeard() {
        ScriptedStt stt = new ScriptedStt(null, 0, "never mind", "hello");
        Hearing h = new Hearing(vad, stt, judge, SILENCE, turns);
        feed(h, new Script().silence(320).speech(320));
        assertThat(calls).first().isEqualTo("userStarted 320ms @14");
        h.clear();
        assertThat(stt.open).isZero();
        assertThat(h.userSpeaking()).isFalse();
        feed(h, new Script().silence(640));
        assertThat(ended).isEmpty();
        // new speech is a new turn, from its own start
        feed(h, new Script().speech(640).silence(640));
        assertThat(calls).containsSubsequence("userStarted 1280ms @44", "userEnded 2 " + ended(40, 60, 70, false) + " vad @69");
        assertThat(ended.getFirst().finish().text()).isEqualTo("hello");
    }

    @Test
    void clearKeepsCountingThePartialFrameItDrops() {
        Hearing h = new Hearing(vad, new ScriptedStt(null, 0), judge, SILENCE, turns);
        h.accept(new PcmAudio(new short[5_000], 16_000));
        assertThat(h.position()).isEqualTo(9 * F);
        h.clear();
        assertThat(h.position()).isEqualTo(5_000);
        h.accept(new PcmAudio(new short[512], 16_000));
        assertThat(h.position()).isEqualTo(5_512);
        assertThat(vad.frames).isEqualTo(10);
    }
}

package dev.parley.session;

import dev.parley.dialog.Dialog;
import dev.parley.dialog.DialogSignal;
import dev.parley.dialog.Message;
import dev.parley.dialog.TextStream;
import dev.parley.stt.RecognitionStream;
import dev.parley.stt.SpeechRecognizer;
import dev.parley.stt.Transcript;
import dev.parley.testing.Fakes.RecordingSink;
import dev.parley.testing.Fakes.Script;
import dev.parley.testing.Fakes.ScriptedStt;
import dev.parley.turn.TurnCompletion;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static dev.parley.session.SessionHarness.awaitFirstWrite;
import static dev.parley.session.SessionHarness.awaitIdle;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Turn-taking on natural speech: the words decide with the silence where a turn ends, a backchannel over a reply does
 * not stop it, and words that go on after a pause continue the utterance instead of becoming a turn of their own.
 */
class VoiceSessionTurnTakingTest {
    /** Unfinished when the words end with "for" or "bell" (a stand-in for the real judge). */
    private static final TurnCompletion JUDGE = words -> words.endsWith(" for") || words.endsWith(" bell") ? 0.1 : 0.9;

    private final SessionHarness harness = new SessionHarness();
    private final List<DialogSignal> signals = new ArrayList<>();

    /** Echoes, remembers what it was asked and the signals it got; a story is long enough to be spoken over. */
    private final Dialog echo = new Dialog() {
        @Override
        public TextStream respond(List<Message> history, Transcript turn) {
            harness.ask(history, turn.text());
            if (turn.text().contains("story")) return TextStream.of(SessionHarness.STORY.toArray(String[]::new));
            return TextStream.of("You said ", turn.text(), ".");
        }

        @Override
        public void onSignal(DialogSignal signal) {
            synchronized (signals) {
                signals.add(signal);
            }
        }
    };

    private VoiceSession session(SpeechRecognizer stt, RecordingSink sink, ExecutorService pool, SessionConfig config) {
        return harness.session().stt(stt).dialog(echo).completion(JUDGE).sink(sink).on(pool).config(config).open();
    }

    /** A recogniser whose partial grows with the audio: {@code first} until {@code afterMs} of audio, then {@code whole}. */
    private static SpeechRecognizer growing(String first, int afterMs, String whole) {
        return events -> new RecognitionStream() {
            long samples;

            @Override
            public String accept(short[] pcm, int offset, int length) {
                samples += length;
                return samples < afterMs * 16L ? first : whole;
            }

            @Override
            public Transcript finish() {
                return new Transcript(samples < afterMs * 16L ? first : whole, 0.9);
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void anUnfinishedUtteranceWaitsThroughAPauseAndIsAnsweredOnceWhole() throws Exception {
        // "set a timer for" (0.8 s), a 700 ms pause, "five minutes": in silence mode the pause would end the turn
        SpeechRecognizer stt = growing("set a timer for", 1600, "set a timer for five minutes");
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
             VoiceSession s = session(stt, new RecordingSink(false), pool, SessionConfig.DEFAULT)) {
            harness.feed(s, new Script().silence(300).speech(800).silence(700).speech(600).silence(400));
            awaitIdle(s);
        }
        assertThat(harness.askedTexts()).containsExactly("set a timer for five minutes");
        SessionEvent.TurnCompleted done = harness.eventsOf(SessionEvent.TurnCompleted.class).getFirst();
        assertThat(harness.eventsOf(SessionEvent.TurnCompleted.class)).hasSize(1);
        assertThat(done.userText()).isEqualTo("set a timer for five minutes");
        // the end, judged finished, came after the endpoint silence as with silence alone
        assertThat(done.waterfall().endpointMs()).isEqualTo(320.0);
    }

    @Test
    void inSilenceModeTheSamePauseEndsTheTurn() throws Exception {
        SpeechRecognizer stt = growing("set a timer for", 1600, "set a timer for five minutes");
        SessionConfig silence = SessionConfig.DEFAULT.withDetection(SessionConfig.TurnDetection.SILENCE);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
             VoiceSession s = session(stt, new RecordingSink(false), pool, silence)) {
            harness.feed(s, new Script().silence(300).speech(800).silence(700));
            awaitIdle(s);
        }
        assertThat(harness.askedTexts()).containsExactly("set a timer for");
    }

    @Test
    void anUnfinishedUtteranceEndsAtTheLongestPause() throws Exception {
        SpeechRecognizer stt = growing("set a timer for", 10_000, "");
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
             VoiceSession s = session(stt, new RecordingSink(false), pool, SessionConfig.DEFAULT)) {
            harness.feed(s, new Script().silence(300).speech(800).silence(1400));
            assertThat(harness.eventsOf(SessionEvent.InputCommitted.class)).isEmpty();
            harness.feed(s, new Script().silence(200));
            awaitIdle(s);
        }
        assertThat(harness.askedTexts()).containsExactly("set a timer for");
        // frames of 32 ms: the 1500 ms ceiling is confirmed by the frame ending 1504 ms after the speech
        assertThat(harness.eventsOf(SessionEvent.TurnCompleted.class).getFirst().waterfall().endpointMs()).isEqualTo(1504.0);
    }

    @Test
    void aBackchannelOverTheReplyPausesItAndItResumesWithNothingLost() throws Exception {
        ScriptedStt stt = harness.stt(0, "tell me a story", "yeah");
        RecordingSink sink = new RecordingSink(true);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
             VoiceSession s = session(stt, sink, pool, SessionConfig.DEFAULT)) {
            harness.feed(s, new Script().silence(300).speech(800).silence(400));
            awaitFirstWrite(sink);
            harness.feed(s, new Script().speech(250).silence(600));
            assertThat(sink.interrupts).isEqualTo(1); // paused at once
            sink.release();
            awaitIdle(s);
            assertThat(s.conversation()).containsExactly(Message.user("tell me a story"),
                    Message.assistant(SessionHarness.STORY_TEXT));
        }
        assertThat(harness.eventsOf(SessionEvent.Interrupted.class)).isEmpty();
        assertThat(harness.eventsOf(SessionEvent.ReplyResumed.class)).containsExactly(new SessionEvent.ReplyResumed(1, 2));
        assertThat(harness.eventsOf(SessionEvent.TurnCompleted.class)).singleElement().satisfies(t -> {
            assertThat(t.interrupted()).isFalse();
            assertThat(t.replyText()).isEqualTo(SessionHarness.STORY_TEXT);
        });
        assertThat(harness.askedTexts()).containsExactly("tell me a story");
        // the phrase that was cut is played again from its start: its first chunk twice
        assertThat(sink.played.get(0).samples()).isEqualTo(sink.played.get(1).samples());
    }

    @Test
    void aCoughOverTheReplyOpensNoTurnAndTheReplyResumes() throws Exception {
        ScriptedStt stt = harness.stt(0, "tell me a story");
        RecordingSink sink = new RecordingSink(true);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
             VoiceSession s = session(stt, sink, pool, SessionConfig.DEFAULT)) {
            harness.feed(s, new Script().silence(300).speech(800).silence(400));
            awaitFirstWrite(sink);
            harness.feed(s, new Script().speech(70).silence(400));
            sink.release();
            awaitIdle(s);
        }
        assertThat(harness.eventsOf(SessionEvent.ReplyResumed.class)).containsExactly(new SessionEvent.ReplyResumed(1, 0));
        assertThat(harness.eventsOf(SessionEvent.SpeechStarted.class)).hasSize(1);
        assertThat(harness.eventsOf(SessionEvent.TurnCompleted.class)).singleElement().satisfies(t -> assertThat(t.interrupted()).isFalse());
    }

    @Test
    void wordsThatGoOnRightAfterAnAnsweredFragmentReplaceIt() throws Exception {
        // the judge is fooled (silence mode): "when you hear the bell" is answered, then the user goes on
        ScriptedStt stt = harness.stt(0, "when you hear the bell", "come quickly");
        RecordingSink sink = new RecordingSink(true);
        SessionConfig silence = SessionConfig.DEFAULT.withDetection(SessionConfig.TurnDetection.SILENCE);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
             VoiceSession s = session(stt, sink, pool, silence)) {
            harness.feed(s, new Script().silence(300).speech(800).silence(400));
            awaitFirstWrite(sink);
            harness.feed(s, new Script().speech(600));
            sink.release();
            harness.feed(s, new Script().silence(400));
            awaitIdle(s);
            assertThat(s.conversation()).containsExactly(Message.user("when you hear the bell come quickly"),
                    Message.assistant("You said when you hear the bell come quickly."));
        }
        assertThat(harness.askedTexts()).containsExactly("when you hear the bell", "when you hear the bell come quickly");
        assertThat(harness.eventsOf(SessionEvent.Merged.class)).containsExactly(new SessionEvent.Merged(1));
        assertThat(harness.eventsOf(SessionEvent.FinalTranscript.class)).extracting(f -> f.turn() + ": " + f.transcript().text())
                .containsExactly("1: when you hear the bell", "2: when you hear the bell come quickly");
        // the brain hears the fragment's reply went unheard, so it takes back what that turn did
        synchronized (signals) {
            assertThat(signals).contains(new DialogSignal.ReplyPlayed("", true));
        }
    }

    @Test
    void wordsLongAfterTheirTurnAreANewTurn() throws Exception {
        ScriptedStt stt = harness.stt(0, "tell me a story", "what time is it");
        RecordingSink sink = new RecordingSink(true);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
             VoiceSession s = session(stt, sink, pool, SessionConfig.DEFAULT)) {
            harness.feed(s, new Script().silence(300).speech(800).silence(400));
            awaitFirstWrite(sink);
            harness.feed(s, new Script().silence(1500).speech(800));
            sink.release();
            harness.feed(s, new Script().silence(400));
            awaitIdle(s);
        }
        assertThat(harness.eventsOf(SessionEvent.Merged.class)).isEmpty();
        assertThat(harness.eventsOf(SessionEvent.Interrupted.class)).containsExactly(new SessionEvent.Interrupted(1));
        assertThat(harness.askedTexts()).containsExactly("tell me a story", "what time is it");
    }
}

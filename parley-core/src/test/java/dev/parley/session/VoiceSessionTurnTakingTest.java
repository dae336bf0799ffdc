package dev.parley.session;

import dev.parley.audio.PcmAudio;
import dev.parley.dialog.Dialog;
import dev.parley.dialog.DialogSignal;
import dev.parley.dialog.Message;
import dev.parley.dialog.TextStream;
import dev.parley.stt.RecognitionStream;
import dev.parley.stt.SpeechRecognizer;
import dev.parley.stt.Transcript;
import dev.parley.testing.Fakes.FakeClock;
import dev.parley.testing.Fakes.LoudnessVad;
import dev.parley.testing.Fakes.RecordingSink;
import dev.parley.testing.Fakes.Script;
import dev.parley.testing.Fakes.ScriptedStt;
import dev.parley.testing.Fakes.ToneTts;
import dev.parley.turn.TurnCompletion;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static dev.parley.testing.Patience.CEILING_SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Turn-taking on natural speech: the words decide with the silence where a turn ends, a backchannel over a reply does
 * not stop it, and words that go on after a pause continue the utterance instead of becoming a turn of their own.
 */
class VoiceSessionTurnTakingTest {
    /** Unfinished when the words end with "for" or "bell" (a stand-in for the real judge). */
    private static final TurnCompletion JUDGE = words -> words.endsWith(" for") || words.endsWith(" bell") ? 0.1 : 0.9;

    private final FakeClock clock = new FakeClock();
    private final List<SessionEvent> events = new ArrayList<>();
    private final List<String> asked = new ArrayList<>();
    private final List<DialogSignal> signals = new ArrayList<>();

    private synchronized void record(SessionEvent e) {
        events.add(e);
    }

    private synchronized <T extends SessionEvent> List<T> eventsOf(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Echoes, remembers what it was asked and the signals it got; a story is long enough to be spoken over. */
    private final Dialog echo = new Dialog() {
        @Override
        public TextStream respond(List<Message> history, Transcript turn) {
            synchronized (asked) {
                asked.add(turn.text());
            }
            if (turn.text().contains("story")) {
                return TextStream.of("Once upon a time there was a voice assistant. ", "It talked and talked. ", "The end.");
            }
            return TextStream.of("You said ", turn.text(), ".");
        }

        @Override
        public void onSignal(DialogSignal signal) {
            synchronized (signals) {
                signals.add(signal);
            }
        }
    };

    private void feed(VoiceSession session, PcmAudio audio) {
        int chunk = audio.sampleRate() / 50;
        for (int i = 0; i < audio.length(); i += chunk) {
            PcmAudio piece = audio.slice(i, Math.min(audio.length(), i + chunk));
            clock.advanceNanos(piece.durationNanos());
            session.accept(piece);
        }
    }

    private VoiceSession session(SpeechRecognizer stt, RecordingSink sink, ExecutorService pool, SessionConfig config) {
        return new VoiceSession(new VoiceSession.Engines(new LoudnessVad(), stt, echo, new ToneTts(null, 0), JUDGE), sink,
                config, this::record, clock::nanoTime, pool);
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
            feed(s, new Script().silence(300).speech(800).silence(700).speech(600).silence(400).build());
            assertThat(s.awaitIdle(CEILING_SECONDS, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(asked).containsExactly("set a timer for five minutes");
        SessionEvent.TurnCompleted done = eventsOf(SessionEvent.TurnCompleted.class).getFirst();
        assertThat(eventsOf(SessionEvent.TurnCompleted.class)).hasSize(1);
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
            feed(s, new Script().silence(300).speech(800).silence(700).build());
            assertThat(s.awaitIdle(CEILING_SECONDS, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(asked).containsExactly("set a timer for");
    }

    @Test
    void anUnfinishedUtteranceEndsAtTheLongestPause() throws Exception {
        SpeechRecognizer stt = growing("set a timer for", 10_000, "");
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
             VoiceSession s = session(stt, new RecordingSink(false), pool, SessionConfig.DEFAULT)) {
            feed(s, new Script().silence(300).speech(800).silence(1400).build());
            assertThat(eventsOf(SessionEvent.InputCommitted.class)).isEmpty();
            feed(s, new Script().silence(200).build());
            assertThat(s.awaitIdle(CEILING_SECONDS, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(asked).containsExactly("set a timer for");
        // frames of 32 ms: the 1500 ms ceiling is confirmed by the frame ending 1504 ms after the speech
        assertThat(eventsOf(SessionEvent.TurnCompleted.class).getFirst().waterfall().endpointMs()).isEqualTo(1504.0);
    }

    @Test
    void aBackchannelOverTheReplyPausesItAndItResumesWithNothingLost() throws Exception {
        ScriptedStt stt = new ScriptedStt(clock, 0, "tell me a story", "yeah");
        RecordingSink sink = new RecordingSink(true);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
             VoiceSession s = session(stt, sink, pool, SessionConfig.DEFAULT)) {
            feed(s, new Script().silence(300).speech(800).silence(400).build());
            assertThat(sink.firstWrite.await(CEILING_SECONDS, TimeUnit.SECONDS)).isTrue();
            feed(s, new Script().speech(250).silence(600).build());
            assertThat(sink.interrupts).isEqualTo(1); // paused at once
            sink.release();
            assertThat(s.awaitIdle(CEILING_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(s.conversation()).containsExactly(Message.user("tell me a story"),
                    Message.assistant("Once upon a time there was a voice assistant. It talked and talked. The end."));
        }
        assertThat(eventsOf(SessionEvent.Interrupted.class)).isEmpty();
        assertThat(eventsOf(SessionEvent.ReplyResumed.class)).containsExactly(new SessionEvent.ReplyResumed(1, 2));
        assertThat(eventsOf(SessionEvent.TurnCompleted.class)).singleElement().satisfies(t -> {
            assertThat(t.interrupted()).isFalse();
            assertThat(t.replyText()).isEqualTo("Once upon a time there was a voice assistant. It talked and talked. The end.");
        });
        assertThat(asked).containsExactly("tell me a story");
        // the phrase that was cut is played again from its start: its first chunk twice
        assertThat(sink.played.get(0).samples()).isEqualTo(sink.played.get(1).samples());
    }

    @Test
    void aCoughOverTheReplyOpensNoTurnAndTheReplyResumes() throws Exception {
        ScriptedStt stt = new ScriptedStt(clock, 0, "tell me a story");
        RecordingSink sink = new RecordingSink(true);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
             VoiceSession s = session(stt, sink, pool, SessionConfig.DEFAULT)) {
            feed(s, new Script().silence(300).speech(800).silence(400).build());
            assertThat(sink.firstWrite.await(CEILING_SECONDS, TimeUnit.SECONDS)).isTrue();
            feed(s, new Script().speech(70).silence(400).build());
            sink.release();
            assertThat(s.awaitIdle(CEILING_SECONDS, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(eventsOf(SessionEvent.ReplyResumed.class)).containsExactly(new SessionEvent.ReplyResumed(1, 0));
        assertThat(eventsOf(SessionEvent.SpeechStarted.class)).hasSize(1);
        assertThat(eventsOf(SessionEvent.TurnCompleted.class)).singleElement().satisfies(t -> assertThat(t.interrupted()).isFalse());
    }

    @Test
    void wordsThatGoOnRightAfterAnAnsweredFragmentReplaceIt() throws Exception {
        // the judge is fooled (silence mode): "when you hear the bell" is answered, then the user goes on
        ScriptedStt stt = new ScriptedStt(clock, 0, "when you hear the bell", "come quickly");
        RecordingSink sink = new RecordingSink(true);
        SessionConfig silence = SessionConfig.DEFAULT.withDetection(SessionConfig.TurnDetection.SILENCE);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
             VoiceSession s = session(stt, sink, pool, silence)) {
            feed(s, new Script().silence(300).speech(800).silence(400).build());
            assertThat(sink.firstWrite.await(CEILING_SECONDS, TimeUnit.SECONDS)).isTrue();
            feed(s, new Script().speech(600).build());
            sink.release();
            feed(s, new Script().silence(400).build());
            assertThat(s.awaitIdle(CEILING_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(s.conversation()).containsExactly(Message.user("when you hear the bell come quickly"),
                    Message.assistant("You said when you hear the bell come quickly."));
        }
        assertThat(asked).containsExactly("when you hear the bell", "when you hear the bell come quickly");
        assertThat(eventsOf(SessionEvent.Merged.class)).containsExactly(new SessionEvent.Merged(1));
        assertThat(eventsOf(SessionEvent.FinalTranscript.class)).extracting(f -> f.turn() + ": " + f.transcript().text())
                .containsExactly("1: when you hear the bell", "2: when you hear the bell come quickly");
        // the brain hears the fragment's reply went unheard, so it takes back what that turn did
        synchronized (signals) {
            assertThat(signals).contains(new DialogSignal.ReplyPlayed("", true));
        }
    }

    @Test
    void wordsLongAfterTheirTurnAreANewTurn() throws Exception {
        ScriptedStt stt = new ScriptedStt(clock, 0, "tell me a story", "what time is it");
        RecordingSink sink = new RecordingSink(true);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
             VoiceSession s = session(stt, sink, pool, SessionConfig.DEFAULT)) {
            feed(s, new Script().silence(300).speech(800).silence(400).build());
            assertThat(sink.firstWrite.await(CEILING_SECONDS, TimeUnit.SECONDS)).isTrue();
            feed(s, new Script().silence(1500).speech(800).build());
            sink.release();
            feed(s, new Script().silence(400).build());
            assertThat(s.awaitIdle(CEILING_SECONDS, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(eventsOf(SessionEvent.Merged.class)).isEmpty();
        assertThat(eventsOf(SessionEvent.Interrupted.class)).containsExactly(new SessionEvent.Interrupted(1));
        assertThat(asked).containsExactly("tell me a story", "what time is it");
    }
}

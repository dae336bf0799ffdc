package dev.parley.session;

import dev.parley.audio.PcmAudio;
import dev.parley.audio.Resampler;
import dev.parley.dialog.Dialog;
import dev.parley.dialog.DialogException;
import dev.parley.dialog.Message;
import dev.parley.dialog.TextStream;
import dev.parley.latency.Waterfall;
import dev.parley.testing.Fakes.RecordingSink;
import dev.parley.testing.Fakes.Script;
import dev.parley.testing.Fakes.ScriptedStt;
import dev.parley.testing.Fakes.ToneTts;
import dev.parley.turn.TurnState;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static dev.parley.session.SessionHarness.awaitFirstWrite;
import static dev.parley.session.SessionHarness.awaitIdle;
import static dev.parley.testing.Patience.CEILING_SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

class VoiceSessionTest {
    private final SessionHarness harness = new SessionHarness();

    /**
     * Speaks {@code untilSpeculation} to a session that speculates 120 ms into a pause, waits until the speculation's
     * dialog was asked (it asks on a pool thread, which the endpoint or the user's going on could otherwise beat),
     * speaks {@code rest} and waits until the session is idle. Returns the conversation then.
     */
    private List<Message> speculating(ScriptedStt stt, RecordingSink sink, Script untilSpeculation, Script rest)
            throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
             VoiceSession s = harness.session().stt(stt).sink(sink).on(pool)
                     .config(SessionConfig.DEFAULT.withSpeculateMs(120)).open()) {
            harness.feed(s, untilSpeculation);
            harness.awaitAsked(1);
            harness.feed(s, rest);
            awaitIdle(s);
            return s.conversation();
        }
    }

    @Test
    void withSpeculationTheReplyIsReadyWhenTheEndpointConfirmsTheTurn() throws Exception {
        RecordingSink sink = new RecordingSink(false);
        // up to the chunk that confirms the endpoint (1840 ms), so the clock stands still while the reply goes out;
        // the speculation starts 120 ms into the pause and the endpoint waits until its dialog has been asked
        speculating(harness.stt(12, "hello there"), sink,
                new Script().silence(500).speech(1000).silence(200), new Script().silence(140));
        assertThat(harness.askedTexts()).containsExactly("hello there");
        SessionEvent.TurnCompleted done = harness.eventsOf(SessionEvent.TurnCompleted.class).getFirst();
        assertThat(done.userText()).isEqualTo("hello there");
        assertThat(done.replyText()).isEqualTo("You said hello there.");
        // dialog and TTS ran during the pause: after the endpoint only the final transcript (12 ms) was awaited
        Waterfall w = done.waterfall();
        assertThat(w.endpointMs()).isEqualTo(320.0);
        assertThat(w.sttMs()).isEqualTo(12.0);
        assertThat(w.dialogMs()).isZero();
        assertThat(w.ttsMs()).isZero();
        assertThat(w.endToEndMs()).isEqualTo(332.0);
        assertThat(harness.eventsOf(SessionEvent.FinalTranscript.class)).extracting(f -> f.transcript().text()).containsExactly("hello there");
        assertThat(sink.samplesPlayed()).isEqualTo(4 * 1600);
    }

    @Test
    void aSpeculationOnAWrongPartialIsReplacedByTheReplyToTheFinalTranscript() throws Exception {
        ScriptedStt stt = harness.stt(0, "hello there");
        stt.partials.add("hello bear");
        // the speculation on "hello bear" runs on another thread: the endpoint (320 ms into the pause) would drop
        // it before its dialog was asked if that thread had not been scheduled yet, so wait for the question
        List<Message> conversation = speculating(stt, new RecordingSink(false),
                new Script().silence(500).speech(1000).silence(200), new Script().silence(400));
        assertThat(conversation).containsExactly(Message.user("hello there"), Message.assistant("You said hello there."));
        assertThat(harness.askedTexts()).containsExactly("hello bear", "hello there");
        assertThat(harness.eventsOf(SessionEvent.TurnCompleted.class)).singleElement()
                .satisfies(t -> assertThat(t.replyText()).isEqualTo("You said hello there."));
    }

    @Test
    void aSpeculationIsDroppedWhenTheUserGoesOn() throws Exception {
        ScriptedStt stt = harness.stt(0, "set a timer for ten minutes");
        stt.partials.add("set a timer");
        // a 220 ms pause: long enough to speculate, too short to end the turn; the speculation's dialog is asked
        // on another thread, and waited for, so that the user's going on cannot drop it before it asked
        speculating(stt, new RecordingSink(false),
                new Script().silence(300).speech(600).silence(200), new Script().silence(20).speech(600).silence(600));
        assertThat(harness.askedTexts()).first().isEqualTo("set a timer");
        assertThat(harness.eventsOf(SessionEvent.TurnCompleted.class)).singleElement()
                .satisfies(t -> assertThat(t.userText()).isEqualTo("set a timer for ten minutes"));
        assertThat(harness.eventsOf(SessionEvent.ReplyPhrase.class)).extracting(SessionEvent.ReplyPhrase::text)
                .containsExactly("You said set a timer", "for ten minutes."); // the first phrase ends before "for"
    }

    @Test
    void aSpokenTurnGoesThroughEveryStageWithAnExactWaterfall() {
        ScriptedStt stt = harness.stt(12, "hello there");
        ToneTts tts = new ToneTts(harness.clock, 40);
        RecordingSink sink = new RecordingSink(false);
        try (VoiceSession s = harness.session().stt(stt).tts(tts).sink(sink).open()) {
            harness.feed(s, new Script().silence(500).speech(1000).silence(600));
            assertThat(s.state()).isEqualTo(TurnState.LISTENING);
            assertThat(s.conversation()).containsExactly(Message.user("hello there"), Message.assistant("You said hello there."));
        }
        assertThat(harness.eventsOf(SessionEvent.StateChanged.class)).extracting(SessionEvent.StateChanged::to).containsExactly(
                TurnState.USER_SPEAKING, TurnState.THINKING, TurnState.SPEAKING, TurnState.LISTENING);
        // speech starts inside the frame 480-512 ms and ends inside the frame 1472-1504 ms
        assertThat(harness.eventsOf(SessionEvent.SpeechStarted.class)).containsExactly(new SessionEvent.SpeechStarted(1, 480));
        assertThat(harness.eventsOf(SessionEvent.SpeechStopped.class)).containsExactly(new SessionEvent.SpeechStopped(1, 1504));
        assertThat(harness.eventsOf(SessionEvent.PartialTranscript.class)).isNotEmpty();
        assertThat(tts.spoken).containsExactly("You said hello there.");

        SessionEvent.TurnCompleted done = harness.eventsOf(SessionEvent.TurnCompleted.class).getFirst();
        assertThat(done.userText()).isEqualTo("hello there");
        assertThat(done.replyText()).isEqualTo("You said hello there.");
        assertThat(done.interrupted()).isFalse();
        Waterfall w = done.waterfall();
        // 10 silent frames of 32 ms confirm a 300 ms endpoint; STT takes 12 ms, TTS 40 ms (fake time)
        assertThat(w.endpointMs()).isEqualTo(320.0);
        assertThat(w.sttMs()).isEqualTo(12.0);
        assertThat(w.dialogMs()).isEqualTo(0.0);
        assertThat(w.ttsMs()).isEqualTo(40.0);
        assertThat(w.outMs()).isEqualTo(0.0);
        assertThat(w.endToEndMs()).isEqualTo(372.0);
        assertThat(w.summary()).isEqualTo("⏱ end-to-end 372 ms (endpoint 320 · stt 12 · dialog 0 · tts 40 · out 0)");
        assertThat(sink.samplesPlayed()).isEqualTo(4 * 1600);
    }

    @Test
    void sttHearsThePreRollBeforeTheDetectedStart() {
        ScriptedStt stt = harness.stt(0, "hi");
        try (VoiceSession s = harness.session().stt(stt).open()) {
            harness.feed(s, new Script().silence(500).speech(1000).silence(600));
        }
        // from 300 ms before the start frame (480 ms) to the frame that ended the turn (1824 ms)
        assertThat(stt.samplesPerUtterance).containsExactly((1824L - 180) * 16);
        assertThat(stt.open).isZero();
    }

    @Test
    void noisesShorterThanMinimumSpeechAreNotTurns() {
        ScriptedStt stt = harness.stt(0, "never");
        try (VoiceSession s = harness.session().stt(stt).open()) {
            harness.feed(s, new Script().silence(300).speech(90).silence(500).speech(60).silence(800));
        }
        assertThat(harness.timeline()).isEmpty();
        assertThat(stt.samplesPerUtterance).isEmpty();
    }

    @Test
    void speakingOverTheReplyStopsItWithinAHundredMillisecondsAndStartsTheNextTurn() throws Exception {
        RecordingSink sink = new RecordingSink(true);
        Dialog story = (h, text) -> text.equals("stop") ? TextStream.of("Okay.") : TextStream.of(SessionHarness.STORY.toArray(String[]::new));
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
             VoiceSession s = harness.session().stt(harness.stt(0, "tell me a long story", "stop")).dialog(story).sink(sink)
                     .on(pool).open()) {
            harness.feed(s, new Script().silence(300).speech(800).silence(400));
            awaitFirstWrite(sink);
            assertThat(s.state()).isEqualTo(TurnState.SPEAKING);

            PcmAudio overlap = new Script().speech(400).build();
            int fedMs = 0;
            for (int i = 0; i < overlap.length() && sink.interrupts == 0; i += 320, fedMs += 20) {
                harness.clock.advanceMillis(20);
                s.accept(overlap.slice(i, i + 320));
            }
            assertThat(sink.interrupts).isPositive();
            assertThat(fedMs).isLessThanOrEqualTo(100);
            sink.release();
            harness.feed(s, new Script().speech(400 - fedMs).silence(600));
            awaitIdle(s);
        }
        List<SessionEvent.TurnCompleted> turns = harness.eventsOf(SessionEvent.TurnCompleted.class);
        assertThat(turns).extracting(SessionEvent.TurnCompleted::turn).containsExactly(1, 2);
        assertThat(turns.get(0).interrupted()).isTrue();
        assertThat(turns.get(0).replyText()).isEqualTo(SessionHarness.STORY_PHRASE_1);
        assertThat(turns.get(1).userText()).isEqualTo("stop");
        assertThat(turns.get(1).interrupted()).isFalse();
        assertThat(harness.eventsOf(SessionEvent.Interrupted.class)).containsExactly(new SessionEvent.Interrupted(1));
    }

    @Test
    void resumingBeforeAnyReplyIsHeardContinuesTheSameUtterance() throws Exception {
        CountDownLatch firstDialogStarted = new CountDownLatch(1);
        Dialog slowThenFast = (h, turn) -> {
            String text = turn.text();
            harness.ask(h, text);
            if (!text.equals("set a timer")) return TextStream.of("Timer set for ten minutes.");
            firstDialogStarted.countDown();
            return new TextStream() {
                final CountDownLatch closed = new CountDownLatch(1);

                @Override
                public String next() throws DialogException {
                    try {
                        closed.await(CEILING_SECONDS, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        throw new DialogException("interrupted");
                    }
                    return null;
                }

                @Override
                public void close() {
                    closed.countDown();
                }
            };
        };
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
             VoiceSession s = harness.session().stt(harness.stt(0, "set a timer", "for ten minutes")).dialog(slowThenFast)
                     .on(pool).open()) {
            harness.feed(s, new Script().silence(300).speech(600).silence(400));
            assertThat(firstDialogStarted.await(CEILING_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(s.state()).isEqualTo(TurnState.THINKING);
            harness.feed(s, new Script().speech(600).silence(600));
            awaitIdle(s);
            assertThat(s.conversation()).containsExactly(
                    Message.user("set a timer for ten minutes"), Message.assistant("Timer set for ten minutes."));
        }
        assertThat(harness.askedTexts()).containsExactly("set a timer", "set a timer for ten minutes");
        assertThat(harness.eventsOf(SessionEvent.FinalTranscript.class)).extracting(f -> f.transcript().text())
                .containsExactly("set a timer", "set a timer for ten minutes");
    }

    @Test
    void aFailingDialogGetsASpokenApologyAndTheSessionGoesOn() {
        ToneTts tts = new ToneTts(harness.clock, 0);
        Dialog broken = (h, turn) -> {
            String text = turn.text();
            if (text.equals("second")) return TextStream.of("Fine again.");
            return new TextStream() {
                @Override
                public String next() throws DialogException {
                    throw new DialogException("the brain is down");
                }

                @Override
                public void close() {
                }
            };
        };
        try (VoiceSession s = harness.session().stt(harness.stt(0, "first", "second")).dialog(broken).tts(tts).open()) {
            harness.feed(s, new Script().silence(300).speech(500).silence(600).speech(500).silence(600));
        }
        assertThat(harness.eventsOf(SessionEvent.Error.class)).containsExactly(new SessionEvent.Error(1, "dialog", "the brain is down"));
        assertThat(tts.spoken).containsExactly("Sorry, something went wrong while I was thinking about that.", "Fine again.");
        assertThat(harness.eventsOf(SessionEvent.TurnCompleted.class)).hasSize(2);
    }

    @Test
    void acceptsAnyInputRate() {
        try (VoiceSession s = harness.session().stt(harness.stt(0, "hello")).open()) {
            harness.feed(s, Resampler.convert(new Script().silence(500).speech(1000).silence(600).build(), 44_100));
        }
        var started = harness.eventsOf(SessionEvent.SpeechStarted.class);
        assertThat(started).hasSize(1);
        assertThat(started.getFirst().startMs()).isBetween(448L, 512L);
        assertThat(harness.eventsOf(SessionEvent.TurnCompleted.class)).extracting(SessionEvent.TurnCompleted::userText).containsExactly("hello");
    }
}

package dev.parley.session;

import dev.parley.dialog.Dialog;
import dev.parley.dialog.DialogContext;
import dev.parley.dialog.DialogSignal;
import dev.parley.dialog.Message;
import dev.parley.dialog.TextStream;
import dev.parley.dialog.VoiceControls;
import dev.parley.stt.Transcript;
import dev.parley.testing.Patience;
import dev.parley.testing.Fakes.RecordingSink;
import dev.parley.testing.Fakes.Script;
import dev.parley.turn.TurnState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static dev.parley.session.SessionHarness.awaitFirstWrite;
import static dev.parley.session.SessionHarness.awaitIdle;
import static org.assertj.core.api.Assertions.assertThat;

/** What a session offers its brain: speaking up unprompted, signals, the voice controls, closing. */
class VoiceSessionBrainTest {
    private final SessionHarness harness = new SessionHarness();
    private final Brain brain = new Brain();

    /** An echoing brain that keeps its context and the signals it got. */
    private static final class Brain implements Dialog {
        volatile DialogContext context;
        final List<DialogSignal> signals = java.util.Collections.synchronizedList(new ArrayList<>());
        final List<Transcript> turns = java.util.Collections.synchronizedList(new ArrayList<>());
        volatile boolean closed;

        @Override
        public TextStream respond(List<Message> history, Transcript userTurn) {
            turns.add(userTurn);
            return TextStream.of("You said ", userTurn.text(), ".");
        }

        @Override
        public void attach(DialogContext context) {
            this.context = context;
        }

        @Override
        public void onSignal(DialogSignal signal) {
            signals.add(signal);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** A session with {@link #brain}, on {@code pool}, hearing {@code texts} and playing to {@code sink}. */
    private VoiceSession session(String texts, RecordingSink sink, ExecutorService pool) {
        return harness.session().stt(harness.stt(0, texts)).dialog(brain).sink(sink).on(pool).open();
    }

    /**
     * Opens a session on a pool with nothing to hear, runs {@code before} (the brain is attached by then), has the
     * brain say {@code text} and waits until it was said; returns the conversation at that point.
     */
    private List<Message> announce(RecordingSink sink, Runnable before, String text) throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
             VoiceSession s = session("", sink, pool)) {
            before.run();
            brain.context.say(text);
            harness.awaitTurnsCompleted(1);
            return s.conversation();
        }
    }

    @Test
    void theBrainIsAttachedAtOnceAndSpeaksUpWhenTheFloorIsFree() throws Exception {
        RecordingSink sink = new RecordingSink(false);
        List<Message> conversation = announce(sink, () -> assertThat(brain.context).isNotNull(), "Your three minute timer is done.");
        assertThat(conversation).containsExactly(Message.assistant("Your three minute timer is done."));
        assertThat(brain.turns).as("an announcement does not go through the brain").isEmpty();
        SessionEvent.TurnCompleted done = harness.eventsOf(SessionEvent.TurnCompleted.class).getFirst();
        assertThat(done.userText()).isEmpty();
        assertThat(done.replyText()).isEqualTo("Your three minute timer is done.");
        assertThat(done.waterfall()).as("no user turn, so no latency to report").isNull();
        assertThat(sink.samplesPlayed()).isEqualTo(6 * 1600); // six words of tone
        assertThat(harness.eventsOf(SessionEvent.ReplyStarted.class)).extracting(SessionEvent.ReplyStarted::turn).containsExactly(1);
    }

    @Test
    void anAnnouncementWaitsForTheUsersTurnAndItsReply() throws Exception {
        RecordingSink sink = new RecordingSink(false);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
             VoiceSession s = session("what time is it", sink, pool)) {
            harness.feed(s, new Script().silence(300).speech(800));
            assertThat(s.state()).isEqualTo(TurnState.USER_SPEAKING);
            brain.context.say("Reminder: call mom.");
            assertThat(harness.eventsOf(SessionEvent.ReplyStarted.class)).as("not over the user's words").isEmpty();
            harness.feed(s, new Script().silence(700));
            Patience.until(() -> harness.eventsOf(SessionEvent.TurnCompleted.class).size() == 2);
            assertThat(s.conversation()).containsExactly(Message.user("what time is it"),
                    Message.assistant("You said what time is it."), Message.assistant("Reminder: call mom."));
        }
        assertThat(harness.eventsOf(SessionEvent.TurnCompleted.class)).extracting(SessionEvent.TurnCompleted::replyText)
                .containsExactly("You said what time is it.", "Reminder: call mom.");
    }

    @Test
    void theBrainHearsWhenTheUserStartsAndWhatTheReplyPlayed() throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
             VoiceSession s = session("hello", new RecordingSink(false), pool)) {
            harness.feed(s, new Script().silence(300).speech(600).silence(700));
            awaitIdle(s);
            Patience.until(() -> brain.signals.size() == 2);
        }
        assertThat(brain.signals).containsExactly(new DialogSignal.UserSpeechStarted(),
                new DialogSignal.ReplyPlayed("You said hello.", false));
        assertThat(brain.turns).containsExactly(new Transcript("hello", 0.9));
        assertThat(brain.closed).as("closing the session closes its brain").isTrue();
    }

    @Test
    void louderRaisesTheReplyAudio() throws Exception {
        RecordingSink sink = new RecordingSink(false);
        announce(sink, () -> {
            VoiceControls voice = brain.context.voice();
            assertThat(voice.setVolume(2.0)).isTrue();
            assertThat(voice.setVolume(100)).as("out of range").isFalse();
            assertThat(voice.volume()).isEqualTo(2.0);
        }, "Louder now.");
        assertThat(sink.played).isNotEmpty().allSatisfy(chunk -> assertThat(chunk.samples()).containsOnly((short) 2000));
    }

    @Test
    void slowerStretchesEachPhraseInTime() throws Exception {
        RecordingSink sink = new RecordingSink(false);
        announce(sink, () -> {
            VoiceControls voice = brain.context.voice();
            assertThat(voice.setRate(0.1)).as("out of range").isFalse();
            assertThat(voice.setRate(0.8)).isTrue();
            assertThat(voice.rate()).isEqualTo(0.8);
        }, "Slower now.");
        assertThat(sink.samplesPlayed()).as("two words of tone, 1.25 times as long").isEqualTo(2 * 1600 * 5 / 4);
    }

    @Test
    void aReplyCutShortByClosingTheSessionSignalsNothingToTheClosedBrain() throws Exception {
        RecordingSink sink = new RecordingSink(true);
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        VoiceSession s = session("", sink, pool);
        brain.context.say("How can I help?");
        awaitFirstWrite(sink);
        s.close();
        sink.release();
        pool.shutdown();
        assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        assertThat(brain.closed).isTrue();
        // a brain told after its close would schedule follow-ups ("are you still there?") that keep the session alive
        assertThat(brain.signals).isEmpty();
    }
}

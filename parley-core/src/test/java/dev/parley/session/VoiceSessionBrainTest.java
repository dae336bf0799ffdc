package dev.parley.session;

import dev.parley.audio.PcmAudio;
import dev.parley.dialog.Dialog;
import dev.parley.dialog.DialogContext;
import dev.parley.dialog.DialogSignal;
import dev.parley.dialog.Message;
import dev.parley.dialog.TextStream;
import dev.parley.dialog.VoiceControls;
import dev.parley.stt.Transcript;
import dev.parley.testing.Patience;
import dev.parley.testing.Fakes.FakeClock;
import dev.parley.testing.Fakes.LoudnessVad;
import dev.parley.testing.Fakes.RecordingSink;
import dev.parley.testing.Fakes.Script;
import dev.parley.testing.Fakes.ScriptedStt;
import dev.parley.testing.Fakes.ToneTts;
import dev.parley.turn.TurnState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static dev.parley.testing.Patience.CEILING_SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

/** What a session offers its brain: speaking up unprompted, signals, the voice controls, closing. */
class VoiceSessionBrainTest {
    private final FakeClock clock = new FakeClock();
    private final List<SessionEvent> events = new ArrayList<>();

    private synchronized void record(SessionEvent e) {
        events.add(e);
    }

    private synchronized <T extends SessionEvent> List<T> eventsOf(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

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

    private VoiceSession session(Brain brain, String texts, RecordingSink sink, ExecutorService pool) {
        return new VoiceSession(new VoiceSession.Engines(new LoudnessVad(), new ScriptedStt(clock, 0, texts), brain,
                new ToneTts(null, 0)), sink, SessionConfig.DEFAULT, this::record, clock::nanoTime, pool);
    }

    private void feed(VoiceSession session, PcmAudio audio) {
        int chunk = audio.sampleRate() / 50;
        for (int i = 0; i < audio.length(); i += chunk) {
            PcmAudio piece = audio.slice(i, Math.min(audio.length(), i + chunk));
            clock.advanceNanos(piece.durationNanos());
            session.accept(piece);
        }
    }

    /** Waits, up to the shared ceiling, until {@code condition} holds (Awaitility; a sleep would be a guess). */
    private static void await(BooleanSupplier condition) {
        Patience.until(condition::getAsBoolean);
    }

    @Test
    void theBrainIsAttachedAtOnceAndSpeaksUpWhenTheFloorIsFree() throws Exception {
        Brain brain = new Brain();
        RecordingSink sink = new RecordingSink(false);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
             VoiceSession s = session(brain, "", sink, pool)) {
            assertThat(brain.context).isNotNull();
            brain.context.say("Your three minute timer is done.");
            await(() -> !eventsOf(SessionEvent.TurnCompleted.class).isEmpty());
            assertThat(s.conversation()).containsExactly(Message.assistant("Your three minute timer is done."));
        }
        assertThat(brain.turns).as("an announcement does not go through the brain").isEmpty();
        SessionEvent.TurnCompleted done = eventsOf(SessionEvent.TurnCompleted.class).getFirst();
        assertThat(done.userText()).isEmpty();
        assertThat(done.replyText()).isEqualTo("Your three minute timer is done.");
        assertThat(done.waterfall()).as("no user turn, so no latency to report").isNull();
        assertThat(sink.samplesPlayed()).isEqualTo(6 * 1600); // six words of tone
        assertThat(eventsOf(SessionEvent.ReplyStarted.class)).extracting(SessionEvent.ReplyStarted::turn).containsExactly(1);
    }

    @Test
    void anAnnouncementWaitsForTheUsersTurnAndItsReply() throws Exception {
        Brain brain = new Brain();
        RecordingSink sink = new RecordingSink(false);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
             VoiceSession s = session(brain, "what time is it", sink, pool)) {
            feed(s, new Script().silence(300).speech(800).build());
            assertThat(s.state()).isEqualTo(TurnState.USER_SPEAKING);
            brain.context.say("Reminder: call mom.");
            assertThat(eventsOf(SessionEvent.ReplyStarted.class)).as("not over the user's words").isEmpty();
            feed(s, new Script().silence(700).build());
            await(() -> eventsOf(SessionEvent.TurnCompleted.class).size() == 2);
            assertThat(s.conversation()).containsExactly(Message.user("what time is it"),
                    Message.assistant("You said what time is it."), Message.assistant("Reminder: call mom."));
        }
        assertThat(eventsOf(SessionEvent.TurnCompleted.class)).extracting(SessionEvent.TurnCompleted::replyText)
                .containsExactly("You said what time is it.", "Reminder: call mom.");
    }

    @Test
    void theBrainHearsWhenTheUserStartsAndWhatTheReplyPlayed() throws Exception {
        Brain brain = new Brain();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
             VoiceSession s = session(brain, "hello", new RecordingSink(false), pool)) {
            feed(s, new Script().silence(300).speech(600).silence(700).build());
            assertThat(s.awaitIdle(CEILING_SECONDS, TimeUnit.SECONDS)).isTrue();
            await(() -> brain.signals.size() == 2);
        }
        assertThat(brain.signals).containsExactly(new DialogSignal.UserSpeechStarted(),
                new DialogSignal.ReplyPlayed("You said hello.", false));
        assertThat(brain.turns).containsExactly(new Transcript("hello", 0.9));
        assertThat(brain.closed).as("closing the session closes its brain").isTrue();
    }

    @Test
    void louderRaisesTheReplyAudio() throws Exception {
        Brain brain = new Brain();
        RecordingSink sink = new RecordingSink(false);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
             VoiceSession s = session(brain, "", sink, pool)) {
            VoiceControls voice = brain.context.voice();
            assertThat(voice.setVolume(2.0)).isTrue();
            assertThat(voice.setVolume(100)).as("out of range").isFalse();
            assertThat(voice.volume()).isEqualTo(2.0);
            brain.context.say("Louder now.");
            await(() -> !eventsOf(SessionEvent.TurnCompleted.class).isEmpty());
        }
        assertThat(sink.played).isNotEmpty().allSatisfy(chunk -> assertThat(chunk.samples()).containsOnly((short) 2000));
    }

    @Test
    void slowerStretchesEachPhraseInTime() throws Exception {
        Brain brain = new Brain();
        RecordingSink sink = new RecordingSink(false);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
             VoiceSession s = session(brain, "", sink, pool)) {
            VoiceControls voice = brain.context.voice();
            assertThat(voice.setRate(0.1)).as("out of range").isFalse();
            assertThat(voice.setRate(0.8)).isTrue();
            assertThat(voice.rate()).isEqualTo(0.8);
            brain.context.say("Slower now.");
            await(() -> !eventsOf(SessionEvent.TurnCompleted.class).isEmpty());
        }
        assertThat(sink.samplesPlayed()).as("two words of tone, 1.25 times as long").isEqualTo(2 * 1600 * 5 / 4);
    }

    @Test
    void aReplyCutShortByClosingTheSessionSignalsNothingToTheClosedBrain() throws Exception {
        Brain brain = new Brain();
        RecordingSink sink = new RecordingSink(true);
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        VoiceSession s = session(brain, "", sink, pool);
        brain.context.say("How can I help?");
        assertThat(sink.firstWrite.await(CEILING_SECONDS, TimeUnit.SECONDS)).isTrue();
        s.close();
        sink.release();
        pool.shutdown();
        assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        assertThat(brain.closed).isTrue();
        // a brain told after its close would schedule follow-ups ("are you still there?") that keep the session alive
        assertThat(brain.signals).isEmpty();
    }
}

package dev.parley.session;

import dev.parley.audio.AudioSink;
import dev.parley.audio.PcmAudio;
import dev.parley.dialog.Dialog;
import dev.parley.dialog.Message;
import dev.parley.dialog.TextStream;
import dev.parley.latency.Waterfall;
import dev.parley.session.SessionEvent.FinalTranscript;
import dev.parley.session.SessionEvent.InputCommitted;
import dev.parley.session.SessionEvent.Interrupted;
import dev.parley.session.SessionEvent.PartialTranscript;
import dev.parley.session.SessionEvent.ReplyAudioStarted;
import dev.parley.session.SessionEvent.ReplyPhrase;
import dev.parley.session.SessionEvent.ReplyStarted;
import dev.parley.session.SessionEvent.SpeechStarted;
import dev.parley.session.SessionEvent.StateChanged;
import dev.parley.session.SessionEvent.TurnCompleted;
import dev.parley.stt.SpeechRecognizer;
import dev.parley.stt.Transcript;
import dev.parley.testing.Fakes.FakeClock;
import dev.parley.testing.Fakes.LoudnessVad;
import dev.parley.testing.Fakes.RecordingSink;
import dev.parley.testing.Fakes.Script;
import dev.parley.testing.Fakes.ScriptedStt;
import dev.parley.testing.Fakes.ToneTts;
import dev.parley.testing.Patience;
import dev.parley.tts.SpeechSynthesizer;
import dev.parley.turn.TurnCompletion;
import dev.parley.turn.TurnState;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import static dev.parley.testing.Patience.CEILING_SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the {@link VoiceSession} tests share: a fake clock that the fed audio moves, a timeline of what the session
 * reported, a log of what its dialog was asked, and sessions opened on fake engines ({@link #session()}).
 *
 * <p>Audio is fed as a microphone delivers it: in 20 ms chunks, the clock moving before each chunk (a chunk arrives
 * once it was recorded). Waiting is on conditions with the {@link Patience} ceiling, never on sleeps.
 */
final class SessionHarness {
    /** The story dialogs tell: three phrases, long enough to be spoken over. */
    static final List<String> STORY = List.of("Once upon a time there was a voice assistant. ", "It talked and talked. ", "The end.");
    /** The story's first phrase, as a reply cut short after it keeps it. */
    static final String STORY_PHRASE_1 = "Once upon a time there was a voice assistant.";
    /** The whole story, as a reply that played to its end keeps it. */
    static final String STORY_TEXT = STORY_PHRASE_1 + " It talked and talked. The end.";

    /** What a dialog was asked: the history it was given and the user's words. */
    record Asked(List<Message> history, String text) {}

    final FakeClock clock = new FakeClock();
    /** Everything that happened, in order: the session's events and whatever else a test {@link #record}s. */
    private final List<Object> timeline = new ArrayList<>();
    private final List<Asked> asked = new ArrayList<>();

    // ---------------------------------------------------------------- the timeline

    /** Adds to the timeline (sessions opened here report their events to it) and wakes {@link #awaitCondition}. */
    synchronized void record(Object e) {
        timeline.add(e);
        notifyAll();
    }

    synchronized List<Object> timeline() {
        return List.copyOf(timeline);
    }

    synchronized List<SessionEvent> events() {
        return timeline.stream().filter(SessionEvent.class::isInstance).map(SessionEvent.class::cast).toList();
    }

    synchronized <T extends SessionEvent> List<T> eventsOf(Class<T> type) {
        return timeline.stream().filter(type::isInstance).map(type::cast).toList();
    }

    synchronized void forgetEvents() {
        timeline.clear();
    }

    /** The waterfall turn {@code turn} completed with. */
    Waterfall waterfallOf(int turn) {
        return eventsOf(TurnCompleted.class).stream().filter(t -> t.turn() == turn).findFirst().orElseThrow().waterfall();
    }

    /** Waits (up to the {@link Patience} ceiling) until an event matching {@code what} was reported; false if none was. */
    boolean awaitEvent(Predicate<SessionEvent> what) throws InterruptedException {
        return awaitCondition(() -> events().stream().anyMatch(what));
    }

    /** Waits (up to the ceiling), woken by every event, until {@code condition} holds; false if it never did. */
    synchronized boolean awaitCondition(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CEILING_SECONDS);
        while (!condition.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return false;
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** Waits, up to the ceiling, until {@code n} turns have completed; fails the test if they never do. */
    void awaitTurnsCompleted(int n) {
        Patience.until(() -> eventsOf(TurnCompleted.class).size() >= n);
    }

    /** Waits, up to the ceiling, until {@code session} has no reply in progress; fails the test if it never has. */
    static void awaitIdle(VoiceSession session) throws InterruptedException {
        assertThat(session.awaitIdle(CEILING_SECONDS, TimeUnit.SECONDS)).isTrue();
    }

    /** Waits, up to the ceiling, until a reply's first audio reached {@code sink}; fails the test if none did. */
    static void awaitFirstWrite(RecordingSink sink) throws InterruptedException {
        assertThat(sink.firstWrite.await(CEILING_SECONDS, TimeUnit.SECONDS)).isTrue();
    }

    static StateChanged state(TurnState from, TurnState to) {
        return new StateChanged(from, to);
    }

    /**
     * The events a test expects, in order, built from the runs that recur: speech being heard, a committed turn
     * answered, a reply played to its end. {@link #events()} is the list to compare with {@link SessionHarness#events()}.
     */
    static final class Expected {
        private final List<SessionEvent> events = new ArrayList<>();

        private Expected() {
        }

        Expected then(SessionEvent... more) {
            events.addAll(Arrays.asList(more));
            return this;
        }

        /** USER_SPEAKING from LISTENING, the speech starting at {@code startMs} and the partial it was heard as. */
        Expected speechHeard(int turn, long startMs, String partial) {
            return then(state(TurnState.LISTENING, TurnState.USER_SPEAKING),
                    new SpeechStarted(turn, startMs),
                    new PartialTranscript(turn, partial));
        }

        /** THINKING from LISTENING, and a reply started for {@code turn} (one asked for, or to words just added). */
        Expected replyStarted(int turn) {
            return then(state(TurnState.LISTENING, TurnState.THINKING), new ReplyStarted(turn));
        }

        /** The reply stopped from {@code from}: INTERRUPTED, reported, the turn completed interrupted, LISTENING again. */
        Expected interrupted(TurnState from, int turn, String userText, String replyText, Waterfall w) {
            return then(state(from, TurnState.INTERRUPTED),
                    new Interrupted(turn),
                    new TurnCompleted(turn, userText, replyText, w, true),
                    state(TurnState.INTERRUPTED, TurnState.LISTENING));
        }

        /** The input committed, the reply to it started, its transcript ({@code userText}) and {@link #replyPlayed}. */
        Expected committedAndAnswered(int turn, String userText, String replyText, Waterfall w) {
            return then(new InputCommitted(turn),
                    new ReplyStarted(turn),
                    new FinalTranscript(turn, new Transcript(userText, 0.9)))
                    .replyPlayed(turn, userText, replyText, w);
        }

        /** The reply's one phrase, SPEAKING, its audio starting, LISTENING again and the turn completed uninterrupted. */
        Expected replyPlayed(int turn, String userText, String replyText, Waterfall w) {
            return then(new ReplyPhrase(turn, replyText),
                    state(TurnState.THINKING, TurnState.SPEAKING),
                    new ReplyAudioStarted(turn, w),
                    state(TurnState.SPEAKING, TurnState.LISTENING),
                    new TurnCompleted(turn, userText, replyText, w, false));
        }

        List<SessionEvent> events() {
            return List.copyOf(events);
        }
    }

    static Expected expect(SessionEvent... first) {
        return new Expected().then(first);
    }

    // ---------------------------------------------------------------- what the dialog was asked

    /** Notes a question to a dialog (dialogs ask on reply threads: the log is synchronised). */
    void ask(List<Message> history, String text) {
        synchronized (asked) {
            asked.add(new Asked(List.copyOf(history), text));
        }
    }

    List<Asked> asked() {
        synchronized (asked) {
            return List.copyOf(asked);
        }
    }

    /** The user's words of every question so far, in order. */
    List<String> askedTexts() {
        return asked().stream().map(Asked::text).toList();
    }

    /** Waits, up to the ceiling, until a dialog was asked {@code n} questions (speculations ask on a pool thread). */
    void awaitAsked(int n) {
        Patience.until(() -> asked().size() >= n);
    }

    /** Echoes what the user said ("You said …."), noting what it was asked. */
    Dialog echo() {
        return (history, turn) -> {
            String text = turn.text();
            ask(history, text);
            return TextStream.of("You said ", text, ".");
        };
    }

    /** Tells the three-phrase {@link #STORY} whatever it is asked, noting what it was asked. */
    Dialog story() {
        return (history, turn) -> {
            ask(history, turn.text());
            return TextStream.of(STORY.toArray(String[]::new));
        };
    }

    // ---------------------------------------------------------------- sessions and audio

    /** A recogniser on this clock: each utterance's transcript takes {@code finishMillis}, one text per utterance. */
    ScriptedStt stt(long finishMillis, String... texts) {
        return new ScriptedStt(clock, finishMillis, texts);
    }

    /** Feeds audio in 20 ms chunks, moving the clock as a microphone would (a chunk arrives once recorded). */
    void feed(VoiceSession session, PcmAudio audio) {
        int chunk = audio.sampleRate() / 50;
        for (int i = 0; i < audio.length(); i += chunk) {
            PcmAudio piece = audio.slice(i, Math.min(audio.length(), i + chunk));
            clock.advanceNanos(piece.durationNanos());
            session.accept(piece);
        }
    }

    void feed(VoiceSession session, Script script) {
        feed(session, script.build());
    }

    /**
     * A session to open on fakes, reporting to this timeline on this clock. Unless replaced: a {@link LoudnessVad},
     * a recogniser with no words, the {@link #echo()} dialog, a tone voice that takes no time, the silence judge of
     * finished utterances, a sink that never blocks, replies on the calling thread and the default config.
     */
    SessionBuilder session() {
        return new SessionBuilder();
    }

    final class SessionBuilder {
        private SpeechRecognizer stt = SessionHarness.this.stt(0);
        private Dialog dialog = echo();
        private SpeechSynthesizer tts = new ToneTts(null, 0);
        private TurnCompletion completion = TurnCompletion.SILENCE;
        private AudioSink sink = new RecordingSink(false);
        private Executor executor = Runnable::run;
        private SessionConfig config = SessionConfig.DEFAULT;

        private SessionBuilder() {
        }

        SessionBuilder stt(SpeechRecognizer stt) {
            this.stt = stt;
            return this;
        }

        SessionBuilder dialog(Dialog dialog) {
            this.dialog = dialog;
            return this;
        }

        SessionBuilder tts(SpeechSynthesizer tts) {
            this.tts = tts;
            return this;
        }

        SessionBuilder completion(TurnCompletion completion) {
            this.completion = completion;
            return this;
        }

        SessionBuilder sink(AudioSink sink) {
            this.sink = sink;
            return this;
        }

        /** Where reply tasks run (a pool for tests whose replies must run beside the feeding thread). */
        SessionBuilder on(Executor executor) {
            this.executor = executor;
            return this;
        }

        SessionBuilder config(SessionConfig config) {
            this.config = config;
            return this;
        }

        VoiceSession open() {
            return new VoiceSession(new VoiceSession.Engines(new LoudnessVad(), stt, dialog, tts, completion), sink, config,
                    SessionHarness.this::record, clock::nanoTime, executor);
        }
    }
}

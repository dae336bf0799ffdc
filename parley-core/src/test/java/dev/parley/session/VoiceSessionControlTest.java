package dev.parley.session;

import dev.parley.audio.AudioSink;
import dev.parley.audio.PcmAudio;
import dev.parley.dialog.Dialog;
import dev.parley.dialog.DialogException;
import dev.parley.dialog.Message;
import dev.parley.dialog.TextStream;
import dev.parley.failover.ProviderEvents;
import dev.parley.latency.Waterfall;
import dev.parley.session.SessionConfig.TurnTaking;
import dev.parley.session.SessionHarness.Asked;
import dev.parley.session.SessionEvent.FinalTranscript;
import dev.parley.session.SessionEvent.InputCommitted;
import dev.parley.session.SessionEvent.Interrupted;
import dev.parley.session.SessionEvent.PartialTranscript;
import dev.parley.session.SessionEvent.ReplyAudioStarted;
import dev.parley.session.SessionEvent.ReplyPhrase;
import dev.parley.session.SessionEvent.ReplyStarted;
import dev.parley.session.SessionEvent.SpeechStarted;
import dev.parley.session.SessionEvent.SpeechStopped;
import dev.parley.session.SessionEvent.TurnCompleted;
import dev.parley.stt.RecognitionStream;
import dev.parley.stt.SpeechRecognizer;
import dev.parley.stt.Transcript;
import dev.parley.testing.Fakes.LoudnessVad;
import dev.parley.testing.Fakes.RecordingSink;
import dev.parley.testing.Fakes.Script;
import dev.parley.testing.Fakes.ScriptedStt;
import dev.parley.testing.Fakes.ToneTts;
import dev.parley.turn.Endpointer;
import dev.parley.turn.TurnState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.ThrowingConsumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static dev.parley.session.SessionHarness.awaitFirstWrite;
import static dev.parley.session.SessionHarness.awaitIdle;
import static dev.parley.session.SessionHarness.STORY_PHRASE_1;
import static dev.parley.session.SessionHarness.expect;
import static dev.parley.session.SessionHarness.STORY_TEXT;
import static dev.parley.session.SessionHarness.state;
import static dev.parley.testing.Patience.CEILING_SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The session as a client that drives turns uses it (the Realtime server): commit, clear, push-to-talk, replies on
 * request, cancel, truncate, instructions, added messages, reconfigure, and the ReplyAudioStarted event.
 *
 * <p>Audio positions used below: a {@link LoudnessVad} frame is 512 samples (32 ms); speech that starts at 300 ms
 * starts inside the frame 288-320 ms and speech that stops at 900 ms ends with the frame 896-928 ms.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class VoiceSessionControlTest {
    private static final SessionConfig VAD = SessionConfig.DEFAULT;
    private static final SessionConfig PTT = SessionConfig.DEFAULT.withTurns(TurnTaking.PUSH_TO_TALK);
    private static final SessionConfig PTT_AUTO_REPLY = SessionConfig.DEFAULT.withTurns(new TurnTaking(false, true, false));
    private static final SessionConfig VAD_REPLY_ON_REQUEST = SessionConfig.DEFAULT.withTurns(new TurnTaking(true, false, true));
    private static final SessionConfig VAD_NO_BARGE_IN = SessionConfig.DEFAULT.withTurns(new TurnTaking(true, true, false));

    private static final String EMPTY_BUFFER = "input audio buffer is empty: ";
    /** Why a commit with server VAD and no speech being heard is refused. */
    private static final String NO_SPEECH = "no speech is being heard";

    private final SessionHarness harness = new SessionHarness();

    /** Audio handed to a {@link TimelineSink}. */
    private record Written(int samples) {}

    private static Transcript said(String text) {
        return new Transcript(text, 0.9);
    }

    /** Why a commit with too little audio in push-to-talk is refused. */
    private static String tooShort(int ms) {
        return "a commit needs at least 100 ms of audio, it has " + ms + " ms";
    }

    /** Asserts that commit() is refused, the input buffer being empty because {@code why}. */
    private static void assertCommitRefused(VoiceSession s, String why) {
        assertThatThrownBy(s::commit).isInstanceOf(IllegalStateException.class).hasMessage(EMPTY_BUFFER + why);
    }

    /** Adds {@code userWords} as the user's message and asks for a reply; returns the reply's turn. */
    private static int respondTo(VoiceSession s, String userWords) {
        s.addMessage(Message.user(userWords));
        return s.respond();
    }

    // ---------------------------------------------------------------- push-to-talk

    @Test
    void pushToTalkAudioIsHeardWithoutSpeechEventsAndBecomesATurnOnlyWhenCommitted() {
        ScriptedStt stt = harness.stt(12, "what time is it");
        stt.partials.add("what time");
        RecordingSink sink = new RecordingSink(false);
        try (VoiceSession s = harness.session().stt(stt).tts(new ToneTts(harness.clock, 40)).sink(sink).config(PTT).open()) {
            // 710 ms: 22 whole frames and 96 samples waiting for the next frame; silence is audio like any other here
            harness.feed(s, new Script().silence(100).speech(500).silence(110));
            assertThat(harness.events()).containsExactly(new PartialTranscript(1, "what time"));
            assertThat(s.state()).isEqualTo(TurnState.LISTENING);
            assertThat(s.userSpeaking()).isFalse();
            assertThat(s.inputPositionMs()).isEqualTo(704);

            assertThat(s.commit()).isEqualTo(1);

            assertThat(harness.events()).containsExactly(new PartialTranscript(1, "what time"), new InputCommitted(1),
                    new FinalTranscript(1, said("what time is it")));
            // every sample appended, the last partial frame too, went to STT, and the stream was closed
            assertThat(stt.samplesPerUtterance).containsExactly(710L * 16);
            assertThat(stt.open).isZero();
            assertThat(s.inputPositionMs()).isEqualTo(710);
            assertThat(s.conversation()).containsExactly(Message.user("what time is it"));
            assertThat(s.state()).isEqualTo(TurnState.LISTENING);
        }
        assertThat(harness.asked()).isEmpty();
        assertThat(sink.played).isEmpty();
    }

    @Test
    void pushToTalkCommitOfUnderAHundredMillisecondsThrowsAndKeepsTheAudio() {
        ScriptedStt stt = harness.stt(0, "short and then longer");
        try (VoiceSession s = harness.session().stt(stt).config(PTT).open()) {
            assertCommitRefused(s, tooShort(0));
            harness.feed(s, new Script().speech(50));
            assertCommitRefused(s, tooShort(50));
            harness.feed(s, new Script().speech(40));
            assertCommitRefused(s, tooShort(90));
            assertThat(harness.events()).containsExactly(new PartialTranscript(1, "short and then longer"));

            // the session goes on: the audio taken so far is still the turn's
            harness.feed(s, new Script().speech(10));
            assertThat(s.commit()).isEqualTo(1);
            assertThat(s.conversation()).containsExactly(Message.user("short and then longer"));
            // the turn is over: nothing is left to commit
            assertCommitRefused(s, tooShort(0));
        }
        assertThat(stt.samplesPerUtterance).containsExactly(100L * 16);
        assertThat(harness.eventsOf(FinalTranscript.class)).containsExactly(new FinalTranscript(1, said("short and then longer")));
    }

    @Test
    void pushToTalkAudioShorterThanAFrameBeforeAFailedCommitStillReachesStt() {
        ScriptedStt stt = harness.stt(0, "hello");
        try (VoiceSession s = harness.session().stt(stt).config(PTT).open()) {
            harness.feed(s, new Script().speech(20)); // 320 samples: less than one 512-sample frame
            assertCommitRefused(s, tooShort(20));
            harness.feed(s, new Script().speech(200));
            assertThat(s.commit()).isEqualTo(1);
        }
        // all 220 ms were counted for the commit, so all 220 ms must have been recognised
        assertThat(stt.samplesPerUtterance).containsExactly(220L * 16);
        assertThat(stt.open).isZero();
    }

    @Test
    void respondAnswersTheCommittedUtteranceAndRecordsTheReply() {
        ScriptedStt stt = harness.stt(12, "what time is it", "and the date");
        RecordingSink sink = new RecordingSink(false);
        try (VoiceSession s = harness.session().stt(stt).tts(new ToneTts(harness.clock, 40)).sink(sink).config(PTT).open()) {
            harness.feed(s, new Script().speech(500));
            assertThat(s.commit()).isEqualTo(1);
            assertThat(harness.asked()).isEmpty();
            harness.forgetEvents();

            assertThat(s.respond()).isEqualTo(2);

            Waterfall w = harness.waterfallOf(2);
            assertThat(harness.events()).containsExactlyElementsOf(expect()
                    .replyStarted(2)
                    .replyPlayed(2, "what time is it", "You said what time is it.", w)
                    .events());
            // a reply on request has no endpoint or STT of its own: TTS's 40 ms is all of it
            assertThat(w.endpointMs()).isZero();
            assertThat(w.sttMs()).isZero();
            assertThat(w.ttsMs()).isEqualTo(40.0);
            assertThat(w.endToEndMs()).isEqualTo(40.0);
            assertThat(harness.asked()).containsExactly(new Asked(List.of(), "what time is it"));
            assertThat(s.conversation()).containsExactly(Message.user("what time is it"), Message.assistant("You said what time is it."));
            assertThat(sink.samplesPlayed()).isEqualTo(6 * 1600);

            // the next turn: the dialog sees the whole conversation before the new words
            harness.feed(s, new Script().speech(300));
            assertThat(s.commit()).isEqualTo(3);
            assertThat(s.respond()).isEqualTo(4);
            assertThat(harness.asked()).last().isEqualTo(new Asked(
                    List.of(Message.user("what time is it"), Message.assistant("You said what time is it.")), "and the date"));
            assertThat(s.conversation()).containsExactly(
                    Message.user("what time is it"), Message.assistant("You said what time is it."),
                    Message.user("and the date"), Message.assistant("You said and the date."));
        }
        assertThat(harness.eventsOf(TurnCompleted.class)).extracting(TurnCompleted::turn).containsExactly(2, 4);
    }

    @Test
    void respondWaitsForTheTranscriptOfWhatWasCommitted() throws Exception {
        GatedStt stt = new GatedStt(harness.stt(0, "slow words"), 0);
        try (VirtualThreads pool = new VirtualThreads();
             VoiceSession s = harness.session().stt(stt).on(pool).config(PTT).open()) {
            harness.feed(s, new Script().speech(500));
            assertThat(s.commit()).isEqualTo(1);
            assertThat(stt.finishing(0).await(CEILING_SECONDS, TimeUnit.SECONDS)).isTrue();

            assertThat(s.respond()).isEqualTo(2);
            // still transcribing: the reply waits for it
            assertThat(s.awaitIdle(100, TimeUnit.MILLISECONDS)).isFalse();
            assertThat(harness.asked()).isEmpty();
            assertThat(s.state()).isEqualTo(TurnState.THINKING);

            stt.release(0);
            awaitIdle(s);
            assertThat(s.conversation()).containsExactly(Message.user("slow words"), Message.assistant("You said slow words."));
        }
        assertThat(harness.asked()).containsExactly(new Asked(List.of(), "slow words"));
        List<SessionEvent> events = harness.events();
        assertThat(events.indexOf(new FinalTranscript(1, said("slow words"))))
                .isNotNegative().isLessThan(events.indexOf(new ReplyPhrase(2, "You said slow words.")));
        assertThat(harness.eventsOf(TurnCompleted.class)).singleElement()
                .satisfies(t -> assertThat(t.userText()).isEqualTo("slow words"));
    }

    @Test
    void respondWhileAReplyIsInProgressThrowsAndLeavesThatReplyAlone() throws Exception {
        RecordingSink sink = new RecordingSink(true);
        try (VirtualThreads pool = new VirtualThreads();
             VoiceSession s = harness.session().dialog(harness.story()).sink(sink).on(pool).config(PTT).open()) {
            assertThat(respondTo(s, "tell me a story")).isEqualTo(1);
            awaitFirstWrite(sink);

            assertThatThrownBy(s::respond).isInstanceOf(IllegalStateException.class).hasMessage("a reply is already in progress");
            assertThat(s.state()).isEqualTo(TurnState.SPEAKING);

            sink.release();
            awaitIdle(s);
            assertThat(respondTo(s, "another")).isEqualTo(2); // the refused call took no turn number
            awaitIdle(s);
            assertThat(s.conversation()).containsExactly(Message.user("tell me a story"), Message.assistant(STORY_TEXT),
                    Message.user("another"), Message.assistant(STORY_TEXT));
        }
        assertThat(harness.eventsOf(TurnCompleted.class)).extracting(TurnCompleted::turn, TurnCompleted::replyText, TurnCompleted::interrupted)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, STORY_TEXT, false), org.assertj.core.groups.Tuple.tuple(2, STORY_TEXT, false));
        assertThat(sink.interrupts).isZero();
        assertThat(harness.eventsOf(Interrupted.class)).isEmpty();
    }

    @Test
    void pushToTalkWithAutomaticRepliesStartsTheReplyOnCommit() {
        ScriptedStt stt = harness.stt(12, "hello there");
        RecordingSink sink = new RecordingSink(false);
        try (VoiceSession s = harness.session().stt(stt).tts(new ToneTts(harness.clock, 40)).sink(sink).config(PTT_AUTO_REPLY).open()) {
            harness.feed(s, new Script().speech(500));
            assertThat(s.commit()).isEqualTo(1);
            assertThat(s.state()).isEqualTo(TurnState.LISTENING);
            assertThat(s.conversation()).containsExactly(Message.user("hello there"), Message.assistant("You said hello there."));
        }
        Waterfall w = harness.waterfallOf(1);
        assertThat(harness.events()).containsExactlyElementsOf(expect(
                new PartialTranscript(1, "hello there"),
                state(TurnState.LISTENING, TurnState.THINKING))
                .committedAndAnswered(1, "hello there", "You said hello there.", w)
                .events());
        // committed at the last sample: no endpoint wait, then STT 12 ms and TTS 40 ms
        assertThat(w.endpointMs()).isZero();
        assertThat(w.sttMs()).isEqualTo(12.0);
        assertThat(w.ttsMs()).isEqualTo(40.0);
        assertThat(w.endToEndMs()).isEqualTo(52.0);
        assertThat(harness.asked()).containsExactly(new Asked(List.of(), "hello there"));
        assertThat(sink.samplesPlayed()).isEqualTo(4 * 1600);
    }

    @Test
    void clearInputInPushToTalkDropsTheAudioTakenSoFar() {
        ScriptedStt stt = harness.stt(0, "dropped words", "kept words");
        try (VoiceSession s = harness.session().stt(stt).config(PTT).open()) {
            harness.feed(s, new Script().speech(300));
            s.clearInput();
            assertThat(stt.open).isZero();
            assertCommitRefused(s, tooShort(0));
            harness.feed(s, new Script().speech(200));
            assertThat(s.commit()).isEqualTo(2);
            assertThat(s.conversation()).containsExactly(Message.user("kept words"));
        }
        assertThat(harness.events()).containsExactly(new PartialTranscript(1, "dropped words"),
                new PartialTranscript(2, "kept words"), new InputCommitted(2), new FinalTranscript(2, said("kept words")));
        // the first utterance got the whole frames heard before the clear (9 x 512), the second all of its 200 ms
        assertThat(stt.samplesPerUtterance).containsExactly(9L * 512, 200L * 16);
    }

    @Test
    void transcriptsGoIntoTheConversationInTheOrderTheyWereCommitted() throws Exception {
        // the first utterance takes longer to recognise than the second
        GatedStt stt = new GatedStt(harness.stt(0, "first words", "second words"), 0);
        try (VirtualThreads pool = new VirtualThreads();
             VoiceSession s = harness.session().stt(stt).on(pool).config(PTT).open()) {
            harness.feed(s, new Script().speech(300));
            assertThat(s.commit()).isEqualTo(1);
            harness.feed(s, new Script().speech(300));
            assertThat(s.commit()).isEqualTo(2);
            assertThat(stt.finishing(1).await(CEILING_SECONDS, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(50); // not a wait for anything: a chance for the second transcript to be filed first, were that possible
            stt.release(0);

            assertThat(s.respond()).isEqualTo(3);
            awaitIdle(s);
            assertThat(s.conversation()).containsExactly(Message.user("first words"), Message.user("second words"),
                    Message.assistant("You said second words."));
        }
        assertThat(harness.asked()).containsExactly(new Asked(List.of(Message.user("first words")), "second words"));
        assertThat(harness.eventsOf(FinalTranscript.class)).extracting(FinalTranscript::turn).containsExactly(1, 2);
    }

    @Test
    void aReplyGoesIntoTheConversationBeforeWhatTheUserCommittedWhileItPlayed() throws Exception {
        ScriptedStt stt = harness.stt(0, "tell me a story", "wow");
        RecordingSink sink = new RecordingSink(true);
        try (VirtualThreads pool = new VirtualThreads();
             VoiceSession s = harness.session().stt(stt).dialog(harness.story()).sink(sink).on(pool).config(PTT).open()) {
            harness.feed(s, new Script().speech(300));
            assertThat(s.commit()).isEqualTo(1);
            assertThat(s.respond()).isEqualTo(2);
            awaitFirstWrite(sink);

            // push-to-talk has no barge-in: the user talks over the reply and commits
            harness.feed(s, new Script().speech(300));
            assertThat(s.commit()).isEqualTo(3);
            assertThat(harness.awaitEvent(e -> e instanceof FinalTranscript f && f.turn() == 3)).isTrue();
            sink.release();
            awaitIdle(s);

            assertThat(s.conversation()).containsExactly(
                    Message.user("tell me a story"), Message.assistant(STORY_TEXT), Message.user("wow"));
            // so the next reply answers the words not yet answered
            assertThat(s.respond()).isEqualTo(4);
            awaitIdle(s);
        }
        assertThat(harness.asked()).extracting(Asked::text).containsExactly("tell me a story", "wow");
        assertThat(harness.asked().getLast().history()).containsExactly(Message.user("tell me a story"), Message.assistant(STORY_TEXT));
        assertThat(sink.interrupts).isZero();
    }

    // ---------------------------------------------------------------- server VAD: commit and clear

    @Test
    void withServerVadCommitEndsTheSpeechAtOnce() {
        ScriptedStt stt = harness.stt(12, "turn it off");
        RecordingSink sink = new RecordingSink(false);
        try (VoiceSession s = harness.session().stt(stt).tts(new ToneTts(harness.clock, 40)).sink(sink).config(VAD).open()) {
            harness.feed(s, new Script().silence(300).speech(600));
            assertThat(s.state()).isEqualTo(TurnState.USER_SPEAKING);
            assertThat(s.userSpeaking()).isTrue();

            assertThat(s.commit()).isEqualTo(1);
            assertThat(s.userSpeaking()).isFalse();
            assertThat(s.state()).isEqualTo(TurnState.LISTENING);

            // the silence after the commit ends nothing more
            harness.feed(s, new Script().silence(600));
            assertThat(s.conversation()).containsExactly(Message.user("turn it off"), Message.assistant("You said turn it off."));
        }
        Waterfall w = harness.waterfallOf(1);
        assertThat(harness.events()).containsExactlyElementsOf(expect()
                .speechHeard(1, 288, "turn it off")
                .then(state(TurnState.USER_SPEAKING, TurnState.THINKING),
                        new SpeechStopped(1, 896)) // the end of the last whole frame heard
                .committedAndAnswered(1, "turn it off", "You said turn it off.", w)
                .events());
        assertThat(w.endpointMs()).isZero();
        assertThat(w.sttMs()).isEqualTo(12.0);
        assertThat(w.endToEndMs()).isEqualTo(52.0);
        // pre-roll from 300 ms before the start (288 ms, clamped to 0) to the last whole frame (896 ms)
        assertThat(stt.samplesPerUtterance).containsExactly(896L * 16);
    }

    @Test
    void withServerVadCommitDuringAPauseEndsTheSpeechWhereItStopped() {
        ScriptedStt stt = harness.stt(0, "turn it off");
        try (VoiceSession s = harness.session().stt(stt).config(VAD).open()) {
            harness.feed(s, new Script().silence(300).speech(600).silence(150)); // not yet the 300 ms the endpoint needs
            assertThat(s.state()).isEqualTo(TurnState.USER_SPEAKING);
            assertThat(s.commit()).isEqualTo(1);
        }
        assertThat(harness.eventsOf(SpeechStopped.class)).containsExactly(new SpeechStopped(1, 928));
        // the trace counts the silence already heard (frames up to 1024 ms) as the endpoint's wait
        assertThat(harness.waterfallOf(1).endpointMs()).isEqualTo(96.0);
    }

    @Test
    void withServerVadCommitWithoutSpeechThrowsAndTheSessionGoesOn() {
        ScriptedStt stt = harness.stt(0, "later words");
        try (VoiceSession s = harness.session().stt(stt).config(VAD).open()) {
            assertCommitRefused(s, NO_SPEECH);
            harness.feed(s, new Script().silence(500));
            assertCommitRefused(s, NO_SPEECH);
            // 96 ms of voice: not yet confirmed speech (160 ms)
            harness.feed(s, new Script().speech(96));
            assertCommitRefused(s, NO_SPEECH);
            assertThat(harness.events()).isEmpty();

            harness.feed(s, new Script().speech(600).silence(600));
            assertThat(s.conversation()).containsExactly(Message.user("later words"), Message.assistant("You said later words."));
        }
        assertThat(harness.eventsOf(SpeechStarted.class)).containsExactly(new SpeechStarted(1, 480));
        assertThat(harness.eventsOf(TurnCompleted.class)).extracting(TurnCompleted::turn, TurnCompleted::userText)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "later words"));
    }

    @Test
    void withServerVadClearInputDropsTheUtteranceBeingHeard() {
        ScriptedStt stt = harness.stt(0, "never mind", "keep this");
        try (VoiceSession s = harness.session().stt(stt).config(VAD).open()) {
            harness.feed(s, new Script().silence(300).speech(600));
            s.clearInput();
            assertThat(s.state()).isEqualTo(TurnState.LISTENING);
            assertThat(s.userSpeaking()).isFalse();
            assertThat(stt.open).isZero();
            // the silence that follows ends nothing, and nothing is left to commit
            harness.feed(s, new Script().silence(600));
            assertCommitRefused(s, NO_SPEECH);

            // later speech is an ordinary turn
            harness.feed(s, new Script().speech(600).silence(600));
            assertThat(s.conversation()).containsExactly(Message.user("keep this"), Message.assistant("You said keep this."));
        }
        Waterfall w = harness.waterfallOf(2);
        assertThat(harness.events()).containsExactlyElementsOf(expect()
                .speechHeard(1, 288, "never mind")
                .then(state(TurnState.USER_SPEAKING, TurnState.LISTENING))
                .speechHeard(2, 1476, "keep this")
                .then(state(TurnState.USER_SPEAKING, TurnState.THINKING),
                        new SpeechStopped(2, 2116))
                .committedAndAnswered(2, "keep this", "You said keep this.", w)
                .events());
        assertThat(harness.asked()).containsExactly(new Asked(List.of(), "keep this"));
    }

    @Test
    void clearingInputKeepsCountingTheInputPosition() {
        for (SessionConfig config : List.of(PTT, VAD)) {
            try (VoiceSession s = harness.session().config(config).open()) {
                // a client sending 20 ms messages and clearing after each: less than a frame each time
                for (int i = 0; i < 10; i++) {
                    harness.feed(s, new Script().speech(20));
                    s.clearInput();
                }
                assertThat(s.inputPositionMs()).as("%s", config.turns()).isEqualTo(200);
                s.reconfigure(config.withEndpoint(new Endpointer.Config(0.5f, 160, 500, 30_000)));
                harness.feed(s, new Script().silence(30));
                s.reconfigure(config.withEndpoint(Endpointer.Config.DEFAULT)); // drops the utterance, if any
                assertThat(s.inputPositionMs()).as("%s", config.turns()).isEqualTo(230);
            }
        }
    }

    @Test
    void withServerVadAndRepliesOnRequestTheEndpointOnlyTranscribes() {
        ScriptedStt stt = harness.stt(12, "what is the weather");
        RecordingSink sink = new RecordingSink(false);
        try (VoiceSession s = harness.session().stt(stt).tts(new ToneTts(harness.clock, 40)).sink(sink).config(VAD_REPLY_ON_REQUEST).open()) {
            harness.feed(s, new Script().silence(300).speech(600).silence(600));
            assertThat(harness.events()).containsExactlyElementsOf(expect()
                    .speechHeard(1, 288, "what is the weather")
                    .then(state(TurnState.USER_SPEAKING, TurnState.LISTENING),
                            new SpeechStopped(1, 928),
                            new InputCommitted(1),
                            new FinalTranscript(1, said("what is the weather")))
                    .events());
            assertThat(s.conversation()).containsExactly(Message.user("what is the weather"));
            assertThat(harness.asked()).isEmpty();
            assertThat(sink.played).isEmpty();
            harness.forgetEvents();

            assertThat(s.respond()).isEqualTo(2);
            assertThat(s.conversation()).containsExactly(Message.user("what is the weather"), Message.assistant("You said what is the weather."));
        }
        assertThat(harness.asked()).containsExactly(new Asked(List.of(), "what is the weather"));
        assertThat(harness.eventsOf(TurnCompleted.class)).extracting(TurnCompleted::turn, TurnCompleted::userText, TurnCompleted::replyText)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(2, "what is the weather", "You said what is the weather."));
        assertThat(sink.samplesPlayed()).isEqualTo(6 * 1600);
    }

    @Test
    void withRepliesOnRequestACommitDuringSpeechOnlyTranscribes() {
        ScriptedStt stt = harness.stt(0, "what is the weather");
        try (VoiceSession s = harness.session().stt(stt).config(VAD_REPLY_ON_REQUEST).open()) {
            harness.feed(s, new Script().silence(300).speech(600));
            assertThat(s.commit()).isEqualTo(1);
            assertThat(s.state()).isEqualTo(TurnState.LISTENING);
            assertThat(s.conversation()).containsExactly(Message.user("what is the weather"));
        }
        assertThat(harness.eventsOf(SpeechStopped.class)).containsExactly(new SpeechStopped(1, 896));
        assertThat(harness.eventsOf(TurnCompleted.class)).isEmpty();
        assertThat(harness.asked()).isEmpty();
    }

    // ---------------------------------------------------------------- what the dialog is given

    @Test
    void anAddedMessageIsAnsweredOnRequest() {
        RecordingSink sink = new RecordingSink(false);
        try (VoiceSession s = harness.session().sink(sink).config(PTT).open()) {
            s.addMessage(Message.user("typed question"));
            assertThat(harness.asked()).isEmpty();
            assertThat(s.conversation()).containsExactly(Message.user("typed question"));
            assertThat(s.respond()).isEqualTo(1);
            assertThat(s.conversation()).containsExactly(Message.user("typed question"), Message.assistant("You said typed question."));
        }
        assertThat(harness.asked()).containsExactly(new Asked(List.of(), "typed question"));
        assertThat(harness.eventsOf(TurnCompleted.class)).extracting(TurnCompleted::userText).containsExactly("typed question");
        assertThat(sink.samplesPlayed()).isEqualTo(4 * 1600);
    }

    @Test
    void respondWithoutNewUserWordsGivesTheDialogTheWholeConversation() {
        try (VoiceSession s = harness.session().config(PTT).open()) {
            s.addMessage(Message.assistant("Hello, how can I help?"));
            assertThat(s.respond()).isEqualTo(1);
            assertThat(s.conversation()).containsExactly(Message.assistant("Hello, how can I help?"), Message.assistant("You said ."));
        }
        assertThat(harness.asked()).containsExactly(new Asked(List.of(Message.assistant("Hello, how can I help?")), ""));
    }

    @Test
    void instructionsComeFirstInTheDialogsHistoryAndNeverInTheConversation() {
        try (VoiceSession s = harness.session().config(PTT).open()) {
            s.instructions("Be brief");
            respondTo(s, "one");
            respondTo(s, "two");
            s.instructions("");
            respondTo(s, "three");
            s.instructions(null);
            respondTo(s, "four");
            s.instructions("   ");
            respondTo(s, "five");
            assertThat(s.conversation()).extracting(Message::role).doesNotContain(Message.Role.SYSTEM).hasSize(10);
        }
        Message system = new Message(Message.Role.SYSTEM, "Be brief");
        List<Asked> a = harness.asked();
        assertThat(a).extracting(Asked::text).containsExactly("one", "two", "three", "four", "five");
        assertThat(a.get(0).history()).containsExactly(system);
        assertThat(a.get(1).history()).containsExactly(system, Message.user("one"), Message.assistant("You said one."));
        assertThat(a.get(2).history()).hasSize(4).extracting(Message::role).doesNotContain(Message.Role.SYSTEM);
        assertThat(a.get(3).history()).hasSize(6).extracting(Message::role).doesNotContain(Message.Role.SYSTEM);
        assertThat(a.get(4).history()).hasSize(8).extracting(Message::role).doesNotContain(Message.Role.SYSTEM);
    }

    @Test
    void instructionsSetWhileTheUserSpeaksApplyToTheAutomaticReply() {
        ScriptedStt stt = harness.stt(0, "hi");
        try (VoiceSession s = harness.session().stt(stt).config(VAD).open()) {
            harness.feed(s, new Script().silence(300).speech(600));
            s.instructions("Answer in French");
            harness.feed(s, new Script().silence(600));
        }
        assertThat(harness.asked()).containsExactly(new Asked(List.of(new Message(Message.Role.SYSTEM, "Answer in French")), "hi"));
    }

    // ---------------------------------------------------------------- cancel

    @Test
    void cancelReplyStopsAReplyThatIsPlaying() throws Exception {
        RecordingSink sink = new RecordingSink(true);
        try (VirtualThreads pool = new VirtualThreads();
             VoiceSession s = harness.session().dialog(harness.story()).sink(sink).on(pool).config(PTT).open()) {
            assertThat(s.cancelReply()).isFalse();
            assertThat(respondTo(s, "tell me a story")).isEqualTo(1);
            awaitFirstWrite(sink);
            assertThat(s.state()).isEqualTo(TurnState.SPEAKING);

            assertThat(s.cancelReply()).isTrue();

            assertThat(sink.interrupts).isPositive();
            assertThat(s.state()).isEqualTo(TurnState.LISTENING);
            awaitIdle(s);
            assertThat(s.cancelReply()).isFalse();
            // what was heard: the phrase that was playing
            assertThat(s.conversation()).containsExactly(Message.user("tell me a story"), Message.assistant(STORY_PHRASE_1));
        }
        Waterfall w = harness.waterfallOf(1);
        assertThat(harness.events()).containsExactlyElementsOf(expect()
                .replyStarted(1)
                .then(new ReplyPhrase(1, STORY_PHRASE_1),
                        state(TurnState.THINKING, TurnState.SPEAKING),
                        new ReplyAudioStarted(1, w))
                .interrupted(TurnState.SPEAKING, 1, "tell me a story", STORY_PHRASE_1, w)
                .events());
        assertThat(sink.samplesPlayed()).isEqualTo(1600); // the first word's audio, then nothing more
    }

    @Test
    void cancelReplyBeforeAnyAudioLeavesNoReplyInTheConversation() throws Exception {
        StuckDialog dialog = new StuckDialog();
        RecordingSink sink = new RecordingSink(false);
        try (VirtualThreads pool = new VirtualThreads();
             VoiceSession s = harness.session().dialog(dialog).sink(sink).on(pool).config(PTT).open()) {
            assertThat(respondTo(s, "think hard")).isEqualTo(1);
            dialog.awaitThinking();
            assertThat(s.state()).isEqualTo(TurnState.THINKING);

            assertThat(s.cancelReply()).isTrue();
            awaitIdle(s);
            assertThat(s.state()).isEqualTo(TurnState.LISTENING);
            assertThat(s.conversation()).containsExactly(Message.user("think hard"));
        }
        assertThat(dialog.closed.getCount()).isZero();
        assertThat(harness.events()).containsExactlyElementsOf(expect()
                .replyStarted(1)
                .interrupted(TurnState.THINKING, 1, "think hard", "", null)
                .events());
        assertThat(sink.played).isEmpty();
    }

    /**
     * Was a bug, fixed: with automatic replies, cancelReply() before any audio went out drops the user's
     * committed words from the conversation. Turn.finish() leaves out a cancelled turn nobody heard, because a
     * barge-in carries its words into the next utterance; cancelReply() carries nothing over, so the words are lost
     * (the next respond() does not see them), although FinalTranscript reported them and a Realtime client was told
     * the user item exists.
     */
    @Test
    void cancellingAnAutomaticReplyBeforeItsAudioKeepsTheUsersWords() throws Exception {
        StuckDialog dialog = new StuckDialog();
        ScriptedStt stt = harness.stt(0, "think hard");
        try (VirtualThreads pool = new VirtualThreads();
             VoiceSession s = harness.session().stt(stt).dialog(dialog).on(pool).config(PTT_AUTO_REPLY).open()) {
            harness.feed(s, new Script().speech(300));
            assertThat(s.commit()).isEqualTo(1);
            dialog.awaitThinking();
            assertThat(s.cancelReply()).isTrue();
            awaitIdle(s);
            assertThat(s.conversation()).containsExactly(Message.user("think hard"));
        }
    }

    @Test
    void speakingOverAReplyOnRequestKeepsWhatWasHeardAndAnswersTheNewWords() throws Exception {
        ScriptedStt stt = harness.stt(0, "stop");
        RecordingSink sink = new RecordingSink(true);
        try (VirtualThreads pool = new VirtualThreads();
             VoiceSession s = harness.session().stt(stt).dialog(harness.story()).sink(sink).on(pool).config(VAD).open()) {
            assertThat(respondTo(s, "tell me a story")).isEqualTo(1);
            awaitFirstWrite(sink);

            PcmAudio overlap = new Script().speech(400).build();
            int fed = 0;
            for (; fed < overlap.length() && sink.interrupts == 0; fed += 320) {
                harness.clock.advanceMillis(20);
                s.accept(overlap.slice(fed, fed + 320));
            }
            assertThat(sink.interrupts).isPositive();
            assertThat(fed).isLessThanOrEqualTo(100 * 16); // within 100 ms of speech
            sink.release();
            s.accept(overlap.slice(fed, overlap.length()));
            harness.feed(s, new Script().silence(600));
            awaitIdle(s);
            assertThat(s.conversation()).containsExactly(Message.user("tell me a story"), Message.assistant(STORY_PHRASE_1),
                    Message.user("stop"), Message.assistant(STORY_TEXT));
        }
        assertThat(harness.eventsOf(TurnCompleted.class)).extracting(TurnCompleted::turn, TurnCompleted::userText, TurnCompleted::replyText, TurnCompleted::interrupted)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "tell me a story", STORY_PHRASE_1, true),
                        org.assertj.core.groups.Tuple.tuple(2, "stop", STORY_TEXT, false));
        assertThat(harness.eventsOf(Interrupted.class)).containsExactly(new Interrupted(1));
        assertThat(harness.asked()).containsExactly(new Asked(List.of(), "tell me a story"),
                new Asked(List.of(Message.user("tell me a story"), Message.assistant(STORY_PHRASE_1)), "stop"));
    }

    @Test
    void aClosedSessionRefusesToRespond() {
        VoiceSession s = harness.session().config(PTT).open();
        s.addMessage(Message.user("hello"));
        s.close();
        assertThatThrownBy(s::respond).isInstanceOf(IllegalStateException.class).hasMessage("the session is closed");
        assertThat(harness.asked()).isEmpty();
        assertThat(harness.events()).isEmpty();
    }

    @Test
    void theConversationKeepsTheLatestFortyMessages() {
        try (VoiceSession s = harness.session().config(PTT).open()) {
            for (int i = 1; i <= 39; i++) s.addMessage(Message.user("note " + i));
            assertThat(s.respond()).isEqualTo(1);
            List<Message> c = s.conversation();
            assertThat(c).hasSize(40);
            assertThat(c.getFirst()).isEqualTo(Message.user("note 1"));
            assertThat(c.getLast()).isEqualTo(Message.assistant("You said note 39."));
            s.addMessage(Message.user("note 40"));
            s.addMessage(Message.user("note 41"));
            assertThat(s.conversation()).hasSize(40).startsWith(Message.user("note 3")).endsWith(Message.user("note 41"));
            // and the reply to the newest note goes last
            s.respond();
            assertThat(s.conversation()).hasSize(40).endsWith(Message.user("note 41"), Message.assistant("You said note 41."));
        }
    }

    // ---------------------------------------------------------------- truncate

    @Test
    void truncateReplyKeepsOnlyWhatWasHeard() {
        try (VoiceSession s = harness.session().stt(harness.stt(0, "hello there")).config(PTT_AUTO_REPLY).open()) {
            harness.feed(s, new Script().speech(300));
            assertThat(s.commit()).isEqualTo(1);
            assertThat(s.conversation()).containsExactly(Message.user("hello there"), Message.assistant("You said hello there."));

            assertThat(s.truncateReply(1, "You said")).isTrue();
            assertThat(s.conversation()).containsExactly(Message.user("hello there"), Message.assistant("You said"));
            assertThat(s.truncateReply(2, "nothing")).isFalse();
            assertThat(s.truncateReply(0, "nothing")).isFalse();
            assertThat(s.conversation()).containsExactly(Message.user("hello there"), Message.assistant("You said"));

            assertThat(s.truncateReply(1, " ")).isTrue(); // blank: the user heard nothing of it
            assertThat(s.conversation()).containsExactly(Message.user("hello there"));
            assertThat(s.truncateReply(1, "You")).isFalse(); // nothing left to truncate
        }
        // what was spoken is still reported as spoken
        assertThat(harness.eventsOf(TurnCompleted.class)).extracting(TurnCompleted::replyText).containsExactly("You said hello there.");
    }

    @Test
    void truncateReplyLeavesOtherRepliesAlone() {
        try (VoiceSession s = harness.session().config(PTT).open()) {
            int first = respondTo(s, "one");
            int second = respondTo(s, "two");
            assertThat(s.truncateReply(first, "You")).isTrue();
            assertThat(s.conversation()).containsExactly(Message.user("one"), Message.assistant("You"),
                    Message.user("two"), Message.assistant("You said two."));
            assertThat(s.truncateReply(second, "")).isTrue();
            assertThat(s.conversation()).containsExactly(Message.user("one"), Message.assistant("You"), Message.user("two"));
            // the user's own message is not a reply
            harness.feed(s, new Script().speech(200));
            int userTurn = s.commit();
            assertThat(s.truncateReply(userTurn, "x")).isFalse();
        }
    }

    @Test
    void truncatingTheReplyStillPlayingAppliesWhenItFinishes() throws Exception {
        RecordingSink sink = new RecordingSink(true);
        try (VirtualThreads pool = new VirtualThreads();
             VoiceSession s = harness.session().dialog(harness.story()).sink(sink).on(pool).config(PTT).open()) {
            int turn = respondTo(s, "tell me a story");
            awaitFirstWrite(sink);

            assertThat(s.truncateReply(turn, "Once upon a time")).isTrue();
            assertThat(s.conversation()).containsExactly(Message.user("tell me a story"));

            sink.release();
            awaitIdle(s);
            assertThat(s.conversation()).containsExactly(Message.user("tell me a story"), Message.assistant("Once upon a time"));
        }
        assertThat(harness.eventsOf(TurnCompleted.class)).singleElement().satisfies(t -> {
            assertThat(t.replyText()).isEqualTo(STORY_TEXT);
            assertThat(t.interrupted()).isFalse();
        });
    }

    @Test
    void truncatingTheReplyStillPlayingToNothingLeavesNoReply() throws Exception {
        RecordingSink sink = new RecordingSink(true);
        try (VirtualThreads pool = new VirtualThreads();
             VoiceSession s = harness.session().stt(harness.stt(0, "tell me a story")).dialog(harness.story()).sink(sink).on(pool).config(PTT_AUTO_REPLY).open()) {
            harness.feed(s, new Script().speech(300));
            int turn = s.commit();
            awaitFirstWrite(sink);
            assertThat(s.truncateReply(turn, "")).isTrue();
            sink.release();
            awaitIdle(s);
            // the user's words stay; the reply they did not hear goes
            assertThat(s.conversation()).containsExactly(Message.user("tell me a story"));
        }
    }

    // ---------------------------------------------------------------- barge-in switched off

    /**
     * In a session without barge-in, the user asks for a story by voice; while its first word is held playing in
     * {@code sink} (which blocks), {@code andThen} goes on with the session (and the user's next words, "wow").
     */
    private void overAStoryPlayingWithoutBargeIn(RecordingSink sink, ThrowingConsumer<VoiceSession> andThen) throws Throwable {
        try (VirtualThreads pool = new VirtualThreads();
             VoiceSession s = harness.session().stt(harness.stt(0, "tell me a story", "wow")).dialog(harness.story()).sink(sink)
                     .on(pool).config(VAD_NO_BARGE_IN).open()) {
            harness.feed(s, new Script().silence(300).speech(600).silence(400));
            awaitFirstWrite(sink);
            andThen.accept(s);
        }
    }

    @Test
    void withoutBargeInSpeechOverAPlayingReplyDoesNotStopIt() throws Throwable {
        RecordingSink sink = new RecordingSink(true);
        overAStoryPlayingWithoutBargeIn(sink, s -> {
            harness.feed(s, new Script().speech(400)); // four times the barge-in time
            assertThat(s.userSpeaking()).isTrue();
            assertThat(sink.interrupts).isZero();
            assertThat(harness.eventsOf(Interrupted.class)).isEmpty();

            sink.release();
            assertThat(harness.awaitEvent(e -> e instanceof TurnCompleted)).isTrue();
        });
        assertThat(harness.eventsOf(TurnCompleted.class)).singleElement().satisfies(t -> {
            assertThat(t.turn()).isEqualTo(1);
            assertThat(t.replyText()).isEqualTo(STORY_TEXT);
            assertThat(t.interrupted()).isFalse();
        });
        assertThat(harness.eventsOf(SpeechStarted.class)).extracting(SpeechStarted::turn).containsExactly(1, 2);
        assertThat(sink.interrupts).isZero();
        assertThat(sink.samplesPlayed()).isEqualTo(15 * 1600); // every word of the story
    }

    @Test
    void pushToTalkAudioOverAPlayingReplyDoesNotStopIt() throws Exception {
        RecordingSink sink = new RecordingSink(true);
        try (VirtualThreads pool = new VirtualThreads();
             VoiceSession s = harness.session().stt(harness.stt(0, "uh huh")).dialog(harness.story()).sink(sink).on(pool).config(PTT).open()) {
            respondTo(s, "tell me a story");
            awaitFirstWrite(sink);
            harness.feed(s, new Script().speech(600));
            assertThat(sink.interrupts).isZero();
            sink.release();
            awaitIdle(s);
        }
        assertThat(harness.eventsOf(TurnCompleted.class)).singleElement().satisfies(t -> assertThat(t.interrupted()).isFalse());
        assertThat(harness.eventsOf(Interrupted.class)).isEmpty();
    }

    /**
     * Was a bug, fixed: with automatic replies and no barge-in (interrupt=false), a user turn that ends while
     * a reply is still playing starts a second reply beside the first: endTurn() overwrites {@code current} without
     * stopping or waiting for it. Both players write to the sink at once, the first reply can no longer be cancelled
     * (cancelReply() and awaitIdle() only see the second), and its end does not move the state back to LISTENING.
     * The same happens in push-to-talk with automatic replies when commit() comes during a reply.
     */
    @Test
    void withoutBargeInATurnEndingDuringAReplyDoesNotPlayOverIt() throws Throwable {
        RecordingSink sink = new RecordingSink(true);
        overAStoryPlayingWithoutBargeIn(sink, s -> {
            harness.feed(s, new Script().speech(400).silence(600)); // a whole turn over the reply
            // whatever the session does with the new turn, the reply playing is still the one cancelReply stops
            assertThat(s.cancelReply()).isTrue();
            assertThat(harness.eventsOf(Interrupted.class)).containsExactly(new Interrupted(1));
            sink.release();
            awaitIdle(s);
        });
        assertThat(harness.eventsOf(TurnCompleted.class)).extracting(TurnCompleted::turn).doesNotHaveDuplicates();
    }

    // ---------------------------------------------------------------- carried-over words and replies on request

    /**
     * Asks (with respond()) for a reply to "tell me a story" that the stuck dialog goes on thinking about, in a
     * session with {@code config}; while it thinks, the user says "stop" and a pause long enough to end the turn;
     * then {@code andThen} goes on with the session. Returns the dialog.
     */
    private StuckDialog stopWhileAStoryIsThoughtOf(SessionConfig config, ThrowingConsumer<VoiceSession> andThen) throws Throwable {
        StuckDialog dialog = new StuckDialog();
        try (VirtualThreads pool = new VirtualThreads();
             VoiceSession s = harness.session().stt(harness.stt(0, "stop")).dialog(dialog).on(pool).config(config).open()) {
            assertThat(respondTo(s, "tell me a story")).isEqualTo(1);
            dialog.awaitThinking();
            harness.feed(s, new Script().silence(300).speech(600).silence(600));
            andThen.accept(s);
        }
        return dialog;
    }

    @Test
    void speechBeforeTheAudioOfAReplyOnRequestIsANewUtteranceAndDoesNotHang() throws Throwable {
        // the user speaks while the reply is still being thought of: barge-in stops it
        StuckDialog dialog = stopWhileAStoryIsThoughtOf(VAD_REPLY_ON_REQUEST, s -> {
            assertThat(harness.awaitEvent(e -> e instanceof FinalTranscript)).as("the utterance is transcribed").isTrue();
            assertThat(harness.eventsOf(FinalTranscript.class)).containsExactly(new FinalTranscript(2, said("stop")));
            assertThat(s.conversation()).containsExactly(Message.user("tell me a story"), Message.user("stop"));

            assertThat(s.respond()).isEqualTo(3);
            awaitIdle(s);
        });
        assertThat(harness.eventsOf(Interrupted.class)).containsExactly(new Interrupted(1));
        assertThat(dialog.asked).containsExactly(new Asked(List.of(), "tell me a story"),
                new Asked(List.of(Message.user("tell me a story")), "stop"));
    }

    @Test
    void speechBeforeTheAudioOfAReplyOnRequestGetsItsOwnAutomaticReply() throws Throwable {
        StuckDialog dialog = stopWhileAStoryIsThoughtOf(VAD, s -> {
            assertThat(s.awaitIdle(CEILING_SECONDS, TimeUnit.SECONDS)).as("the reply to the new utterance ends").isTrue();
            assertThat(s.conversation()).containsExactly(Message.user("tell me a story"),
                    Message.user("stop"), Message.assistant("You said stop."));
        });
        assertThat(harness.eventsOf(TurnCompleted.class)).extracting(TurnCompleted::turn, TurnCompleted::userText, TurnCompleted::interrupted)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "tell me a story", true),
                        org.assertj.core.groups.Tuple.tuple(2, "stop", false));
        assertThat(dialog.asked).last().isEqualTo(new Asked(List.of(Message.user("tell me a story")), "stop"));
    }

    /**
     * The user says "tell me a story", which the stuck dialog goes on thinking about, and after {@code pauseMs} of
     * silence (before any audio of the reply) {@code moreWords}; waits until the session is idle. Returns the dialog.
     */
    private StuckDialog speakAgainBeforeTheReplyIsHeard(int pauseMs, String moreWords) throws Exception {
        StuckDialog dialog = new StuckDialog();
        try (VirtualThreads pool = new VirtualThreads();
             VoiceSession s = harness.session().stt(harness.stt(0, "tell me a story", moreWords)).dialog(dialog).on(pool)
                     .config(VAD).open()) {
            harness.feed(s, new Script().silence(300).speech(600).silence(pauseMs));
            dialog.awaitThinking();
            harness.feed(s, new Script().speech(600).silence(600));
            awaitIdle(s);
        }
        return dialog;
    }

    @Test
    void wordsWithinTheLongestPauseOfATurnWhoseReplyIsUnheardContinueIt() throws Exception {
        // 900 ms after the end of the first words, within max-pause-ms (1500), before any audio of the reply
        StuckDialog dialog = speakAgainBeforeTheReplyIsHeard(900, "about a dragon");
        assertThat(harness.eventsOf(SessionEvent.Merged.class)).containsExactly(new SessionEvent.Merged(1));
        assertThat(dialog.asked).extracting(Asked::text).containsExactly("tell me a story", "tell me a story about a dragon");
    }

    @Test
    void wordsLongAfterATurnWhoseReplyIsUnheardAreANewTurnThatStopsIt() throws Exception {
        // the reply is slow (a cold engine, a stalled provider): the user says something else 2.5 s later
        StuckDialog dialog = speakAgainBeforeTheReplyIsHeard(2500, "go forward");
        assertThat(harness.eventsOf(SessionEvent.Merged.class)).isEmpty();
        assertThat(harness.eventsOf(Interrupted.class)).containsExactly(new Interrupted(1));
        assertThat(dialog.asked).extracting(Asked::text).containsExactly("tell me a story", "go forward");
    }

    // ---------------------------------------------------------------- ReplyAudioStarted

    @Test
    void replyAudioStartedComesOncePerReplyBeforeItsFirstAudioWithTheTurnsWaterfall() {
        ScriptedStt stt = harness.stt(12, "first question", "second question");
        try (VoiceSession s = harness.session().stt(stt).dialog(harness.story()).tts(new ToneTts(harness.clock, 40)).sink(new TimelineSink()).config(PTT_AUTO_REPLY).open()) {
            harness.feed(s, new Script().speech(300));
            s.commit();
            harness.feed(s, new Script().speech(300));
            s.commit();
            respondTo(s, "typed");
        }
        List<Object> all = harness.timeline();
        List<ReplyAudioStarted> started = harness.eventsOf(ReplyAudioStarted.class);
        assertThat(started).extracting(ReplyAudioStarted::turn).containsExactly(1, 2, 3);
        for (ReplyAudioStarted r : started) {
            int at = all.indexOf(r);
            // right before the first audio of the reply, after its first phrase
            assertThat(all.get(at + 1)).as("turn %d", r.turn()).isInstanceOf(Written.class);
            assertThat(all.subList(0, at)).filteredOn(ReplyPhrase.class::isInstance).map(ReplyPhrase.class::cast)
                    .extracting(ReplyPhrase::turn).contains(r.turn());
            long writesOfEarlierTurns = all.subList(0, at).stream().filter(Written.class::isInstance).count();
            assertThat(writesOfEarlierTurns).isEqualTo((r.turn() - 1) * 15L);
            assertThat(r.waterfall()).isNotNull().isEqualTo(harness.waterfallOf(r.turn()));
        }
        assertThat(started.get(0).waterfall().sttMs()).isEqualTo(12.0);
        assertThat(started.get(0).waterfall().ttsMs()).isEqualTo(40.0);
        // on one thread the player starts once all three phrases are synthesised: 40 ms of TTS, then 80 ms more
        assertThat(started.get(2).waterfall().ttsMs()).isEqualTo(40.0);
        assertThat(started.get(2).waterfall().outMs()).isEqualTo(80.0);
        assertThat(started.get(2).waterfall().endToEndMs()).isEqualTo(120.0);
    }

    @Test
    void aReplyStoppedBeforeItsAudioReportsNoReplyAudioStarted() throws Exception {
        StuckDialog dialog = new StuckDialog();
        try (VirtualThreads pool = new VirtualThreads();
             VoiceSession s = harness.session().dialog(dialog).on(pool).config(PTT).open()) {
            respondTo(s, "think hard");
            dialog.awaitThinking();
            s.cancelReply();
            awaitIdle(s);
        }
        assertThat(harness.eventsOf(ReplyAudioStarted.class)).isEmpty();
    }

    // ---------------------------------------------------------------- reconfigure

    @Test
    void aLongerEndpointSilenceAppliesFromTheNextUtterance() {
        ScriptedStt stt = harness.stt(0, "one", "two");
        try (VoiceSession s = harness.session().stt(stt).config(VAD).open()) {
            harness.feed(s, new Script().silence(300).speech(600).silence(600));
            assertThat(harness.eventsOf(TurnCompleted.class)).hasSize(1);

            s.reconfigure(VAD.withEndpoint(new Endpointer.Config(0.5f, 160, 600, 30_000)));
            assertThat(s.config().endpoint().endSilenceMs()).isEqualTo(600);
            // speech from 1500 to 2100 ms, then 400 ms of silence: the old endpoint would have ended it
            harness.feed(s, new Script().speech(600).silence(400));
            assertThat(harness.eventsOf(SpeechStopped.class)).hasSize(1);
            assertThat(s.state()).isEqualTo(TurnState.USER_SPEAKING);
            harness.feed(s, new Script().silence(300));
            assertThat(harness.eventsOf(SpeechStopped.class)).containsExactly(new SpeechStopped(1, 928), new SpeechStopped(2, 2108));
        }
        assertThat(harness.waterfallOf(1).endpointMs()).isEqualTo(320.0);
        assertThat(harness.waterfallOf(2).endpointMs()).isEqualTo(608.0);
        assertThat(harness.eventsOf(TurnCompleted.class)).extracting(TurnCompleted::userText).containsExactly("one", "two");
    }

    @Test
    void switchingFromServerVadToPushToTalkMidSpeechDropsTheUtterance() {
        ScriptedStt stt = harness.stt(0, "dropped", "push to talk words");
        try (VoiceSession s = harness.session().stt(stt).config(VAD).open()) {
            harness.feed(s, new Script().silence(300).speech(400));
            assertThat(s.state()).isEqualTo(TurnState.USER_SPEAKING);

            s.reconfigure(PTT);
            assertThat(s.state()).isEqualTo(TurnState.LISTENING);
            assertThat(s.userSpeaking()).isFalse();
            assertThat(stt.open).isZero();
            assertCommitRefused(s, tooShort(0));

            harness.feed(s, new Script().speech(300).silence(300));
            assertThat(harness.eventsOf(SpeechStarted.class)).hasSize(1); // no VAD any more
            assertThat(s.commit()).isEqualTo(2);
            assertThat(s.conversation()).containsExactly(Message.user("push to talk words"));
        }
        assertThat(harness.eventsOf(SpeechStopped.class)).isEmpty();
        assertThat(harness.eventsOf(FinalTranscript.class)).containsExactly(new FinalTranscript(2, said("push to talk words")));
        assertThat(stt.samplesPerUtterance.getLast()).isEqualTo(600L * 16);
    }

    @Test
    void switchingFromPushToTalkToServerVadDropsTheUncommittedAudio() {
        ScriptedStt stt = harness.stt(0, "dropped", "spoken");
        try (VoiceSession s = harness.session().stt(stt).config(PTT).open()) {
            harness.feed(s, new Script().speech(300));
            s.reconfigure(VAD);
            assertThat(stt.open).isZero();
            assertCommitRefused(s, NO_SPEECH);
            harness.feed(s, new Script().silence(300).speech(600).silence(600));
            assertThat(s.conversation()).containsExactly(Message.user("spoken"), Message.assistant("You said spoken."));
        }
        assertThat(harness.eventsOf(SpeechStarted.class)).containsExactly(new SpeechStarted(2, 588));
        assertThat(harness.eventsOf(FinalTranscript.class)).extracting(FinalTranscript::turn).containsExactly(2);
    }

    @Test
    void reconfiguringOnlyTheRepliesKeepsTheUtteranceBeingHeard() {
        ScriptedStt stt = harness.stt(0, "keep going");
        try (VoiceSession s = harness.session().stt(stt).config(VAD).open()) {
            harness.feed(s, new Script().silence(300).speech(400));
            s.reconfigure(VAD_REPLY_ON_REQUEST);
            harness.feed(s, new Script().speech(200).silence(600));
            assertThat(s.conversation()).containsExactly(Message.user("keep going"));
        }
        assertThat(harness.eventsOf(SpeechStarted.class)).hasSize(1);
        assertThat(harness.eventsOf(SpeechStopped.class)).containsExactly(new SpeechStopped(1, 928));
        assertThat(harness.asked()).isEmpty();
    }

    @Test
    void raisingThePreRollKeepsTheInputPositions() {
        ScriptedStt stt = harness.stt(0, "hello");
        try (VoiceSession s = harness.session().stt(stt).config(VAD).open()) {
            harness.feed(s, new Script().silence(1000));
            assertThat(s.inputPositionMs()).isEqualTo(992); // 31 whole frames
            s.reconfigure(VAD.withPreRollMs(SessionConfig.MAX_PRE_ROLL_MS));
            assertThat(s.config().preRollMs()).isEqualTo(SessionConfig.MAX_PRE_ROLL_MS);
            assertThat(s.inputPositionMs()).isEqualTo(992);
            harness.feed(s, new Script().speech(600).silence(600));
            assertThat(s.inputPositionMs()).isEqualTo(2176);
            // a later utterance, with all of the pre-roll held
            harness.feed(s, new Script().silence(5000).speech(600).silence(600));
            assertThat(s.inputPositionMs()).isEqualTo(8384);
        }
        assertThat(harness.eventsOf(SpeechStarted.class)).containsExactly(new SpeechStarted(1, 992), new SpeechStarted(2, 7200));
        assertThat(harness.eventsOf(SpeechStopped.class)).containsExactly(new SpeechStopped(1, 1600), new SpeechStopped(2, 7808));
        // the second utterance gets its whole 5 s pre-roll: from 2200 ms to the frame that ended the turn (8128 ms)
        assertThat(stt.samplesPerUtterance.get(1)).isEqualTo((8128L - 2200) * 16);
        assertThatThrownBy(() -> VAD.withPreRollMs(SessionConfig.MAX_PRE_ROLL_MS + 1)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Right after the pre-roll is raised, the next utterance's pre-roll holds only audio that was heard (before
     * SampleHistory.resized was fixed on main, STT got made-up zeros from 0 ms here).
     */
    @Test
    void raisingThePreRollGivesSttOnlyAudioThatWasHeard() {
        ScriptedStt stt = harness.stt(0, "hello");
        try (VoiceSession s = harness.session().stt(stt).config(VAD).open()) {
            harness.feed(s, new Script().silence(1000));
            s.reconfigure(VAD.withPreRollMs(SessionConfig.MAX_PRE_ROLL_MS));
            harness.feed(s, new Script().speech(600).silence(600));
        }
        // held at the reconfigure: 9984 samples (560 ms + 2 frames) before 992 ms, so from 368 ms; the turn ends at 1920 ms
        assertThat(stt.samplesPerUtterance).containsExactly((1920L - 368) * 16);
    }

    // ---------------------------------------------------------------- random clients

    /**
     * A client doing anything in any order, push-to-talk, with replies on virtual threads: appends, commits, clears,
     * responds and cancels. Only the documented IllegalStateExceptions may come out, and what is reported and kept
     * must add up.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 7, 42, 1234, 9001, 31337, 271828, 314159})
    void randomClientsKeepTheSessionConsistent(long seed) throws Exception {
        Random random = new Random(seed);
        String[] texts = new String[1000];
        for (int i = 0; i < texts.length; i++) texts[i] = "words" + (i + 1);
        ScriptedStt stt = harness.stt(0, texts);
        Dialog slowEcho = (history, turn) -> {
            String text = turn.text();
            harness.ask(history, text);
            TextStream pieces = TextStream.of("You said ", text, ".");
            return new TextStream() {
                @Override
                public String next() throws DialogException {
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        throw new DialogException("interrupted");
                    }
                    return pieces.next();
                }

                @Override
                public void close() {
                    pieces.close();
                }
            };
        };
        PacedSink sink = new PacedSink();
        List<Integer> committed = new ArrayList<>();
        List<Integer> replies = new ArrayList<>();
        int cancelled = 0;
        try (VirtualThreads pool = new VirtualThreads();
             VoiceSession s = harness.session().stt(stt).dialog(slowEcho).sink(sink).on(pool).config(PTT).open()) {
            for (int op = 0; op < 250; op++) {
                switch (random.nextInt(10)) {
                    case 0, 1, 2, 3 -> harness.feed(s, new Script().speech(10 * (1 + random.nextInt(25))));
                    case 4, 5 -> {
                        try {
                            committed.add(s.commit());
                        } catch (IllegalStateException e) {
                            assertThat(e).hasMessageStartingWith(EMPTY_BUFFER + "a commit needs at least 100 ms of audio, it has ");
                        }
                    }
                    case 6 -> s.clearInput();
                    case 7, 8 -> {
                        try {
                            replies.add(s.respond());
                        } catch (IllegalStateException e) {
                            assertThat(e).hasMessage("a reply is already in progress");
                        }
                    }
                    default -> {
                        if (s.cancelReply()) cancelled++;
                    }
                }
                if (random.nextInt(3) == 0) Thread.sleep(random.nextInt(4));
            }
            awaitIdle(s);
            int commits = committed.size();
            assertThat(harness.awaitCondition(() -> harness.eventsOf(FinalTranscript.class).size() == commits)).isTrue();
            assertThat(s.state()).isEqualTo(TurnState.LISTENING);
            checkRandomRun(s.conversation(), committed, replies, cancelled);
        }
        assertThat(harness.eventsOf(SessionEvent.Error.class)).isEmpty();
    }

    private void checkRandomRun(List<Message> conversation, List<Integer> committed, List<Integer> replies, int cancelled) {
        // what each push-to-talk turn said: its partial (the scripted text) names it
        Map<Integer, String> textOf = new HashMap<>();
        for (PartialTranscript p : harness.eventsOf(PartialTranscript.class)) {
            assertThat(textOf.putIfAbsent(p.turn(), p.text())).as("one partial per turn").isNull();
        }
        assertThat(harness.eventsOf(SpeechStarted.class)).isEmpty();
        assertThat(harness.eventsOf(SpeechStopped.class)).isEmpty();

        // every commit was announced and transcribed once, under its turn number, in commit order
        assertThat(harness.eventsOf(InputCommitted.class)).extracting(InputCommitted::turn).containsExactlyElementsOf(committed);
        assertThat(harness.eventsOf(FinalTranscript.class)).extracting(FinalTranscript::turn).containsExactlyElementsOf(committed);
        List<SessionEvent> all = harness.events();
        for (int turn : committed) {
            assertThat(all.indexOf(new InputCommitted(turn))).as("turn %d", turn)
                    .isLessThan(all.indexOf(harness.eventsOf(FinalTranscript.class).stream().filter(f -> f.turn() == turn).findFirst().orElseThrow()));
        }
        for (FinalTranscript f : harness.eventsOf(FinalTranscript.class)) assertThat(f.transcript().text()).isEqualTo(textOf.get(f.turn()));
        Set<Integer> numbers = new LinkedHashSet<>(committed);
        numbers.addAll(replies);
        assertThat(numbers).as("turn numbers are never reused").hasSize(committed.size() + replies.size());

        // every reply started was announced and completed exactly once; interrupted ones were reported as such
        assertThat(harness.eventsOf(ReplyStarted.class)).extracting(ReplyStarted::turn).containsExactlyElementsOf(replies);
        List<TurnCompleted> completed = harness.eventsOf(TurnCompleted.class);
        assertThat(completed).extracting(TurnCompleted::turn).containsExactlyElementsOf(replies);
        List<Integer> interrupted = harness.eventsOf(Interrupted.class).stream().map(Interrupted::turn).toList();
        assertThat(interrupted).hasSize(cancelled).doesNotHaveDuplicates();
        for (TurnCompleted t : completed) {
            assertThat(t.interrupted()).as("turn %d", t.turn()).isEqualTo(interrupted.contains(t.turn()));
            if (!t.interrupted()) assertThat(t.replyText()).isEqualTo("You said " + t.userText() + ".");
        }
        // ReplyAudioStarted once for each reply whose audio went out, with the waterfall it completes with
        List<ReplyAudioStarted> audio = harness.eventsOf(ReplyAudioStarted.class);
        assertThat(audio).extracting(ReplyAudioStarted::turn).doesNotHaveDuplicates().isSubsetOf(replies);
        for (TurnCompleted t : completed) {
            List<Waterfall> started = audio.stream().filter(a -> a.turn() == t.turn()).map(ReplyAudioStarted::waterfall).toList();
            if (t.waterfall() == null) assertThat(started).as("turn %d", t.turn()).isEmpty();
            else assertThat(started).as("turn %d", t.turn()).containsExactly(t.waterfall());
        }

        // the conversation (its last 40 messages at most): the user's words in commit order, each reply right
        // after the words it answered
        assertThat(conversation.size()).isLessThanOrEqualTo(40);
        List<String> userTexts = conversation.stream().filter(m -> m.role() == Message.Role.USER).map(Message::text).toList();
        List<String> committedTexts = committed.stream().map(textOf::get).toList();
        assertThat(committedTexts).endsWith(userTexts.toArray(String[]::new));
        for (int i = 0; i < conversation.size(); i++) {
            Message m = conversation.get(i);
            if (m.role() != Message.Role.ASSISTANT || i == 0) continue;
            Message before = conversation.get(i - 1);
            String answered = before.role() == Message.Role.USER ? before.text() : "";
            assertThat(m.text()).as("message %d of %s", i, conversation).isEqualTo("You said " + answered + ".");
        }
        // and the dialog was asked about exactly the words the replies report
        List<String> askedTexts = harness.asked().stream().map(Asked::text).toList();
        assertThat(completed.stream().filter(t -> !t.replyText().isEmpty()).map(TurnCompleted::userText).toList())
                .isSubsetOf(askedTexts);
    }

    // ---------------------------------------------------------------- test engines

    /**
     * Runs reply tasks on virtual threads; closing waits for them up to the Patience ceiling and then fails, so a session that hangs a
     * task fails its test instead of blocking it.
     */
    private static final class VirtualThreads implements Executor, AutoCloseable {
        private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();

        @Override
        public void execute(Runnable task) {
            pool.execute(task);
        }

        @Override
        public void close() throws InterruptedException {
            pool.shutdown();
            if (!pool.awaitTermination(CEILING_SECONDS, TimeUnit.SECONDS)) {
                pool.shutdownNow();
                throw new AssertionError("the session's tasks were still running " + CEILING_SECONDS + " s after the test");
            }
        }
    }

    /** A recogniser whose gated utterances (by opening order, from 0) finish only once released. */
    private static final class GatedStt implements SpeechRecognizer {
        private final ScriptedStt inner;
        private final Map<Integer, CountDownLatch> gates = new ConcurrentHashMap<>();
        private final Map<Integer, CountDownLatch> finishing = new ConcurrentHashMap<>();
        private int opened;

        GatedStt(ScriptedStt inner, int... gated) {
            this.inner = inner;
            for (int g : gated) gates.put(g, new CountDownLatch(1));
        }

        /** Counts down when utterance {@code n} starts finishing. */
        CountDownLatch finishing(int n) {
            return finishing.computeIfAbsent(n, k -> new CountDownLatch(1));
        }

        void release(int n) {
            gates.get(n).countDown();
        }

        @Override
        public RecognitionStream open(ProviderEvents events) {
            int n = opened++;
            RecognitionStream s = inner.open();
            CountDownLatch gate = gates.get(n);
            return new RecognitionStream() {
                @Override
                public String accept(short[] pcm, int offset, int length) {
                    return s.accept(pcm, offset, length);
                }

                @Override
                public Transcript finish() {
                    finishing(n).countDown();
                    try {
                        if (gate != null && !gate.await(CEILING_SECONDS, TimeUnit.SECONDS)) throw new IllegalStateException("never released");
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return s.finish();
                }

                @Override
                public void close() {
                    s.close();
                }
            };
        }
    }

    /** A dialog still thinking about "tell me a story" / "think hard" until the reply is cancelled; echoes the rest. */
    private static final class StuckDialog implements Dialog {
        final CountDownLatch thinking = new CountDownLatch(1);
        final CountDownLatch closed = new CountDownLatch(1);
        final List<Asked> asked = java.util.Collections.synchronizedList(new ArrayList<>());

        /** Waits, up to the ceiling, until the dialog is thinking about its story; fails the test if it never does. */
        void awaitThinking() throws InterruptedException {
            assertThat(thinking.await(CEILING_SECONDS, TimeUnit.SECONDS)).isTrue();
        }

        @Override
        public TextStream respond(List<Message> history, dev.parley.stt.Transcript userTurn) {
            String userText = userTurn.text();
            asked.add(new Asked(List.copyOf(history), userText));
            if (!userText.equals("tell me a story") && !userText.equals("think hard")) return TextStream.of("You said ", userText, ".");
            thinking.countDown();
            return new TextStream() {
                @Override
                public String next() throws DialogException {
                    try {
                        if (!closed.await(CEILING_SECONDS, TimeUnit.SECONDS)) throw new DialogException("never cancelled");
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
        }
    }

    /** Puts a {@link Written} in the timeline for every chunk, so it is ordered with the events. */
    private final class TimelineSink implements AudioSink {
        @Override
        public int sampleRate() {
            return 16_000;
        }

        @Override
        public void write(PcmAudio chunk) {
            harness.record(new Written(chunk.length()));
        }

        @Override
        public void interrupt() {
        }

        @Override
        public void drain() {
        }
    }

    /** Takes a millisecond or two of real time per chunk, like a device keeping pace; returns at once when interrupted. */
    private static final class PacedSink implements AudioSink {
        private volatile int interrupts;

        @Override
        public int sampleRate() {
            return 16_000;
        }

        @Override
        public synchronized void write(PcmAudio chunk) throws InterruptedException {
            int before = interrupts;
            long until = System.nanoTime() + 1_500_000;
            while (interrupts == before && System.nanoTime() < until) wait(1);
        }

        @Override
        public synchronized void interrupt() {
            interrupts++;
            notifyAll();
        }

        @Override
        public void drain() {
        }
    }
}

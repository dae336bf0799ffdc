package dev.parley.reply;

import dev.parley.audio.AudioSink;
import dev.parley.audio.PcmAudio;
import dev.parley.dialog.Conversation;
import dev.parley.dialog.Dialog;
import dev.parley.dialog.DialogException;
import dev.parley.dialog.Message;
import dev.parley.dialog.TextStream;
import dev.parley.latency.LatencyTrace;
import dev.parley.latency.Waterfall;
import dev.parley.failover.Failover;
import dev.parley.failover.ProviderEvents;
import dev.parley.failover.ProviderTiming;
import dev.parley.stt.RecognitionStream;
import dev.parley.stt.SpeechRecognizer;
import dev.parley.stt.Transcript;
import dev.parley.stt.Utterance;
import dev.parley.testing.Fakes.FakeClock;
import dev.parley.testing.Fakes.RecordingSink;
import dev.parley.testing.Fakes.ScriptedStt;
import dev.parley.testing.Fakes.ToneTts;
import dev.parley.tts.SentenceChunker;
import dev.parley.tts.SpeechSynthesizer;
import dev.parley.tts.TtsException;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * One reply driven on the test's thread: its two tasks (produce, then play) are queued and run by hand, as an
 * EmbeddedChannel runs its pending tasks, so the test can act between them.
 */
class ReplyTest {
    private static final String ANSWER_1 = "It is ten o'clock.";
    private static final String ANSWER_2 = "Anything else?";

    private final FakeClock clock = new FakeClock();
    private final Conversation conversation = new Conversation();
    private final List<String> calls = new ArrayList<>();
    private final Deque<Runnable> tasks = new ArrayDeque<>();
    private final Executor queued = tasks::add;
    private final List<List<Message>> histories = new ArrayList<>();
    private final List<Transcript> turns = new ArrayList<>();
    private final ToneTts tts = new ToneTts(clock, 30);
    private final RecordingSink sink = new RecordingSink(false);
    private final ReplyVoice voice = new ReplyVoice();
    private String spoken;
    private String kept;

    private Dialog dialog = (history, turn) -> {
        histories.add(history);
        turns.add(turn);
        return TextStream.of("It is ", "ten o'clock. ", "Anything else?");
    };

    /** Records every call, in order. */
    private final Reply.Host host = new Reply.Host() {
        // @formatter:off
        @Override public void recognised(Reply r, Utterance u, Transcript said) { calls.add("recognised " + said.text()); }
        @Override public void awaitInput() { calls.add("awaitInput"); }
        @Override public List<Message> prompt(List<Message> messages) { return messages; }
        @Override public Conversation conversation() { return conversation; }
        @Override public void producing(Reply r) { calls.add("producing"); }
        @Override public void phrase(Reply r, String text) { calls.add("phrase " + text); }
        @Override public void audioStarted(Reply r) { calls.add("audioStarted"); }
        @Override public void error(Reply r, String stage, String message) { calls.add("error " + stage + ": " + message); }
        @Override public void failedOver(Reply r, Failover f) { calls.add("failedOver " + f.stage()); }
        @Override public void played(Reply r) { calls.add("played"); }
        @Override public void missed(Reply r, Transcript said) { calls.add("missed " + said.text()); }
        // @formatter:on

        @Override
        public void finished(Reply reply, String s, String k) {
            calls.add("finished");
            spoken = s;
            kept = k;
        }
    };

    private Reply.Setup setup(SpeechSynthesizer synth, AudioSink out) {
        return new Reply.Setup(dialog, synth, out, voice, SentenceChunker.Config.DEFAULT);
    }

    private Reply.Setup setup() {
        return setup(tts, sink);
    }

    private Utterance heard(String text) {
        return new Utterance(1, new ScriptedStt(clock, 12, text), null);
    }

    private LatencyTrace trace() {
        return new LatencyTrace(clock::nanoTime);
    }

    private void runTasks() {
        while (!tasks.isEmpty()) tasks.poll().run();
    }

    @Test
    void aReplyToAnUtteranceIsRecognisedSpokenPlayedAndReportedInOrder() {
        LatencyTrace trace = trace();
        trace.endpoint(0);
        Reply reply = Reply.toUtterance(1, heard("what time is it"), setup(), host, trace);
        reply.start(Runnable::run);
        assertThat(calls).containsExactly("recognised what time is it", "producing", "phrase " + ANSWER_1,
                "audioStarted", "phrase " + ANSWER_2, "finished", "played");
        assertThat(spoken).isEqualTo(ANSWER_1 + " " + ANSWER_2);
        assertThat(kept).isEqualTo(spoken);
        assertThat(turns).containsExactly(new Transcript("what time is it", 0.9));
        assertThat(histories).containsExactly(List.of());
        assertThat(tts.spoken).containsExactly(ANSWER_1, ANSWER_2);
        assertThat(sink.samplesPlayed()).isEqualTo(6 * 1600); // 100 ms a word
        assertThat(sink.played).allSatisfy(p -> assertThat(p.sampleRate()).isEqualTo(16_000));
        assertThat(reply.userText()).isEqualTo("what time is it");
        assertThat(reply.transcript()).isCompletedWithValue(new Transcript("what time is it", 0.9));
        assertThat(reply.isFinished()).isTrue();
        assertThat(reply.cancelled()).isFalse();
        // the fake clock: 12 ms to finish the transcript, 30 ms to render the first phrase
        Waterfall w = reply.trace().waterfall().orElseThrow();
        assertThat(w.sttMs()).isCloseTo(12, within(1e-9));
        assertThat(w.dialogMs()).isZero();
        assertThat(w.ttsMs()).isCloseTo(30, within(1e-9));
        reply.record(conversation, spoken, kept);
        assertThat(conversation.messages()).containsExactly(Message.user("what time is it"),
                Message.assistant(ANSWER_1 + " " + ANSWER_2));
    }

    @Test
    void finishReportsOnlyOnce() {
        Reply reply = Reply.toUtterance(1, heard("hi"), setup(), host, trace());
        reply.start(Runnable::run);
        reply.finish();
        assertThat(calls).containsOnlyOnce("finished");
    }

    @Test
    void aDialogThatFailsMidStreamIsReportedAndApologisedFor() {
        dialog = (history, turn) -> new TextStream() {
            int n;

            @Override
            public String next() throws DialogException {
                if (n++ == 0) return "Let me check that. The ";
                throw new DialogException("the model is unreachable");
            }

            @Override
            public void close() {
            }
        };
        Reply reply = Reply.toUtterance(1, heard("what time is it"), setup(), host, trace());
        reply.start(Runnable::run);
        String apology = "Sorry, something went wrong while I was thinking about that.";
        // the phrase complete before the failure is spoken; the broken rest ("The") is not
        assertThat(tts.spoken).containsExactly("Let me check that.", apology);
        assertThat(calls).containsExactly("recognised what time is it", "producing",
                "error dialog: the model is unreachable", "phrase Let me check that.", "audioStarted",
                "phrase " + apology, "finished", "played");
        assertThat(spoken).isEqualTo("Let me check that. " + apology);
    }

    @Test
    void aTtsThatFailsIsReportedAndWhatWasSpokenStillPlays() {
        SpeechSynthesizer failing = new SpeechSynthesizer() {
            @Override
            public int sampleRate() {
                return 16_000;
            }

            @Override
            public void synthesize(String text, Consumer<PcmAudio> out, BooleanSupplier cancelled, ProviderEvents events)
                    throws TtsException {
                if (text.contains("else")) throw new TtsException("voice service down", null);
                tts.synthesize(text, out, cancelled);
            }
        };
        Reply reply = Reply.toUtterance(1, heard("what time is it"), setup(failing, sink), host, trace());
        reply.start(Runnable::run);
        assertThat(calls).containsExactly("recognised what time is it", "producing", "error tts: voice service down",
                "phrase " + ANSWER_1, "audioStarted", "phrase " + ANSWER_2, "finished", "played");
        assertThat(calls).noneMatch(c -> c.startsWith("error dialog"));
        assertThat(sink.samplesPlayed()).isEqualTo(4 * 1600);
    }

    @Test
    void cancelledBeforePlayNothingIsPlayedAndItFinishesCancelled() {
        Reply reply = Reply.toUtterance(1, heard("what time is it"), setup(), host, trace());
        reply.start(queued);
        tasks.poll().run(); // produce: everything is synthesized and waits in the queue
        assertThat(tts.spoken).containsExactly(ANSWER_1, ANSWER_2);
        reply.cancel();
        assertThat(sink.interrupts).isEqualTo(1);
        runTasks(); // play
        assertThat(sink.played).isEmpty();
        assertThat(calls).containsExactly("recognised what time is it", "producing", "finished", "played");
        assertThat(spoken).isEmpty();
        assertThat(reply.cancelled()).isTrue();
        // stopped before the user heard anything: no trace, its words are carried into the next turn instead
        reply.record(conversation, spoken, kept);
        assertThat(conversation.messages()).isEmpty();
    }

    @Test
    void cancelledBeforeItStartsTheDialogIsNeverAsked() {
        Reply reply = Reply.toUtterance(1, heard("what time is it"), setup(), host, trace());
        reply.cancel();
        reply.start(Runnable::run);
        assertThat(turns).isEmpty();
        assertThat(tts.spoken).isEmpty();
        assertThat(calls).containsExactly("recognised what time is it", "finished", "played");
    }

    @Test
    void stoppedByTheClientTheUserWordsStay() {
        Reply reply = Reply.toUtterance(1, heard("what time is it"), setup(), host, trace());
        reply.start(queued);
        tasks.poll().run();
        reply.keepUserText();
        reply.cancel();
        runTasks();
        reply.record(conversation, spoken, kept);
        assertThat(conversation.messages()).containsExactly(Message.user("what time is it"));
    }

    @Test
    void stoppedByTheClientBeforeRecognitionTheUserWordsJoinWhenRecognised() {
        conversation.add(0, Message.user("typed"));
        Reply reply = Reply.toUtterance(4, heard("what time is it"), setup(), host, trace());
        reply.start(queued);
        reply.keepUserText();
        reply.markCancelled();
        reply.finish();
        reply.record(conversation, spoken, kept);
        assertThat(conversation.messages()).containsExactly(Message.user("typed"));
        reply.cancel();
        runTasks(); // the words are recognised now
        assertThat(conversation.messages()).containsExactly(Message.user("typed"), Message.user("what time is it"));
    }

    @Test
    void truncateToKeepsWhatTheUserHeard() {
        Reply reply = Reply.toUtterance(1, heard("what time is it"), setup(), host, trace());
        reply.start(queued);
        tasks.poll().run();
        reply.truncateTo("It is ten");
        runTasks();
        assertThat(spoken).isEqualTo(ANSWER_1 + " " + ANSWER_2);
        assertThat(kept).isEqualTo("It is ten");
        reply.record(conversation, spoken, kept);
        assertThat(conversation.messages()).containsExactly(Message.user("what time is it"), Message.assistant("It is ten"));
    }

    @Test
    void itsMessagesGoAfterWhatItAnsweredEvenWhenMoreWasAddedWhilePlaying() {
        conversation.add(1, Message.user("hi"));
        conversation.add(1, Message.assistant("hello"));
        Reply reply = Reply.toUtterance(2, heard("what time is it"), setup(), host, trace());
        reply.start(queued);
        tasks.poll().run(); // produce: the conversation it answers is taken
        conversation.add(0, Message.user("typed while it played"));
        runTasks();
        reply.record(conversation, spoken, kept);
        assertThat(histories).containsExactly(List.of(Message.user("hi"), Message.assistant("hello")));
        assertThat(conversation.messages()).containsExactly(Message.user("hi"), Message.assistant("hello"),
                Message.user("what time is it"), Message.assistant(ANSWER_1 + " " + ANSWER_2),
                Message.user("typed while it played"));
    }

    @Test
    void aReplyToTheConversationAnswersItsLastUserMessageAndRecordsOnlyItself() {
        conversation.add(0, Message.user("hi"));
        conversation.add(0, Message.assistant("hello"));
        conversation.add(0, Message.user("what time is it"));
        Reply reply = Reply.toConversation(3, setup(), host, trace());
        reply.start(Runnable::run);
        assertThat(calls.getFirst()).isEqualTo("awaitInput");
        assertThat(turns).containsExactly(new Transcript("what time is it", 1.0));
        assertThat(histories).containsExactly(List.of(Message.user("hi"), Message.assistant("hello")));
        reply.record(conversation, spoken, kept);
        assertThat(conversation.messages()).containsExactly(Message.user("hi"), Message.assistant("hello"),
                Message.user("what time is it"), Message.assistant(ANSWER_1 + " " + ANSWER_2));
    }

    @Test
    void anAnnouncementSpeaksItsWordsWithoutTheDialogAndRecordsOnlyThem() {
        dialog = (history, turn) -> {
            throw new AssertionError("an announcement asks no dialog");
        };
        conversation.add(1, Message.user("set a timer"));
        Reply reply = Reply.announcement(2, "Your timer is done.", setup(), host, trace());
        reply.start(Runnable::run);
        assertThat(calls).containsExactly("producing", "phrase Your timer is done.", "audioStarted", "finished", "played");
        reply.record(conversation, spoken, kept);
        assertThat(conversation.messages()).containsExactly(Message.user("set a timer"),
                Message.assistant("Your timer is done."));
    }

    @Test
    void aSpeculationReleasedOnTheSameWordsPlays() {
        Reply reply = Reply.speculative(1, "what time is it", setup(), host, trace());
        reply.start(queued);
        tasks.poll().run(); // produce on the partial transcript, held back
        assertThat(reply.released()).isFalse();
        assertThat(turns).containsExactly(new Transcript("what time is it", 1.0));
        reply.release(heard("what time is it"));
        assertThat(reply.released()).isTrue();
        runTasks();
        assertThat(calls).containsExactly("producing", "recognised what time is it", "phrase " + ANSWER_1,
                "audioStarted", "phrase " + ANSWER_2, "finished", "played");
        assertThat(sink.samplesPlayed()).isEqualTo(6 * 1600);
    }

    @Test
    void aSpeculationOnOtherWordsIsMissedAndNeverHeard() {
        Reply reply = Reply.speculative(1, "what time is it", setup(), host, trace());
        reply.start(queued);
        tasks.poll().run();
        reply.release(heard("what time is it in tokyo"));
        assertThat(reply.released()).isFalse();
        assertThat(reply.cancelled()).isTrue();
        runTasks();
        assertThat(calls).containsExactly("producing", "recognised what time is it in tokyo",
                "missed what time is it in tokyo");
        assertThat(sink.played).isEmpty();
        assertThat(sink.interrupts).as("nothing was playing").isZero();
    }

    @Test
    void theRecognisersFallbackIsApologisedForFirst() {
        ScriptedStt stt = new ScriptedStt(clock, 0, "what time is it");
        SpeechRecognizer failingOver = new SpeechRecognizer() {
            @Override
            public RecognitionStream open(ProviderEvents events) {
                events.failover(new Failover("stt", "deepgram", "vosk", "timed out"));
                events.timing(new ProviderTiming("deepgram", "stt", 7_000_000));
                return stt.open();
            }
        };
        LatencyTrace trace = trace();
        trace.endpoint(0);
        Reply reply = Reply.toUtterance(1, new Utterance(1, failingOver, null), setup(), host, trace);
        reply.start(Runnable::run);
        String apology = "Sorry, my speech recognition service failed, so I used my offline one.";
        assertThat(tts.spoken).containsExactly(apology, ANSWER_1, ANSWER_2);
        // spoken before the dialog is asked; reported when played (after the producer ran, on a direct executor)
        assertThat(calls.subList(0, 4)).containsExactly("recognised what time is it", "producing", "phrase " + apology,
                "audioStarted");
        assertThat(reply.trace().waterfall().orElseThrow().providers())
                .containsExactly(new ProviderTiming("deepgram", "stt", 7_000_000));
    }

    /** A 24 kHz output. */
    private static final class Sink24k implements AudioSink {
        final List<PcmAudio> played = new ArrayList<>();

        // @formatter:off
        @Override public int sampleRate() { return 24_000; }
        @Override public void write(PcmAudio chunk) { played.add(chunk); }
        @Override public void interrupt() { }
        @Override public void drain() { }
        // @formatter:on
    }

    @Test
    void audioIsResampledToTheSinksRate() {
        Sink24k out = new Sink24k();
        Reply reply = Reply.toUtterance(1, heard("what time is it"), setup(tts, out), host, trace());
        reply.start(Runnable::run);
        assertThat(out.played).isNotEmpty().allSatisfy(p -> assertThat(p.sampleRate()).isEqualTo(24_000));
        // 9600 samples at 16 kHz are 14400 at 24 kHz, the resampler's tail flushed at the end
        assertThat(out.played.stream().mapToInt(PcmAudio::length).sum()).isEqualTo(14_400);
    }

    @Test
    void theVolumeIsAppliedAsAGain() {
        assertThat(voice.setVolume(0.1)).isFalse();
        assertThat(voice.setVolume(2.0)).isTrue();
        Reply reply = Reply.toUtterance(1, heard("what time is it"), setup(), host, trace());
        reply.start(Runnable::run);
        assertThat(sink.samplesPlayed()).isEqualTo(6 * 1600);
        // the tone is a constant 1000: doubled
        assertThat(sink.played).allSatisfy(p -> assertThat(p.samples()).containsOnly((short) 2000));
    }

    @Test
    void theRateStretchesEachPhraseInTime() {
        assertThat(voice.setRate(3.0)).isFalse();
        assertThat(voice.setRate(2.0)).isTrue();
        Reply reply = Reply.toUtterance(1, heard("what time is it"), setup(), host, trace());
        reply.start(Runnable::run);
        // twice as fast: 6400 + 3200 samples become 3200 + 1600, played in chunks of 100 ms
        assertThat(sink.played).extracting(PcmAudio::length).containsExactly(1600, 1600, 1600);
        // at the same level: overlapping Hann windows of a constant add up to the constant
        assertThat((int) sink.played.get(0).samples()[800]).isBetween(990, 1010);
        assertThat(calls).containsSubsequence("phrase " + ANSWER_1, "audioStarted", "phrase " + ANSWER_2, "finished");
    }
}

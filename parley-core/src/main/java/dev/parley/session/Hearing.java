package dev.parley.session;

import dev.parley.audio.Framer;
import dev.parley.audio.PcmAudio;
import dev.parley.audio.SampleHistory;
import dev.parley.reply.Reply;
import dev.parley.stt.SpeechRecognizer;
import dev.parley.stt.Transcript;
import dev.parley.stt.Utterance;
import dev.parley.turn.Backchannels;
import dev.parley.turn.BargeIn;
import dev.parley.turn.Endpointer;
import dev.parley.turn.Interruption;
import dev.parley.turn.TurnCompletion;
import dev.parley.vad.VoiceActivityDetector;
import dev.parley.wake.Wake;
import dev.parley.wake.WakeDetector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;

import static dev.parley.audio.PcmAudio.PIPELINE_RATE;

/**
 * The input side of a session: audio → {@link Framer} → VAD → {@link Endpointer} (with the {@link TurnCompletion}
 * judge in word mode) → {@link Utterance}, plus {@link BargeIn} and {@link Speculation}. It decides where the user's
 * turns start and end and tells its {@link Turns}; what that means for replies is the session's business.
 *
 * <p>Used by one thread, the one that feeds audio; it calls its {@link Turns} on that thread.
 */
final class Hearing {
    private static final Logger log = LoggerFactory.getLogger(Hearing.class);
    /** How long a wake phrase's end may lie before the frame it is heard on, at most: audio kept for the words after it. */
    private static final int WAKE_LATENCY_MS = 2_000;

    /** What the session does with what was heard. */
    interface Turns {
        /**
         * Speech was confirmed, starting at {@code startMs} of input: the new turn and the words it carries over.
         * {@code continuesTurn} is the user turn it may continue (it began within the longest pause of that turn's
         * end), or 0.
         */
        Started userStarted(long startMs, int continuesTurn);

        /** Push-to-talk: the first audio since the last commit begins a turn; its number. */
        int pushToTalkStarted();

        /**
         * The user's turn is over (the endpointer decided, or the client committed). {@code speculative} is the reply
         * prepared for exactly these words, or null.
         */
        void userEnded(Utterance utterance, Endpointer.Event.SpeechEnded end, boolean heardByVad, Reply speculative);

        /** Speech over a playing reply, for the barge-in time: pause it (true), or there is none to pause (false). */
        boolean pauseReply();

        /**
         * The sound over the paused reply is a real interruption: stop it. {@code continuesTurn} is the user turn the
         * new words continue (they came within the longest pause of its end), or 0.
         *
         * @return the transcript of the words the new utterance continues, or null
         */
        CompletableFuture<Transcript> stopReply(int continuesTurn);

        /** The sound over the paused reply was a backchannel or a noise: resume it; {@code droppedTurn} opened for it. */
        void resumeReply(int droppedTurn);

        void partial(int turn, String words);

        void sttFailed(int turn, RuntimeException e);

        /** A reply to prepare on the partial transcript, or null when none may be prepared now. */
        Reply speculate(int turn, String words);

        /** A frame without speech went by and no turn changed: the floor may be free. */
        void quiet();

        /** Whether a reply is in progress (being prepared or played): the session stays awake through it. */
        default boolean replying() {
            return false;
        }

        /** A wake phrase was heard, ending at {@code atMs} of input. */
        default void woke(String phrase, long atMs) {
        }
    }

    /** A new user turn, and the transcript of the words it continues (null: none). */
    record Started(int turn, CompletableFuture<Transcript> carried) {}

    private final VoiceActivityDetector vad;
    private final SpeechRecognizer stt;
    private final TurnCompletion completion;
    private final Turns turns;
    private final Framer framer;
    private final BargeIn bargeIn = new BargeIn();
    private final Speculation speculation = new Speculation();
    private final WakeGate gate;
    private SessionConfig config;
    private Endpointer endpointer;
    private SampleHistory history;
    private Utterance utterance;
    /** The number of the user turn being heard (or the last one heard). */
    private int turn;
    /** Push-to-talk: audio taken since the last commit or clear. */
    private long bufferedSamples;
    /** Deciding whether the sound over a paused reply interrupts it; null when no reply is paused. */
    private Interruption interruption;
    /** The last turn the input side began before the reply paused (a later one was opened by the sound). */
    private int turnAtPause;
    private long pausedAt;
    /** The pause (where it began) whose words were judged for the provider's end of turn, and the verdict. */
    private long judgedPause = -1;
    private boolean judgedFinished;
    /** Where the last utterance ended by the endpointer stopped, and its turn. */
    private long lastEnd;
    private int lastEndTurn;
    /** Speech heard while asleep (or the speech of the wake phrase itself): it opens no turn of its own. */
    private boolean gated;
    /** The wake phrase heard in that speech, the words after it not yet taken; and whether the user paused since. */
    private Wake woken;
    private boolean pausedAfterWake;

    /** Without a wake-word detector (the configuration must name no wake phrase). */
    Hearing(VoiceActivityDetector vad, SpeechRecognizer stt, TurnCompletion completion, SessionConfig config, Turns turns) {
        this(vad, stt, completion, WakeDetector.NONE, config, turns);
    }

    /** @throws IllegalArgumentException when the wake detector cannot hear the configured phrases */
    Hearing(VoiceActivityDetector vad, SpeechRecognizer stt, TurnCompletion completion, WakeDetector wake,
            SessionConfig config, Turns turns) {
        this.gate = new WakeGate(wake, config.wake());
        this.vad = vad;
        this.stt = stt;
        this.completion = completion;
        this.turns = turns;
        this.config = config;
        this.framer = new Framer(vad.frameSamples(), this::onFrame);
        this.endpointer = newEndpointer(config);
        this.history = new SampleHistory(historyCapacity(config));
    }

    void accept(PcmAudio chunk) {
        framer.accept(chunk);
    }

    /** Position of the input, in samples at the pipeline rate. */
    long position() {
        return history.end();
    }

    /** True while the user is speaking or may be starting to. */
    boolean userSpeaking() {
        return endpointer.inSpeech() || endpointer.maybeSpeech();
    }

    /** A change of turn detection or of the endpoint settings drops the utterance being heard at that moment. */
    void reconfigure(SessionConfig next) {
        gate.reconfigure(next.wake()); // first: it may refuse the phrases
        SessionConfig previous = config;
        config = next;
        if (previous.hearsDifferently(next)) {
            clear();
            endpointer = newEndpointer(next);
        }
        int capacity = historyCapacity(next);
        if (capacity > historyCapacity(previous)) history = history.resized(capacity);
    }

    /** Ends the user's turn now (a client's commit); see {@link VoiceSession#commit()}. */
    int commit() {
        if (!config.turns().detect()) {
            short[] rest = framer.takePending();
            if (rest.length > 0) { // the last, partial frame: the user stopped talking there
                if (utterance == null) startPushToTalkTurn(); // less than a frame since the last commit: a turn too
                history.append(rest, 0, rest.length);
                bufferedSamples += rest.length;
                feedStt(rest, rest.length);
            }
            if (utterance == null || bufferedSamples * 1000 < 100L * PIPELINE_RATE) {
                throw new IllegalStateException("input audio buffer is empty: a commit needs at least 100 ms of audio, it has "
                        + (utterance == null ? 0 : bufferedSamples * 1000 / PIPELINE_RATE) + " ms");
            }
            long end = history.end();
            bufferedSamples = 0;
            end(new Endpointer.Event.SpeechEnded(end, end, end, true), false);
            return turn;
        }
        if (utterance != null && endpointer.endNow() instanceof Endpointer.Event.SpeechEnded e) {
            end(e, true);
            return turn;
        }
        throw new IllegalStateException("input audio buffer is empty: no speech is being heard");
    }

    /** Drops the audio taken and not yet committed, and the utterance being heard. */
    void clear() {
        short[] rest = framer.takePending();
        history.append(rest, 0, rest.length); // dropped, yet heard: later input positions still count it
        bufferedSamples = 0;
        if (utterance != null) utterance.close();
        utterance = null;
        gated = false;
        woken = null;
        endpointer.reset();
        speculation.drop();
        if (interruption != null) { // nothing is left to decide on: the reply goes on
            interruption = null;
            turns.resumeReply(0);
        }
    }

    void close() {
        gate.close();
        speculation.drop();
        if (utterance != null) utterance.close();
        utterance = null;
    }

    private int historyCapacity(SessionConfig c) {
        // with wake phrases: the words after the phrase, heard while the detector made up its mind
        int keepMs = c.preRollMs() + c.endpoint().minSpeechMs() + 100 + (c.wake().enabled() ? WAKE_LATENCY_MS : 0);
        return keepMs * PIPELINE_RATE / 1000 + 2 * framer.frameSamples();
    }

    /** An endpointer that, in word mode, lets an utterance that sounds unfinished pause up to the ceiling. */
    private Endpointer newEndpointer(SessionConfig c) {
        Endpointer e = new Endpointer(c.endpoint(), PIPELINE_RATE);
        if (c.detection().words()) {
            int extra = Math.max(0, c.detection().maxPauseMs() - c.endpoint().endSilenceMs());
            e.patience(() -> utterance != null && !pauseSoundsFinished() ? extra : 0);
        }
        return e;
    }

    /**
     * Whether the provider's end of turn may end this pause: always by silence alone; by the words, once per pause
     * (the judge is asked once, as {@link TurnCompletion} promises).
     */
    private boolean providerMayEnd() {
        return !config.detection().words() || pauseSoundsFinished();
    }

    /** The judge's verdict on the words of the current pause, asked once per pause. */
    private boolean pauseSoundsFinished() {
        long pause = endpointer.pausedSince();
        if (pause != judgedPause) {
            judgedPause = pause;
            settleStt();
            judgedFinished = utterance == null || finished(utterance.heardSoFar());
        }
        return judgedFinished;
    }

    private boolean finished(String words) {
        try {
            return completion.finished(words) >= 0.5;
        } catch (RuntimeException e) {
            log.warn("the judge of finished utterances failed on \"{}\"", words, e);
            return true;
        }
    }

    private void onFrame(short[] f) {
        if (!config.turns().detect()) { // push-to-talk: everything until the commit is the user's turn
            history.append(f, 0, f.length);
            if (utterance == null) startPushToTalkTurn();
            bufferedSamples += f.length;
            feedStt(f, f.length);
            return;
        }
        float p = vad.speechProbability(f);
        history.append(f, 0, f.length);
        long frameEnd = history.end();
        Endpointer.Event event = endpointer.onFrame(p, rms(f), frameEnd, f.length);
        if (asleep(event, f, frameEnd)) return;
        if (config.turns().interrupt()) event = overReply(p, frameEnd, f.length, event);
        switch (event) {
            case Endpointer.Event.SpeechStarted s -> started(s);
            case null -> {
                feedStt(f, f.length);
                // the provider heard the end of the utterance and the VAD hears a pause: no need to wait out the
                // silence, unless the words say the user is not done
                if (utterance != null && endpointer.pausing() && utterance.endOfTurn() && providerMayEnd()
                        && endpointer.endNow() instanceof Endpointer.Event.SpeechEnded e) {
                    end(e, true);
                    return;
                }
                speculate(frameEnd);
            }
            case Endpointer.Event.SpeechEnded e -> {
                feedStt(f, f.length);
                end(e, true);
            }
        }
        if (event == null && !userSpeaking()) turns.quiet();
    }

    /**
     * The wake gate, for a frame heard while no turn is: awake, speech is a turn as always; asleep, speech opens no
     * turn and the wake listener hears every frame. A wake phrase heard in speech opens the turn at its end when the
     * user goes on ("computer, what time is it", or after a short pause within the same utterance); said alone, it
     * keeps the session awake for the next utterance. Replies keep it awake for the follow-up window after them.
     *
     * @return true when the frame belongs to speech that opens no turn (it is not heard further)
     */
    private boolean asleep(Endpointer.Event event, short[] f, long frameEnd) {
        if (!gate.enabled() || utterance != null || interruption != null) return false;
        if (turns.replying()) gate.stayAwake(frameEnd);
        if (!gated && event instanceof Endpointer.Event.SpeechStarted s) {
            gated = woken != null || !gate.awake(s.startSample());
            if (!gated) {
                gate.rest();
                return false;
            }
        }
        if (!gated && woken == null && gate.awake(frameEnd)) {
            gate.rest();
            return false;
        }
        if (woken == null) {
            Wake w = gate.listen(f, frameEnd);
            if (w != null) {
                woken = w;
                pausedAfterWake = false;
                gate.stayAwake(w.endSample());
                turns.woke(w.phrase(), w.endSample() * 1000 / PIPELINE_RATE);
            }
        }
        if (!gated) { // quiet, or a wake phrase the VAD has not confirmed as speech yet
            if (woken != null && !userSpeaking()) woken = null; // it never was: the window stays open
            return false;
        }
        if (event instanceof Endpointer.Event.SpeechEnded e) { // the phrase alone, or speech without it
            gated = false;
            if (woken != null) gate.stayAwake(e.endSample());
            woken = null;
            return true;
        }
        if (woken != null) {
            if (endpointer.pausedSince() >= 0) pausedAfterWake = true;
            else if (endpointer.inSpeech()) openWokenTurn(frameEnd);
        }
        return true;
    }

    /** The user goes on after the wake phrase: a turn of the words after it (after their pause, if they made one). */
    private void openWokenTurn(long frameEnd) {
        long from = woken.endSample();
        if (pausedAfterWake) from = Math.max(from, frameEnd - (long) (config.preRollMs() + config.endpoint().minSpeechMs()) * PIPELINE_RATE / 1000);
        gated = false;
        woken = null;
        gate.rest();
        turn = turns.userStarted(from * 1000 / PIPELINE_RATE, 0).turn();
        utterance = new Utterance(turn, stt, null);
        short[] after = history.since(from);
        feedStt(after, after.length);
    }

    /**
     * Speech over a playing reply pauses it at once; then the {@link Interruption} decides, frame by frame, whether it
     * is a request (the reply stops; if it came right after the user's last words, they continue those) or a
     * backchannel (the reply resumes; the turn the sound opened is dropped).
     *
     * @return the endpointer's event, or null when it was swallowed (the end of a backchannel)
     */
    private Endpointer.Event overReply(float p, long frameEnd, int frameSamples, Endpointer.Event event) {
        if (interruption == null) {
            long required = (long) config.bargeInMs() * PIPELINE_RATE / 1000;
            if (bargeIn.onFrame(p, config.endpoint().threshold(), frameSamples, required) && turns.pauseReply()) {
                interruption = new Interruption(config.endpoint().endSilenceMs(), PIPELINE_RATE);
                turnAtPause = turn;
                pausedAt = frameEnd - required;
            }
            return event;
        }
        boolean opened = utterance != null && turn != turnAtPause;
        String words = opened ? utterance.heardSoFar() : "";
        Interruption.Decision d = event instanceof Endpointer.Event.SpeechEnded
                ? interruption.onUtteranceEnd(words)
                : interruption.onFrame(p >= config.endpoint().threshold(), words, frameEnd, frameSamples);
        switch (d) {
            case WAIT -> {
                return event;
            }
            case STOP -> {
                interruption = null;
                bargeIn.reset();
                // the user went on with what they were saying, unless they told the assistant to stop
                boolean continues = !Backchannels.isStop(words) && continuing(pausedAt);
                CompletableFuture<Transcript> carried = turns.stopReply(continues ? lastEndTurn : 0);
                if (carried != null && opened) utterance.carry(carried);
                return event;
            }
            default -> {
                interruption = null;
                bargeIn.reset();
                if (opened) {
                    utterance.close();
                    utterance = null;
                }
                endpointer.reset();
                turns.resumeReply(opened ? turn : 0);
                return null;
            }
        }
    }

    private void startPushToTalkTurn() {
        turn = turns.pushToTalkStarted();
        utterance = new Utterance(turn, stt, null);
    }

    private static double rms(short[] f) {
        double sum = 0;
        for (short s : f) sum += (double) s * s;
        return Math.sqrt(sum / f.length);
    }

    private void started(Endpointer.Event.SpeechStarted s) {
        speculation.drop();
        Started started = turns.userStarted(s.startSample() * 1000 / PIPELINE_RATE, continuing(s.startSample()) ? lastEndTurn : 0);
        turn = started.turn();
        if (utterance != null) utterance.close();
        utterance = new Utterance(turn, stt, started.carried());
        short[] preRoll = history.since(s.startSample() - (long) config.preRollMs() * PIPELINE_RATE / 1000);
        feedStt(preRoll, preRoll.length);
    }

    /** Speech from {@code sample} on may go on with the last turn: it came within the longest pause of that turn's end. */
    private boolean continuing(long sample) {
        return lastEndTurn != 0 && sample - lastEnd <= (long) config.detection().maxPauseMs() * PIPELINE_RATE / 1000;
    }

    private void feedStt(short[] samples, int length) {
        if (utterance != null) recognise(() -> utterance.feed(samples, length));
    }

    /** At a pause: the recogniser's last words, which its partial still lacks, for the judge and the transcript. */
    private void settleStt() {
        recognise(utterance::settle);
    }

    /** One step of recognition: a change of words is reported; a failure drops the utterance and is reported. */
    private void recognise(java.util.function.BooleanSupplier step) {
        boolean changed;
        try {
            changed = step.getAsBoolean();
        } catch (RuntimeException e) {
            utterance.close();
            utterance = null;
            turns.sttFailed(turn, e);
            return;
        }
        if (changed) turns.partial(turn, utterance.heardSoFar());
    }

    /** Prepares the reply to the partial transcript once the user has paused long enough; drops it if they go on. */
    private void speculate(long frameEnd) {
        long pausedSince = endpointer.pausedSince();
        if (pausedSince < 0) {
            speculation.drop();
            return;
        }
        if (speculation.active() || utterance == null || config.speculateMs() == 0 || utterance.partial().isEmpty()
                || !config.turns().respond()) return;
        if ((frameEnd - pausedSince) * 1000 < (long) config.speculateMs() * PIPELINE_RATE) return;
        Reply reply = turns.speculate(turn, utterance.heardSoFar());
        if (reply != null) speculation.start(reply);
    }

    private void end(Endpointer.Event.SpeechEnded e, boolean heardByVad) {
        if (heardByVad) {
            lastEnd = e.endSample();
            lastEndTurn = turn;
        }
        Utterance heard = utterance;
        utterance = null;
        Reply speculative = speculation.take(heard == null ? null : heard.heardSoFar());
        if (heard == null) {
            if (speculative != null) speculative.drop();
            return;
        }
        turns.userEnded(heard, e, heardByVad, speculative);
    }
}

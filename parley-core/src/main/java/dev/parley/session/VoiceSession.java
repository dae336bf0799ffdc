package dev.parley.session;

import dev.parley.audio.AudioSink;
import dev.parley.audio.PcmAudio;
import dev.parley.audio.Resampler;
import dev.parley.audio.SampleHistory;
import dev.parley.audio.TimeStretch;
import dev.parley.dialog.Dialog;
import dev.parley.dialog.DialogContext;
import dev.parley.dialog.DialogException;
import dev.parley.dialog.DialogSignal;
import dev.parley.dialog.Message;
import dev.parley.dialog.TextStream;
import dev.parley.latency.LatencyTrace;
import dev.parley.providers.Failover;
import dev.parley.providers.ProviderEvents;
import dev.parley.providers.ProviderLog;
import dev.parley.providers.ProviderTiming;
import dev.parley.stt.RecognitionStream;
import dev.parley.stt.SpeechRecognizer;
import dev.parley.stt.Transcript;
import dev.parley.tts.SentenceChunker;
import dev.parley.tts.SpeechSynthesizer;
import dev.parley.tts.TtsException;
import dev.parley.turn.Endpointer;
import dev.parley.turn.TurnState;
import dev.parley.vad.VoiceActivityDetector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import static dev.parley.audio.PcmAudio.PIPELINE_RATE;

/**
 * One conversation: audio in, turns taken, replies out.
 *
 * <p>Audio is pushed with {@link #accept(PcmAudio)} by one thread (the microphone, a file reader, a socket). On that
 * thread every frame goes through the VAD and the endpointer, and, while the user speaks, into STT. When the
 * endpointer ends the user's turn, the reply runs on the {@code executor} as two tasks: a producer (final
 * transcript → dialog → sentence chunker → TTS) and a player (synthesised audio → sink), joined by a queue so
 * synthesis of the next phrase overlaps playback of the current one. Speech over a reply cancels both at once
 * (barge-in) and a new user turn begins; when the user resumes before any reply was heard, the new words continue
 * the previous utterance instead of starting a new one.
 *
 * <p>Speculation: once the user has paused for {@link SessionConfig#speculateMs()}, the reply to the partial
 * transcript is prepared (dialog and TTS run, audio is held back). If the user speaks again it is thrown away; when
 * the endpoint confirms the turn it plays at once, while the final transcript is checked against the partial one,
 * and a reply to the final text replaces it in the rare case they differ. The endpoint silence, which every turn must
 * wait anyway, thus hides the cost of dialog and synthesis.
 */
public final class VoiceSession implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VoiceSession.class);
    private static final int MAX_HISTORY = 40;
    private static final Object END = new Object();

    /**
     * The engines a session uses. The VAD is the session's own (it carries state); the rest may be shared.
     * {@code completion} judges whether the words heard so far are a finished utterance (see
     * {@link SessionConfig.TurnDetection}).
     */
    public record Engines(VoiceActivityDetector vad, SpeechRecognizer stt, Dialog dialog, SpeechSynthesizer tts,
                          dev.parley.turn.TurnCompletion completion) {
        public Engines {
            Objects.requireNonNull(vad, "vad");
            Objects.requireNonNull(stt, "stt");
            Objects.requireNonNull(dialog, "dialog");
            Objects.requireNonNull(tts, "tts");
            Objects.requireNonNull(completion, "completion");
        }

        /** Engines with the default judge of finished utterances. */
        public Engines(VoiceActivityDetector vad, SpeechRecognizer stt, Dialog dialog, SpeechSynthesizer tts) {
            this(vad, stt, dialog, tts, dev.parley.turn.TurnCompletion.SILENCE);
        }
    }

    private final Engines engines;
    private final AudioSink sink;
    private volatile SessionConfig config;
    private final SessionListener listener;
    private final LongSupplier clock;
    private final Executor executor;

    // Input side: touched only by the thread calling accept().
    private volatile Endpointer endpointer;
    private SampleHistory history;
    private final short[] frame;
    private int frameFill;
    private Resampler inputResampler;
    private RecognitionStream stt;
    /** The turn whose reply is being produced: where its brain's provider reports go. */
    private volatile Turn producing;
    private String lastPartial = "";
    /** The number of the user turn being heard (or the last one heard). */
    private int inputTurn;
    /** Push-to-talk: audio taken since the last commit or clear. */
    private long bufferedSamples;
    private int bargeInRun;
    private Turn carryOver;
    private Turn speculation;

    // Shared between the input thread and the reply tasks: guarded by this.
    private TurnState state = TurnState.LISTENING;
    private Turn current;
    private int turnCount;
    private final List<Entry> conversation = new ArrayList<>();
    private String instructions = "";
    /** Completes when every committed utterance that is not answered by itself has been transcribed. */
    private CompletableFuture<Void> pendingInput = CompletableFuture.completedFuture(null);
    private boolean closed;
    /** What the brain asked to say unprompted, waiting for the floor. */
    private final ArrayDeque<String> announcements = new ArrayDeque<>();
    private volatile boolean announcementWaiting;
    private final SessionVoice voice;

    /** A message of the conversation and the turn it belongs to (0 for messages given with addMessage). */
    private record Entry(int turn, Message message) {}

    public VoiceSession(Engines engines, AudioSink sink, SessionConfig config, SessionListener listener,
                        LongSupplier clock, Executor executor) {
        this.engines = engines;
        this.sink = sink;
        this.config = config;
        this.listener = listener;
        this.clock = clock;
        this.executor = executor;
        this.endpointer = new Endpointer(config.endpoint(), PIPELINE_RATE);
        this.frame = new short[engines.vad().frameSamples()];
        this.history = new SampleHistory(historyCapacity(config));
        this.voice = new SessionVoice();
        engines.dialog().attach(new Context());
    }

    /** How the brain speaks up unprompted and changes the voice. */
    private final class Context implements DialogContext {
        @Override
        public void say(String text) {
            announce(text);
        }

        @Override
        public dev.parley.dialog.VoiceControls voice() {
            return voice;
        }

        @Override
        public ProviderEvents providers() {
            return new ProviderEvents() {
                @Override
                public void timing(ProviderTiming timing) {
                    Turn t = producing;
                    if (t != null) t.providers.timing(timing);
                }

                @Override
                public void failover(Failover failover) {
                    Turn t = producing;
                    if (t != null) t.providers.failover(failover);
                    else emit(new SessionEvent.ProviderFailedOver(0, failover));
                }
            };
        }
    }

    /**
     * An utterance being recognised, with what its recogniser's providers reported: the turn it becomes takes the
     * times to first byte into its waterfall and speaks the apology of any fallback that took over.
     */
    private static final class Heard implements RecognitionStream {
        final ProviderLog log = new ProviderLog();
        final RecognitionStream stream;

        Heard(SpeechRecognizer recognizer) {
            this.stream = recognizer.open(log);
        }

        @Override
        public String accept(short[] pcm, int offset, int length) {
            return stream.accept(pcm, offset, length);
        }

        @Override
        public boolean endOfTurn() {
            return stream.endOfTurn();
        }

        @Override
        public Transcript finish() {
            return stream.finish();
        }

        @Override
        public void close() {
            stream.close();
        }
    }

    /**
     * Says {@code text} as soon as the floor is free: at once when nobody speaks, else after the user's turn and its
     * reply. It is an assistant message of the conversation, with a turn number of its own and no latency waterfall.
     */
    public void announce(String text) {
        if (text == null || text.isBlank()) return;
        synchronized (this) {
            if (closed) return;
            announcements.add(text.strip());
            announcementWaiting = true;
        }
        announceIfFree();
    }

    /** Starts the next waiting announcement when no reply is in progress and the user is not speaking. */
    private void announceIfFree() {
        if (!announcementWaiting) return;
        Turn turn;
        synchronized (this) {
            if (closed || current != null || announcements.isEmpty() || state == TurnState.USER_SPEAKING) return;
            turn = new Turn(++turnCount, null, null, null, new LatencyTrace(clock), null);
            turn.announcement = announcements.poll();
            announcementWaiting = !announcements.isEmpty();
            current = turn;
            setState(TurnState.THINKING);
            emit(new SessionEvent.ReplyStarted(turn.number));
        }
        executor.execute(turn::produce);
        executor.execute(turn::play);
    }

    /**
     * Tells the brain what happened; it must not hold things up. Nothing reaches a closed brain: a reply cut short by
     * the close would otherwise have it schedule follow-ups that hold on to the session.
     */
    private void signal(DialogSignal signal) {
        synchronized (this) {
            if (closed) return;
        }
        try {
            engines.dialog().onSignal(signal);
        } catch (RuntimeException e) {
            log.warn("dialog failed on {}", signal, e);
        }
    }

    private int historyCapacity(SessionConfig c) {
        int keepMs = c.preRollMs() + c.endpoint().minSpeechMs() + 100;
        return keepMs * PIPELINE_RATE / 1000 + 2 * frame.length;
    }

    public synchronized TurnState state() {
        return state;
    }

    /** Audio from the user, at any rate. Not thread-safe: one thread feeds a session. */
    public void accept(PcmAudio chunk) {
        if (chunk.sampleRate() == PIPELINE_RATE) {
            frame(chunk.samples(), chunk.length());
            return;
        }
        if (inputResampler == null || inputResampler.inputRate() != chunk.sampleRate()) {
            inputResampler = new Resampler(chunk.sampleRate(), PIPELINE_RATE);
        }
        short[] converted = inputResampler.process(chunk.samples(), 0, chunk.length());
        frame(converted, converted.length);
    }

    /** Position of the input, in milliseconds of audio (pipeline rate). */
    public long inputPositionMs() {
        return history.end() * 1000 / PIPELINE_RATE;
    }

    /** Waits until no reply is being produced or played; false on timeout. */
    public synchronized boolean awaitIdle(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (current != null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return false;
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** True while the user is speaking or may be starting to. */
    public boolean userSpeaking() {
        return endpointer.inSpeech() || endpointer.maybeSpeech();
    }

    /** The conversation so far, as the user heard it. */
    public synchronized List<Message> conversation() {
        return conversation.stream().map(Entry::message).toList();
    }

    public SessionConfig config() {
        return config;
    }

    /**
     * Changes the settings. Called on the thread that feeds audio. A change of turn detection or of the endpoint
     * settings drops the utterance being heard at that moment.
     */
    public void reconfigure(SessionConfig next) {
        SessionConfig previous = config;
        if (previous.turns().detect() != next.turns().detect() || !previous.endpoint().equals(next.endpoint())) {
            clearInput();
            endpointer = new Endpointer(next.endpoint(), PIPELINE_RATE);
        }
        config = next;
        int capacity = historyCapacity(next);
        if (capacity > historyCapacity(previous)) history = history.resized(capacity);
    }

    /** System instructions given to the dialog before the conversation ("" for none). */
    public synchronized void instructions(String text) {
        instructions = text == null ? "" : text;
    }

    /** Adds a message to the conversation (typed text, a system note) without answering it. */
    public synchronized void addMessage(Message message) {
        conversation.add(new Entry(0, message));
        trimHistory();
    }

    /**
     * Ends the user's turn now, as a client's commit does: with turn detection, the utterance being heard ends here;
     * in push-to-talk, the audio taken since the last commit is the user's turn. Called on the thread that feeds audio.
     *
     * @return the number of the turn committed
     * @throws IllegalStateException when there is nothing to commit (no speech being heard; under 100 ms of audio)
     */
    public int commit() {
        if (!config.turns().detect()) {
            if (frameFill > 0) { // the last, partial frame: the user stopped talking there
                if (stt == null) startPushToTalkTurn(); // less than a frame since the last commit: it is a turn too
                history.append(frame, 0, frameFill);
                bufferedSamples += frameFill;
                feedStt(frame, frameFill);
                frameFill = 0;
            }
            if (stt == null || bufferedSamples * 1000 < 100L * PIPELINE_RATE) {
                throw new IllegalStateException("input audio buffer is empty: a commit needs at least 100 ms of audio, it has "
                        + (stt == null ? 0 : bufferedSamples * 1000 / PIPELINE_RATE) + " ms");
            }
            long end = history.end();
            bufferedSamples = 0;
            endTurn(new Endpointer.Event.SpeechEnded(end, end, end, true), false);
            return inputTurn;
        }
        if (stt != null && endpointer.endNow() instanceof Endpointer.Event.SpeechEnded e) {
            endTurn(e, true);
            return inputTurn;
        }
        throw new IllegalStateException("input audio buffer is empty: no speech is being heard");
    }

    /** Drops the audio taken and not yet committed. Called on the thread that feeds audio. */
    public void clearInput() {
        history.append(frame, 0, frameFill); // dropped, yet heard: later input positions still count it
        frameFill = 0;
        bufferedSamples = 0;
        if (stt != null) stt.close();
        stt = null;
        lastPartial = "";
        endpointer.reset();
        dropSpeculation();
        carryOver = null;
        synchronized (this) {
            if (state == TurnState.USER_SPEAKING) setState(TurnState.LISTENING);
        }
    }

    /**
     * Starts a reply to the conversation as it stands (after {@link #addMessage} or a commit without an automatic
     * reply). Waits for committed speech to be transcribed first.
     *
     * @return the number of the reply's turn
     * @throws IllegalStateException when a reply is already in progress
     */
    public int respond() {
        Turn turn;
        synchronized (this) {
            if (closed) throw new IllegalStateException("the session is closed");
            if (current != null) throw new IllegalStateException("a reply is already in progress");
            LatencyTrace trace = new LatencyTrace(clock);
            trace.endpoint(0);
            turn = new Turn(++turnCount, null, null, null, trace, null);
            turn.fromConversation = true;
            current = turn;
            setState(TurnState.THINKING);
            emit(new SessionEvent.ReplyStarted(turn.number));
        }
        executor.execute(turn::produce);
        executor.execute(turn::play);
        return turn.number;
    }

    /** Stops the reply in progress, as a barge-in would; false when there is none. */
    public boolean cancelReply() {
        Turn t;
        synchronized (this) {
            t = current;
            if (t == null || t.cancelled) return false;
            t.keepUserText = true;
        }
        if (!interrupt(t)) return false;
        synchronized (this) {
            if (state == TurnState.INTERRUPTED && !userSpeaking()) setState(TurnState.LISTENING);
        }
        return true;
    }

    /**
     * Keeps, of the reply of {@code turn}, only what the user heard: {@code heardText} replaces its text in the
     * conversation (an empty text removes it).
     *
     * @return false when the conversation holds no reply of that turn
     */
    public synchronized boolean truncateReply(int turn, String heardText) {
        if (current != null && current.number == turn) {
            current.truncatedTo = heardText;
            return true;
        }
        for (int i = conversation.size() - 1; i >= 0; i--) {
            Entry e = conversation.get(i);
            if (e.turn() == turn && e.message().role() == Message.Role.ASSISTANT) {
                if (heardText.isBlank()) conversation.remove(i);
                else conversation.set(i, new Entry(turn, Message.assistant(heardText)));
                return true;
            }
        }
        return false;
    }

    private void trimHistory() {
        // callers hold this
        while (conversation.size() > MAX_HISTORY) conversation.removeFirst();
    }

    /** The messages the dialog sees: the instructions, then the conversation. */
    private synchronized List<Message> dialogHistory(List<Message> messages) {
        if (instructions.isBlank()) return messages;
        List<Message> h = new ArrayList<>(messages.size() + 1);
        h.add(new Message(Message.Role.SYSTEM, instructions));
        h.addAll(messages);
        return h;
    }

    @Override
    public void close() {
        Turn t;
        synchronized (this) {
            if (closed) return;
            closed = true;
            t = current;
        }
        if (t != null) t.cancel();
        dropSpeculation();
        if (stt != null) stt.close();
        engines.vad().close();
        synchronized (this) {
            announcements.clear();
        }
        try {
            engines.dialog().close();
        } catch (RuntimeException e) {
            log.warn("closing the dialog failed", e);
        }
    }

    private void frame(short[] samples, int length) {
        int i = 0;
        while (i < length) {
            int n = Math.min(frame.length - frameFill, length - i);
            System.arraycopy(samples, i, frame, frameFill, n);
            frameFill += n;
            i += n;
            if (frameFill == frame.length) {
                onFrame(frame);
                frameFill = 0;
            }
        }
    }

    private void onFrame(short[] f) {
        if (!config.turns().detect()) { // push-to-talk: everything until the commit is the user's turn
            history.append(f, 0, f.length);
            if (stt == null) startPushToTalkTurn();
            bufferedSamples += f.length;
            feedStt(f, f.length);
            return;
        }
        float p = engines.vad().speechProbability(f);
        history.append(f, 0, f.length);
        long frameEnd = history.end();
        Endpointer.Event event = endpointer.onFrame(p, rms(f), frameEnd, f.length);
        checkBargeIn(p, f.length);
        switch (event) {
            case Endpointer.Event.SpeechStarted s -> userStarted(s);
            case null -> {
                feedStt(f, f.length);
                // the provider heard the end of the utterance and the VAD hears a pause: no need to wait out the silence
                if (stt != null && endpointer.pausing() && stt.endOfTurn()
                        && endpointer.endNow() instanceof Endpointer.Event.SpeechEnded e) {
                    endTurn(e, true);
                    return;
                }
                speculate(frameEnd);
            }
            case Endpointer.Event.SpeechEnded e -> {
                feedStt(f, f.length);
                endTurn(e, true);
            }
        }
        if (event == null && !userSpeaking()) {
            synchronized (this) {
                if (state == TurnState.INTERRUPTED) setState(TurnState.LISTENING);
            }
            announceIfFree();
        }
    }

    /** Push-to-talk: the first audio since the last commit or clear begins the user's next turn. */
    private void startPushToTalkTurn() {
        synchronized (this) {
            inputTurn = ++turnCount;
        }
        stt = new Heard(engines.stt());
        lastPartial = "";
        signal(new DialogSignal.UserSpeechStarted());
    }

    private static double rms(short[] f) {
        double sum = 0;
        for (short s : f) sum += (double) s * s;
        return Math.sqrt(sum / f.length);
    }

    private void checkBargeIn(float p, int frameLength) {
        if (!config.turns().interrupt()) return;
        bargeInRun = p >= config.endpoint().threshold() ? bargeInRun + frameLength : 0;
        if (bargeInRun * 1000L < (long) config.bargeInMs() * PIPELINE_RATE) return;
        Turn t;
        synchronized (this) {
            t = current;
            if (t == null || !t.trace.audioStarted() || t.cancelled) return;
        }
        interrupt(t);
    }

    private void userStarted(Endpointer.Event.SpeechStarted s) {
        dropSpeculation();
        Turn replying;
        synchronized (this) {
            replying = current;
        }
        if (replying != null && !replying.cancelled && config.turns().interrupt()) {
            // The user resumed before hearing anything: what they say next continues the same utterance. Not after a
            // reply on request: its user words are in the conversation already, and it has no transcript to carry.
            boolean unheard = !replying.trace.audioStarted() && !replying.fromConversation;
            if (interrupt(replying) && unheard) carryOver = replying;
        }
        int turn;
        synchronized (this) {
            turn = ++turnCount;
            inputTurn = turn;
            setState(TurnState.USER_SPEAKING);
        }
        emit(new SessionEvent.SpeechStarted(turn, s.startSample() * 1000 / PIPELINE_RATE));
        signal(new DialogSignal.UserSpeechStarted());
        if (stt != null) stt.close();
        stt = new Heard(engines.stt());
        lastPartial = "";
        short[] preRoll = history.since(s.startSample() - (long) config.preRollMs() * PIPELINE_RATE / 1000);
        feedStt(preRoll, preRoll.length);
    }

    private void feedStt(short[] samples, int length) {
        if (stt == null) return;
        String partial;
        try {
            partial = stt.accept(samples, 0, length);
        } catch (RuntimeException e) {
            log.warn("STT failed on audio", e);
            emit(new SessionEvent.Error(inputTurn, "stt", "speech recognition failed: " + e.getMessage()));
            stt.close();
            stt = null;
            return;
        }
        if (!partial.isEmpty() && !partial.equals(lastPartial)) {
            lastPartial = partial;
            emit(new SessionEvent.PartialTranscript(inputTurn, heardSoFar()));
        }
    }

    /** What the user has said in this turn so far: words carried over from a cancelled turn, then the partial. */
    private String heardSoFar() {
        return carryOver == null ? lastPartial : carryOver.userTextPrefix() + lastPartial;
    }

    /** Prepares the reply to the partial transcript once the user has paused long enough; drops it if they go on. */
    private void speculate(long frameEnd) {
        long pausedSince = endpointer.pausedSince();
        if (pausedSince < 0) {
            dropSpeculation();
            return;
        }
        if (speculation != null || stt == null || config.speculateMs() == 0 || lastPartial.isEmpty() || !config.turns().respond()) return;
        if ((frameEnd - pausedSince) * 1000 < (long) config.speculateMs() * PIPELINE_RATE) return;
        synchronized (this) {
            if (closed || current != null) return;
        }
        speculation = new Turn(inputTurn, null, null, carryOver, new LatencyTrace(clock), heardSoFar());
        executor.execute(speculation::produce);
        executor.execute(speculation::play);
    }

    private void dropSpeculation() {
        if (speculation == null) return;
        speculation.cancel();
        speculation.go.complete(false);
        speculation = null;
    }

    /**
     * The user's turn is over (the endpointer decided, or the client committed): the reply starts, or, when replies
     * wait for {@link #respond()}, the utterance is transcribed into the conversation.
     */
    private void endTurn(Endpointer.Event.SpeechEnded e, boolean heardByVad) {
        boolean replying;
        synchronized (this) {
            replying = current != null && !current.cancelled;
        }
        // A reply still playing (no barge-in, or a commit over it) is not talked over by a second one: the new turn
        // is transcribed into the conversation and answered when the client asks.
        if (!config.turns().respond() || replying) {
            transcribeOnly(e, heardByVad);
            return;
        }
        RecognitionStream utterance = stt;
        stt = null;
        Turn speculative = speculation;
        speculation = null;
        String heardSoFar = heardSoFar();
        Turn turn;
        synchronized (this) {
            if (closed || utterance == null) {
                if (speculative != null) speculative.go.complete(false);
                return;
            }
            if (speculative != null && speculative.speculativeText.equals(heardSoFar)) {
                turn = speculative;
                turn.utterance = utterance;
            } else {
                if (speculative != null) {
                    speculative.cancel();
                    speculative.go.complete(false);
                }
                turn = new Turn(inputTurn, utterance, null, carryOver, new LatencyTrace(clock), null);
            }
            turn.trace.endpoint((e.decidedSample() - e.endSample()) * 1_000_000_000L / PIPELINE_RATE);
            carryOver = null;
            current = turn;
            setState(TurnState.THINKING);
        }
        if (heardByVad) emit(new SessionEvent.SpeechStopped(turn.number, e.endSample() * 1000 / PIPELINE_RATE));
        emit(new SessionEvent.InputCommitted(turn.number));
        emit(new SessionEvent.ReplyStarted(turn.number));
        if (turn == speculative) {
            executor.execute(turn::verify);
        } else {
            executor.execute(turn::produce);
            executor.execute(turn::play);
        }
    }

    private void transcribeOnly(Endpointer.Event.SpeechEnded e, boolean heardByVad) {
        RecognitionStream utterance = stt;
        stt = null;
        dropSpeculation();
        if (utterance == null) return;
        int turn = inputTurn;
        Turn carried = carryOver;
        carryOver = null;
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture<Void> earlier;
        synchronized (this) {
            if (closed) {
                utterance.close();
                return;
            }
            earlier = pendingInput;
            pendingInput = CompletableFuture.allOf(pendingInput, done);
            if (state == TurnState.USER_SPEAKING) setState(TurnState.LISTENING);
        }
        if (heardByVad) emit(new SessionEvent.SpeechStopped(turn, e.endSample() * 1000 / PIPELINE_RATE));
        emit(new SessionEvent.InputCommitted(turn));
        executor.execute(() -> {
            try {
                Transcript said = finishUtterance(turn, utterance, carried);
                earlier.join(); // utterances committed before this one are filed first, in the order they were said
                emit(new SessionEvent.FinalTranscript(turn, said));
                synchronized (this) {
                    if (!said.isEmpty()) {
                        conversation.add(new Entry(turn, Message.user(said.text())));
                        trimHistory();
                    }
                }
            } finally {
                done.complete(null);
            }
            announceIfFree();
        });
    }

    /** Finishes recognising an utterance (after any words carried over from a cancelled turn) and reports it. */
    private Transcript finishUtterance(int turn, RecognitionStream utterance, Turn carried) {
        Transcript said;
        try {
            said = utterance.finish();
            if (utterance instanceof Heard h) {
                for (Failover f : h.log.failovers()) emit(new SessionEvent.ProviderFailedOver(turn, f));
            }
        } catch (RuntimeException ex) {
            log.warn("STT failed to finish", ex);
            emit(new SessionEvent.Error(turn, "stt", "speech recognition failed: " + ex.getMessage()));
            said = new Transcript("", 0);
        } finally {
            utterance.close();
        }
        if (carried != null) {
            Transcript before = carried.transcript.join();
            if (!before.isEmpty()) {
                said = new Transcript((before.text() + " " + said.text()).strip(),
                        Math.min(before.confidence(), said.isEmpty() ? 1 : said.confidence()));
            }
        }
        return said;
    }

    /** Starts a turn whose transcript is already known (after a speculation turned out wrong). */
    private void replace(Turn wrong, Transcript said) {
        Turn turn;
        synchronized (this) {
            if (closed || current != wrong) return;
            turn = new Turn(wrong.number, null, said, null, wrong.trace.retry(), null);
            current = turn;
        }
        executor.execute(turn::produce);
        executor.execute(turn::play);
    }

    /** Stops a turn and reports it; false when the turn had finished on its own meanwhile. */
    private boolean interrupt(Turn t) {
        synchronized (this) {
            if (t.finished.get()) return false;
            // marked before its tasks are woken (below), so its player cannot finish it ahead of this report
            t.cancelled = true;
            if (current == t) {
                current = null;
                notifyAll();
            }
            setState(TurnState.INTERRUPTED);
            emit(new SessionEvent.Interrupted(t.number));
            // reported now, in order, not whenever its player wakes up: what the user heard is known already
            t.finish();
        }
        t.cancel();
        return true;
    }

    private void setState(TurnState next) {
        // callers hold this
        if (state == next) return;
        TurnState previous = state;
        state = next;
        emit(new SessionEvent.StateChanged(previous, next));
    }

    /** Events go out one at a time, under the session's monitor, so they are ordered with the state changes. */
    private void emit(SessionEvent event) {
        synchronized (this) {
            try {
                listener.on(event);
            } catch (RuntimeException e) {
                log.warn("session listener failed on {}", event.getClass().getSimpleName(), e);
            }
        }
    }

    /** Marks a phrase whose audio follows in the queue. */
    private record PhraseStart(String text) {}

    /** One reply: produced and played on the executor, cancellable from the input thread. */
    private final class Turn {
        final int number;
        /** The utterance to finish for the transcript (set at the endpoint for a speculative turn). */
        volatile RecognitionStream utterance;
        /** Fallbacks that took over while this turn was heard: the reply begins with their apology. */
        final List<Failover> apologies = new java.util.concurrent.CopyOnWriteArrayList<>();
        /** Where the engines producing this reply report their providers. */
        final ProviderEvents providers = new ProviderEvents() {
            @Override
            public void timing(ProviderTiming timing) {
                trace.provider(timing);
            }

            @Override
            public void failover(Failover failover) {
                emit(new SessionEvent.ProviderFailedOver(number, failover));
            }
        };
        /** A transcript already known, or null. */
        final Transcript known;
        final Turn carried;
        final LatencyTrace trace;
        /** Non-null for a reply prepared on a partial transcript before the endpoint. */
        final String speculativeText;
        /** Whether the player may play: at once for an ordinary turn, at the endpoint for a speculative one. */
        final CompletableFuture<Boolean> go = new CompletableFuture<>();
        final CompletableFuture<Transcript> transcript = new CompletableFuture<>();
        final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        final List<String> heard = java.util.Collections.synchronizedList(new ArrayList<>());
        final java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();
        final CompletableFuture<Void> produced = new CompletableFuture<>();
        volatile boolean cancelled;
        volatile TextStream reply;
        volatile String userText = "";
        /** A reply to the conversation as it stands (respond()): its user message is already in the conversation. */
        volatile boolean fromConversation;
        /** Non-null for words the brain says unprompted (see {@link #announce}): no user turn, no dialog call. */
        volatile String announcement;
        /** Stopped by the client (not by speech over it): the user's words stay in the conversation. */
        volatile boolean keepUserText;
        /** What the user heard of this reply, when the client said so before the turn was over. */
        volatile String truncatedTo;
        /**
         * The last entry of the conversation this reply answers (null: it was empty), once {@link #answering()} took it:
         * the turn's messages go in right after it, before anything added while the reply was produced and played.
         */
        private Entry answers;
        private boolean answered; // guarded by VoiceSession.this, as answers

        Turn(int number, RecognitionStream utterance, Transcript known, Turn carried, LatencyTrace trace, String speculativeText) {
            this.number = number;
            this.utterance = utterance;
            this.known = known;
            this.carried = carried;
            this.trace = trace;
            this.speculativeText = speculativeText;
            if (speculativeText == null) go.complete(true);
        }

        String userTextPrefix() {
            Transcript t = transcript.getNow(null);
            return t == null || t.isEmpty() ? "" : t.text() + " ";
        }

        void cancel() {
            cancelled = true;
            TextStream r = reply;
            if (r != null) r.close();
            if (go.getNow(false)) sink.interrupt(); // a speculation never committed has played nothing
            queue.add(END);
        }

        void produce() {
            Resampler toSink = engines.tts().sampleRate() == sink.sampleRate() ? null
                    : new Resampler(engines.tts().sampleRate(), sink.sampleRate());
            try {
                Transcript said;
                List<Message> history;
                if (announcement != null) {
                    said = new Transcript("", 1.0);
                    history = List.of();
                } else if (fromConversation) {
                    CompletableFuture<Void> transcribing;
                    synchronized (VoiceSession.this) {
                        transcribing = pendingInput;
                    }
                    transcribing.join();
                    trace.finalTranscript();
                    List<Message> messages = answering();
                    boolean lastIsUser = !messages.isEmpty() && messages.getLast().role() == Message.Role.USER;
                    said = new Transcript(lastIsUser ? messages.getLast().text() : "", 1.0);
                    history = lastIsUser ? messages.subList(0, messages.size() - 1) : messages;
                } else {
                    said = speculativeText != null ? new Transcript(speculativeText, 1.0) : recognise();
                    history = answering();
                }
                userText = said.text();
                if (cancelled) return;
                for (Failover f : apologies) speak(f.apology(), toSink);
                producing = this;
                TextStream stream = announcement != null ? TextStream.of(announcement)
                        : engines.dialog().respond(dialogHistory(history), said);
                reply = stream;
                if (cancelled) stream.close();
                SentenceChunker chunker = new SentenceChunker(config.chunking());
                try (stream) {
                    for (String piece; !cancelled && (piece = stream.next()) != null; ) {
                        trace.firstToken();
                        for (String phrase : chunker.add(piece)) speak(phrase, toSink);
                    }
                } catch (DialogException | RuntimeException e) {
                    if (cancelled) return;
                    log.warn("dialog failed", e);
                    emit(new SessionEvent.Error(number, "dialog", e.getMessage()));
                    chunker.reset();
                    speak("Sorry, something went wrong while I was thinking about that.", toSink);
                }
                if (!cancelled) for (String phrase : chunker.flush()) speak(phrase, toSink);
                if (toSink != null && !cancelled) {
                    short[] tail = toSink.flush();
                    if (tail.length > 0) queue.add(new PcmAudio(tail, sink.sampleRate()));
                }
            } catch (TtsException | RuntimeException e) {
                if (!cancelled) {
                    log.warn("speech synthesis failed", e);
                    emit(new SessionEvent.Error(number, "tts", e.getMessage()));
                }
            } finally {
                queue.add(END);
                produced.complete(null);
            }
        }

        /**
         * For a speculative turn at the endpoint: the prepared reply plays only if the final transcript says what it
         * was prepared for, so a reply to words the user did not say is never heard.
         */
        void verify() {
            Transcript said = recognise();
            if (said.text().equals(speculativeText)) {
                go.complete(true);
                return;
            }
            log.debug("speculation on \"{}\" missed: final transcript is \"{}\"", speculativeText, said.text());
            cancel();
            go.complete(false);
            replace(this, said);
        }

        /** The conversation this reply answers, noting where it ends for {@link #finish()}. */
        private List<Message> answering() {
            synchronized (VoiceSession.this) {
                answered = true;
                answers = conversation.isEmpty() ? null : conversation.getLast();
                return conversation();
            }
        }

        /** Where this turn's messages go: after the conversation it answered (at the end if that is not known). */
        private int place() {
            // callers hold VoiceSession.this
            if (!answered) return conversation.size();
            if (answers == null) return 0;
            for (int i = conversation.size() - 1; i >= 0; i--) {
                if (conversation.get(i) == answers) return i + 1;
            }
            return conversation.size(); // trimmed away meanwhile
        }

        private Transcript recognise() {
            if (known != null) { // already recognised (and reported) by the speculation it replaces
                transcript.complete(known);
                trace.finalTranscript();
                return known;
            }
            Transcript said = finishUtterance(number, utterance, carried);
            if (utterance instanceof Heard h) {
                h.log.timings().forEach(trace::provider);
                apologies.addAll(h.log.failovers());
            }
            transcript.complete(said);
            trace.finalTranscript();
            emit(new SessionEvent.FinalTranscript(number, said));
            return said;
        }

        private void speak(String phrase, Resampler toSink) throws TtsException {
            if (cancelled) return;
            trace.firstPhrase();
            queue.add(new PhraseStart(phrase));
            double rate = voice.rate();
            // at another speed, the phrase is stretched as a whole (so its frames line up across chunk boundaries)
            List<PcmAudio> whole = rate == 1.0 ? null : new ArrayList<>();
            engines.tts().synthesize(phrase, audio -> {
                if (cancelled || audio.isEmpty()) return;
                trace.firstTtsAudio();
                if (whole != null) whole.add(audio);
                else out(audio, toSink);
            }, () -> cancelled, providers);
            if (whole == null || whole.isEmpty() || cancelled) return;
            PcmAudio stretched = TimeStretch.stretch(PcmAudio.concat(whole), rate);
            int chunk = stretched.sampleRate() / 10;
            for (int i = 0; i < stretched.length() && !cancelled; i += chunk) {
                out(stretched.slice(i, Math.min(stretched.length(), i + chunk)), toSink);
            }
        }

        private void out(PcmAudio audio, Resampler toSink) {
            PcmAudio out = toSink == null ? audio : toSink.process(audio);
            if (!out.isEmpty()) queue.add(out);
        }

        void play() {
            if (!go.join()) {
                produced.join();
                return; // a speculation nobody needed: it never happened
            }
            try {
                while (!cancelled) {
                    Object item = queue.take();
                    if (item == END || cancelled) break;
                    if (item instanceof PhraseStart p) {
                        heard.add(p.text());
                        emit(new SessionEvent.ReplyPhrase(number, p.text()));
                    } else if (item instanceof PcmAudio audio) {
                        // The reply is out once it is handed to the output; a sink may block in write to keep pace.
                        if (trace.firstAudioOut()) {
                            synchronized (VoiceSession.this) {
                                if (current == this) setState(TurnState.SPEAKING);
                            }
                            emit(new SessionEvent.ReplyAudioStarted(number, trace.waterfall().orElse(null)));
                        }
                        sink.write(voice.applyVolume(audio));
                    }
                }
                if (!cancelled) sink.drain();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.warn("audio output failed", e);
                emit(new SessionEvent.Error(number, "output", "audio output failed: " + e.getMessage()));
            }
            produced.join();
            finish();
            announceIfFree();
        }

        /** Records the turn in the conversation and reports it; only the first call counts. */
        void finish() {
            if (!finished.compareAndSet(false, true)) return;
            String spoken;
            synchronized (heard) {
                spoken = String.join(" ", heard);
            }
            synchronized (VoiceSession.this) {
                // A turn cancelled before the user heard anything carries its words into the next turn instead.
                boolean heardSomething = !spoken.isEmpty();
                String kept = truncatedTo != null ? truncatedTo : spoken;
                int at = place();
                if (fromConversation || announcement != null) {
                    if (!kept.isBlank()) conversation.add(at, new Entry(number, Message.assistant(kept)));
                } else if ((!cancelled || heardSomething || keepUserText) && (!userText.isEmpty() || heardSomething)) {
                    conversation.add(at, new Entry(number, Message.user(userText)));
                    if (!kept.isBlank()) conversation.add(at + 1, new Entry(number, Message.assistant(kept)));
                } else if (keepUserText && speculativeText == null && known == null && !transcript.isDone()) {
                    // cancelled by the client while the words were still being recognised: they join the
                    // conversation when they are
                    transcript.thenAccept(t -> {
                        if (t.isEmpty()) return;
                        synchronized (VoiceSession.this) {
                            conversation.add(new Entry(number, Message.user(t.text())));
                            trimHistory();
                        }
                    });
                }
                trimHistory();
                if (current == this) {
                    current = null;
                    setState(TurnState.LISTENING);
                    VoiceSession.this.notifyAll();
                }
                // under the same lock, so awaitIdle() returns only once the turn is reported
                emit(new SessionEvent.TurnCompleted(number, userText, spoken, trace.waterfall().orElse(null), cancelled));
                if (go.getNow(false)) signal(new DialogSignal.ReplyPlayed(kept, cancelled));
            }
        }
    }
}

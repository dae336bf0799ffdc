package dev.parley.session;

import dev.parley.audio.AudioSink;
import dev.parley.audio.PcmAudio;
import dev.parley.dialog.Conversation;
import dev.parley.dialog.Dialog;
import dev.parley.dialog.DialogSignal;
import dev.parley.dialog.Message;
import dev.parley.latency.LatencyTrace;
import dev.parley.reply.Reply;
import dev.parley.reply.ReplyVoice;
import dev.parley.stt.SpeechRecognizer;
import dev.parley.stt.Transcript;
import dev.parley.stt.Utterance;
import dev.parley.tts.SpeechSynthesizer;
import dev.parley.turn.Endpointer;
import dev.parley.turn.TurnCompletion;
import dev.parley.turn.TurnState;
import dev.parley.vad.VoiceActivityDetector;
import dev.parley.wake.WakeDetector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import static dev.parley.audio.PcmAudio.PIPELINE_RATE;

/**
 * One conversation: audio in, turns taken, replies out. This class coordinates the stages; each does one job:
 * {@link Framer} (any rate in, VAD frames out), the VAD, {@link WakeGate}, {@link Endpointer} with a
 * {@link TurnCompletion} judge (where the user's turn ends), {@link BargeIn} (speech over a reply), {@link Utterance}
 * (STT, with words carried over), {@link Reply} (dialog → chunker → TTS → output, cancellable), {@link Conversation}
 * (what was said and heard), {@link Speculation} and {@link Announcements}.
 *
 * <p>Two threading rules. Audio is pushed with {@link #accept(PcmAudio)} by one thread (the microphone, a file reader,
 * a socket), which also calls {@link #commit}, {@link #clearInput} and {@link #reconfigure}: the input side is that
 * thread's alone. The replies run on the {@code executor}; what they share with the input side (the state, the reply
 * in progress, the turn count) is guarded by this object's monitor, and events are emitted under it, in order.
 *
 * <p>How turns are taken is {@link Hearing}'s and {@link HeardTurns}' business (the README's "How Parley decides that
 * a turn has ended").
 */
public final class VoiceSession implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VoiceSession.class);

    /**
     * The engines a session uses: the VAD its own (it carries state), the rest maybe shared. {@code completion} judges
     * whether words are a finished utterance ({@link SessionConfig.TurnDetection}); {@code wake} hears wake phrases.
     */
    public record Engines(VoiceActivityDetector vad, SpeechRecognizer stt, Dialog dialog, SpeechSynthesizer tts,
                          TurnCompletion completion, WakeDetector wake) {
        public Engines {
            for (Object e : new Object[]{vad, stt, dialog, tts, completion, wake}) Objects.requireNonNull(e, "an engine is missing");
        }

        /** Engines without a wake-word detector. */
        public Engines(VoiceActivityDetector vad, SpeechRecognizer stt, Dialog dialog, SpeechSynthesizer tts,
                       TurnCompletion completion) {
            this(vad, stt, dialog, tts, completion, WakeDetector.NONE);
        }

        /** Engines with the default judge of finished utterances. */
        public Engines(VoiceActivityDetector vad, SpeechRecognizer stt, Dialog dialog, SpeechSynthesizer tts) {
            this(vad, stt, dialog, tts, TurnCompletion.SILENCE);
        }
    }

    private final Engines engines;
    private final AudioSink sink;
    private volatile SessionConfig config;
    private final SessionListener listener;
    private final LongSupplier clock;
    private final Executor executor;
    private final ReplyVoice voice = new ReplyVoice();
    private final Conversation conversation = new Conversation();
    private final Announcements announcements = new Announcements();
    private final ReplyHost host = new ReplyHost(this);
    /** The input side: touched only by the thread that feeds audio. */
    private final Hearing hearing;
    private final HeardTurns turns;

    // Shared between the input thread and the reply tasks: guarded by this.
    private TurnState state = TurnState.LISTENING;
    private Reply current;
    private int turnCount;
    /** The last key of a message added from outside (they count down from -1). */
    private int typed;
    private String instructions = "";
    /** Completes when every committed utterance that is not answered by itself has been transcribed. */
    private CompletableFuture<Void> pendingInput = CompletableFuture.completedFuture(null);
    private boolean closed;
    /** The reply being produced: where its brain's provider reports go. */
    volatile Reply producing;

    public VoiceSession(Engines engines, AudioSink sink, SessionConfig config, SessionListener listener,
                        LongSupplier clock, Executor executor) {
        this.engines = engines;
        this.sink = sink;
        this.config = config;
        this.listener = listener;
        this.clock = clock;
        this.executor = executor;
        this.turns = new HeardTurns(this);
        this.hearing = new Hearing(engines.vad(), engines.stt(), engines.completion(), engines.wake(), config, turns);
        engines.dialog().attach(new SessionDialogContext(this, voice));
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
        }
        announceIfFree();
    }

    /** Starts the next waiting announcement when no reply is in progress and the user is not speaking. */
    void announceIfFree() {
        if (!announcements.waiting()) return;
        Reply reply;
        synchronized (this) {
            if (closed || current != null || announcements.isEmpty() || state == TurnState.USER_SPEAKING) return;
            reply = Reply.announcement(++turnCount, announcements.next(), setup(), host, new LatencyTrace(clock));
            current = reply;
            setState(TurnState.THINKING);
            emit(new SessionEvent.ReplyStarted(reply.number()));
        }
        reply.start(executor);
    }

    /**
     * Tells the brain what happened; it must not hold things up. Nothing reaches a closed brain: a reply cut short by
     * the close would otherwise have it schedule follow-ups that hold on to the session.
     */
    void signal(DialogSignal signal) {
        synchronized (this) {
            if (closed) return;
        }
        try {
            engines.dialog().onSignal(signal);
        } catch (RuntimeException e) {
            log.warn("dialog failed on {}", signal, e);
        }
    }

    public synchronized TurnState state() {
        return state;
    }

    /** Audio from the user, at any rate. Not thread-safe: one thread feeds a session. */
    public void accept(PcmAudio chunk) {
        hearing.accept(chunk);
    }

    /** Position of the input, in milliseconds of audio (pipeline rate). */
    public long inputPositionMs() {
        return hearing.position() * 1000 / PIPELINE_RATE;
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
        return hearing.userSpeaking();
    }

    /** The conversation so far, as the user heard it. */
    public List<Message> conversation() {
        return conversation.messages();
    }

    public SessionConfig config() {
        return config;
    }

    /**
     * Changes the settings, on the thread that feeds audio; a change in how speech is heard drops the utterance being
     * heard ({@link SessionConfig#hearsDifferently}). Wake phrases the detector cannot hear throw
     * {@link IllegalArgumentException}, and nothing changes.
     */
    public void reconfigure(SessionConfig next) {
        SessionConfig previous = config;
        hearing.reconfigure(next); // first: it may refuse the wake phrases
        config = next;
        if (previous.hearsDifferently(next)) inputCleared();
    }

    /** System instructions given to the dialog before the conversation ("" for none). */
    public synchronized void instructions(String text) {
        instructions = text == null ? "" : text;
    }

    /** Adds a message to the conversation (typed text, a system note) without answering it; its key deletes it. */
    public synchronized int addMessage(Message message) {
        conversation.add(--typed, message);
        return typed;
    }

    /** Removes the {@code role} messages of {@code turn} (a turn's number, or {@link #addMessage}'s key). */
    public boolean deleteMessages(int turn, Message.Role role) {
        return conversation.remove(turn, role);
    }

    /**
     * Ends the user's turn now, as a client's commit does: with turn detection, the utterance being heard ends here;
     * in push-to-talk, the audio taken since the last commit is the user's turn. Called on the thread that feeds audio.
     *
     * @return the number of the turn committed
     * @throws IllegalStateException when there is nothing to commit (no speech being heard; under 100 ms of audio)
     */
    public int commit() {
        return hearing.commit();
    }

    /** Drops the audio taken and not yet committed. Called on the thread that feeds audio. */
    public void clearInput() {
        hearing.clear();
        inputCleared();
    }

    private void inputCleared() {
        turns.forgetCarried();
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
        Reply reply;
        synchronized (this) {
            if (closed) throw new IllegalStateException("the session is closed");
            if (current != null) throw new IllegalStateException("a reply is already in progress");
            LatencyTrace trace = new LatencyTrace(clock);
            trace.endpoint(0);
            reply = Reply.toConversation(++turnCount, setup(), host, trace);
            current = reply;
            setState(TurnState.THINKING);
            emit(new SessionEvent.ReplyStarted(reply.number()));
        }
        reply.start(executor);
        return reply.number();
    }

    /** Stops the reply in progress, as a barge-in would; false when there is none. */
    public boolean cancelReply() {
        Reply r;
        synchronized (this) {
            r = current;
            if (r == null || r.cancelled()) return false;
            r.keepUserText();
        }
        if (!interrupt(r)) return false;
        synchronized (this) {
            if (state == TurnState.INTERRUPTED && !userSpeaking()) setState(TurnState.LISTENING);
        }
        return true;
    }

    /** Keeps of the reply of {@code turn} only {@code heardText} (empty: removes it); false when there is none. */
    public synchronized boolean truncateReply(int turn, String heardText) {
        if (current != null && current.number() == turn) {
            current.truncateTo(heardText);
            return true;
        }
        return conversation.truncate(turn, heardText);
    }

    /** The messages the dialog sees: the instructions, then the conversation. */
    synchronized List<Message> prompt(List<Message> messages) {
        if (instructions.isBlank()) return messages;
        List<Message> h = new ArrayList<>(messages.size() + 1);
        h.add(new Message(Message.Role.SYSTEM, instructions));
        h.addAll(messages);
        return h;
    }

    @Override
    public void close() {
        Reply r;
        synchronized (this) {
            if (closed) return;
            closed = true;
            r = current;
        }
        if (r != null) r.cancel();
        hearing.close();
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

    // ---------------------------------------------------------------- the floor, for HeardTurns and ReplyHost

    synchronized Reply current() {
        return current;
    }

    /** A new turn number; the user now speaks when {@code speaking}. */
    synchronized int newTurn(boolean speaking) {
        if (speaking) setState(TurnState.USER_SPEAKING);
        return ++turnCount;
    }

    /** Gives the floor to {@code reply}; false when the session is closed. */
    synchronized boolean startReply(Reply reply) {
        if (closed) return false;
        current = reply;
        setState(TurnState.THINKING);
        return true;
    }

    /** Whether a reply may be prepared now: the session is open and no reply is in progress. */
    synchronized boolean floorFree() {
        return !closed && current == null;
    }

    /** The reply paused by sound over it goes on; the user turn the sound opened, if any, is dropped. */
    void resumeReply(int droppedTurn) {
        Reply r;
        synchronized (this) {
            r = current;
            if (r == null || r.cancelled() || !r.paused()) r = null;
            else setState(TurnState.SPEAKING);
            emit(new SessionEvent.ReplyResumed(r == null ? 0 : r.number(), droppedTurn));
        }
        if (r != null) r.resume();
    }

    /** A frame without speech went by: a reply stopped by the user is over, and the floor may be free. */
    void quiet() {
        synchronized (this) {
            if (state == TurnState.INTERRUPTED) setState(TurnState.LISTENING);
        }
        announceIfFree();
    }

    LongSupplier clock() {
        return clock;
    }

    Executor executor() {
        return executor;
    }

    ReplyHost host() {
        return host;
    }

    /**
     * Transcribes the user's turn into the conversation without answering it (replies wait for {@link #respond()}, or
     * a reply is still playing), in the order the turns were said.
     */
    void transcribeOnly(Utterance heard, Endpointer.Event.SpeechEnded e, boolean heardByVad) {
        int turn = heard.turn();
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture<Void> earlier;
        synchronized (this) {
            if (closed) {
                heard.close();
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
                Transcript said = heard.finish();
                host.reportRecognised(turn, heard);
                earlier.join(); // utterances committed before this one are filed first, in the order they were said
                synchronized (this) { // in the conversation by the time it is reported
                    if (!said.isEmpty()) conversation.add(turn, Message.user(said.text()));
                    emit(new SessionEvent.FinalTranscript(turn, said));
                }
            } finally {
                done.complete(null);
            }
            announceIfFree();
        });
    }

    /** Waits until every committed utterance is transcribed into the conversation. */
    void awaitInput() {
        CompletableFuture<Void> transcribing;
        synchronized (this) {
            transcribing = pendingInput;
        }
        transcribing.join();
    }

    /** Starts a reply whose transcript is already known (after a speculation turned out wrong). */
    void replace(Reply wrong, Transcript said) {
        Reply reply;
        synchronized (this) {
            if (closed || current != wrong) return;
            reply = Reply.toTranscript(wrong.number(), said, setup(), host, wrong.trace().retry());
            current = reply;
        }
        reply.start(executor);
    }

    /** Stops a reply and reports it; false when it had finished on its own meanwhile. */
    boolean interrupt(Reply r) {
        synchronized (this) {
            if (r.isFinished()) return false;
            // marked before its tasks are woken (below), so its player cannot finish it ahead of this report
            r.markCancelled();
            if (current == r) {
                current = null;
                notifyAll();
            }
            setState(TurnState.INTERRUPTED);
            emit(new SessionEvent.Interrupted(r.number()));
            // reported now, in order, not whenever its player wakes up: what the user heard is known already
            r.finish();
        }
        r.cancel();
        return true;
    }

    /** The first audio of a reply goes out. */
    synchronized void audioStarted(Reply r) {
        if (current == r) setState(TurnState.SPEAKING);
        emit(new SessionEvent.ReplyAudioStarted(r.number(), r.trace().waterfall().orElse(null)));
    }

    /** A reply is over: it goes into the conversation, the floor is free, and it is reported. */
    synchronized void finished(Reply r, String spoken, String kept) {
        r.record(conversation, spoken, kept);
        if (current == r) {
            current = null;
            setState(TurnState.LISTENING);
            notifyAll();
        }
        // under the same lock, so awaitIdle() returns only once the turn is reported
        emit(new SessionEvent.TurnCompleted(r.number(), r.userText(), spoken, r.trace().waterfall().orElse(null), r.cancelled()));
        if (r.released()) signal(new DialogSignal.ReplyPlayed(kept, r.cancelled()));
    }

    Conversation conversationLog() {
        return conversation;
    }

    Reply.Setup setup() {
        return new Reply.Setup(engines.dialog(), engines.tts(), sink, voice, config.chunking(), config.firstAudioMs());
    }

    private void setState(TurnState next) {
        // callers hold this
        if (state == next) return;
        TurnState previous = state;
        state = next;
        emit(new SessionEvent.StateChanged(previous, next));
    }

    /** Events go out one at a time, under the session's monitor, so they are ordered with the state changes. */
    void emit(SessionEvent event) {
        synchronized (this) {
            try {
                listener.on(event);
            } catch (RuntimeException e) {
                log.warn("session listener failed on {}", event.getClass().getSimpleName(), e);
            }
        }
    }
}

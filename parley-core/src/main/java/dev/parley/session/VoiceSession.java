package dev.parley.session;

import dev.parley.audio.AudioSink;
import dev.parley.audio.PcmAudio;
import dev.parley.audio.Resampler;
import dev.parley.audio.SampleHistory;
import dev.parley.dialog.Dialog;
import dev.parley.dialog.DialogException;
import dev.parley.dialog.Message;
import dev.parley.dialog.TextStream;
import dev.parley.latency.LatencyTrace;
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
 */
public final class VoiceSession implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VoiceSession.class);
    private static final int MAX_HISTORY = 40;
    private static final Object END = new Object();

    /** The engines a session uses. The VAD is the session's own (it carries state); the rest may be shared. */
    public record Engines(VoiceActivityDetector vad, SpeechRecognizer stt, Dialog dialog, SpeechSynthesizer tts) {
        public Engines {
            Objects.requireNonNull(vad, "vad");
            Objects.requireNonNull(stt, "stt");
            Objects.requireNonNull(dialog, "dialog");
            Objects.requireNonNull(tts, "tts");
        }
    }

    private final Engines engines;
    private final AudioSink sink;
    private final SessionConfig config;
    private final SessionListener listener;
    private final LongSupplier clock;
    private final Executor executor;

    // Input side: touched only by the thread calling accept().
    private final Endpointer endpointer;
    private final SampleHistory history;
    private final short[] frame;
    private int frameFill;
    private Resampler inputResampler;
    private RecognitionStream stt;
    private String lastPartial = "";
    private int bargeInRun;
    private Turn carryOver;

    // Shared between the input thread and the reply tasks: guarded by this.
    private TurnState state = TurnState.LISTENING;
    private Turn current;
    private int turnCount;
    private final List<Message> conversation = new ArrayList<>();
    private boolean closed;

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
        int keepMs = config.preRollMs() + config.endpoint().minSpeechMs() + 100;
        this.history = new SampleHistory(keepMs * PIPELINE_RATE / 1000 + 2 * frame.length);
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
        return List.copyOf(conversation);
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
        if (stt != null) stt.close();
        engines.vad().close();
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
        float p = engines.vad().speechProbability(f);
        history.append(f, 0, f.length);
        long frameEnd = history.end();
        Endpointer.Event event = endpointer.onFrame(p, frameEnd, f.length);
        checkBargeIn(p, f.length);
        switch (event) {
            case Endpointer.Event.SpeechStarted s -> userStarted(s);
            case null -> feedStt(f, f.length);
            case Endpointer.Event.SpeechEnded e -> {
                feedStt(f, f.length);
                userEnded(e);
            }
        }
        if (event == null && !userSpeaking()) {
            synchronized (this) {
                if (state == TurnState.INTERRUPTED) setState(TurnState.LISTENING);
            }
        }
    }

    private void checkBargeIn(float p, int frameLength) {
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
        Turn replying;
        synchronized (this) {
            replying = current;
        }
        if (replying != null && !replying.cancelled) {
            // The user resumed before hearing anything: what they say next continues the same utterance.
            if (!replying.trace.audioStarted()) carryOver = replying;
            interrupt(replying);
        }
        int turn;
        synchronized (this) {
            turn = ++turnCount;
            setState(TurnState.USER_SPEAKING);
        }
        emit(new SessionEvent.SpeechStarted(turn, s.startSample() * 1000 / PIPELINE_RATE));
        if (stt != null) stt.close();
        stt = engines.stt().open();
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
            emit(new SessionEvent.Error(turnCount, "stt", "speech recognition failed: " + e.getMessage()));
            stt.close();
            stt = null;
            return;
        }
        if (!partial.isEmpty() && !partial.equals(lastPartial)) {
            lastPartial = partial;
            emit(new SessionEvent.PartialTranscript(turnCount, carryOver == null ? partial : carryOver.userTextPrefix() + partial));
        }
    }

    private void userEnded(Endpointer.Event.SpeechEnded e) {
        LatencyTrace trace = new LatencyTrace(clock);
        trace.endpoint((e.decidedSample() - e.endSample()) * 1_000_000_000L / PIPELINE_RATE);
        RecognitionStream utterance = stt;
        stt = null;
        Turn turn;
        synchronized (this) {
            if (closed || utterance == null) return;
            turn = new Turn(turnCount, utterance, carryOver, trace);
            carryOver = null;
            current = turn;
            setState(TurnState.THINKING);
        }
        emit(new SessionEvent.SpeechStopped(turn.number, e.endSample() * 1000 / PIPELINE_RATE));
        executor.execute(turn::produce);
        executor.execute(turn::play);
    }

    private void interrupt(Turn t) {
        t.cancel();
        synchronized (this) {
            if (current == t) {
                current = null;
                notifyAll();
            }
            setState(TurnState.INTERRUPTED);
        }
        emit(new SessionEvent.Interrupted(t.number));
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
        final RecognitionStream utterance;
        final Turn carried;
        final LatencyTrace trace;
        final CompletableFuture<Transcript> transcript = new CompletableFuture<>();
        final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        final List<String> heard = new ArrayList<>();
        final CompletableFuture<Void> produced = new CompletableFuture<>();
        volatile boolean cancelled;
        volatile TextStream reply;
        volatile String userText = "";

        Turn(int number, RecognitionStream utterance, Turn carried, LatencyTrace trace) {
            this.number = number;
            this.utterance = utterance;
            this.carried = carried;
            this.trace = trace;
        }

        String userTextPrefix() {
            Transcript t = transcript.getNow(null);
            return t == null || t.isEmpty() ? "" : t.text() + " ";
        }

        void cancel() {
            cancelled = true;
            TextStream r = reply;
            if (r != null) r.close();
            sink.interrupt();
            queue.add(END);
        }

        void produce() {
            Resampler toSink = engines.tts().sampleRate() == sink.sampleRate() ? null
                    : new Resampler(engines.tts().sampleRate(), sink.sampleRate());
            try {
                Transcript said = recognise();
                userText = said.text();
                if (cancelled) return;
                TextStream stream = engines.dialog().respond(conversation(), said.text());
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

        private Transcript recognise() {
            Transcript said;
            try {
                said = utterance.finish();
            } catch (RuntimeException e) {
                log.warn("STT failed to finish", e);
                emit(new SessionEvent.Error(number, "stt", "speech recognition failed: " + e.getMessage()));
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
            transcript.complete(said);
            trace.finalTranscript();
            emit(new SessionEvent.FinalTranscript(number, said));
            return said;
        }

        private void speak(String phrase, Resampler toSink) throws TtsException {
            if (cancelled) return;
            trace.firstPhrase();
            emit(new SessionEvent.ReplyPhrase(number, phrase));
            queue.add(new PhraseStart(phrase));
            engines.tts().synthesize(phrase, audio -> {
                if (cancelled || audio.isEmpty()) return;
                trace.firstTtsAudio();
                PcmAudio out = toSink == null ? audio : toSink.process(audio);
                if (!out.isEmpty()) queue.add(out);
            }, () -> cancelled);
        }

        void play() {
            try {
                while (!cancelled) {
                    Object item = queue.take();
                    if (item == END || cancelled) break;
                    if (item instanceof PhraseStart p) {
                        heard.add(p.text());
                    } else if (item instanceof PcmAudio audio) {
                        // The reply is out once it is handed to the output; a sink may block in write to keep pace.
                        if (trace.firstAudioOut()) {
                            synchronized (VoiceSession.this) {
                                if (current == this) setState(TurnState.SPEAKING);
                            }
                        }
                        sink.write(audio);
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
        }

        private void finish() {
            String spoken = String.join(" ", heard);
            synchronized (VoiceSession.this) {
                // A turn cancelled before the user heard anything carries its words into the next turn instead.
                boolean heardSomething = !spoken.isEmpty();
                if ((!cancelled || heardSomething) && (!userText.isEmpty() || heardSomething)) {
                    conversation.add(Message.user(userText));
                    if (!spoken.isEmpty()) conversation.add(Message.assistant(spoken));
                    while (conversation.size() > MAX_HISTORY) conversation.removeFirst();
                }
                if (current == this) {
                    current = null;
                    setState(TurnState.LISTENING);
                    VoiceSession.this.notifyAll();
                }
            }
            emit(new SessionEvent.TurnCompleted(number, userText, spoken, trace.waterfall().orElse(null), cancelled));
        }
    }
}

package dev.parley.reply;

import dev.parley.audio.AudioSink;
import dev.parley.audio.PcmAudio;
import dev.parley.audio.TimeStretch;
import dev.parley.dialog.Conversation;
import dev.parley.dialog.Dialog;
import dev.parley.dialog.DialogException;
import dev.parley.dialog.Message;
import dev.parley.dialog.TextStream;
import dev.parley.latency.LatencyTrace;
import dev.parley.failover.Failover;
import dev.parley.failover.ProviderEvents;
import dev.parley.failover.ProviderTiming;
import dev.parley.failover.TurnBudget;
import dev.parley.stt.Transcript;
import dev.parley.stt.Utterance;
import dev.parley.tts.SentenceChunker;
import dev.parley.tts.SpeechSynthesizer;
import dev.parley.tts.TtsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One reply, from the words it answers to the audio at the user's ear, in two tasks joined by a queue so that the
 * synthesis of the next phrase overlaps the playback of the current one: {@link #produce()} (final transcript → dialog
 * → sentence chunker → TTS → queue) and {@link #play()} (queue → sink). {@link #cancel()} stops both at once, from any
 * thread (barge-in). What happens around it (events, the conversation, the session's state) is the {@link Host}'s.
 */
public final class Reply {
    private static final Logger log = LoggerFactory.getLogger(Reply.class);
    private static final String THINKING_FAILED = "Sorry, something went wrong while I was thinking about that.";

    /** What a reply answers. */
    public enum Kind {
        /** The utterance the user just finished ({@link #utterance()}), or a transcript already known. */
        HEARD,
        /** A partial transcript, before the endpoint: prepared, held back until {@link #release()}. */
        SPECULATIVE,
        /** The conversation as it stands (a client asked for a reply): its user message is in it already. */
        CONVERSATION,
        /** Words the brain says unprompted: no user turn, no dialog call. */
        ANNOUNCEMENT
    }

    /**
     * The engines and output a reply uses.
     *
     * @param firstAudioMs the turn's budget for its first audio, from the end of the user's speech ({@link TurnBudget});
     *                     0: none, each provider waits out its own timeout
     */
    public record Setup(Dialog dialog, SpeechSynthesizer tts, AudioSink sink, ReplyVoice voice, SentenceChunker.Config chunking,
                        int firstAudioMs) {
        public Setup(Dialog dialog, SpeechSynthesizer tts, AudioSink sink, ReplyVoice voice, SentenceChunker.Config chunking) {
            this(dialog, tts, sink, voice, chunking, 0);
        }
    }

    /** The session around a reply. Called from the reply's tasks. */
    public interface Host {
        /** The final transcript of an utterance was taken ({@code said}); report it. */
        void recognised(Reply reply, Utterance utterance, Transcript said);

        /** Waits until every committed utterance is in the conversation (before a reply to the conversation). */
        void awaitInput();

        /** The messages the dialog sees: the instructions, then {@code conversation}. */
        List<Message> prompt(List<Message> conversation);

        /** The conversation a reply answers (taken with {@link Conversation#answering}). */
        Conversation conversation();

        /** The dialog starts on this reply: the brain's provider reports belong to it. */
        void producing(Reply reply);

        void phrase(Reply reply, String text);

        /** The first audio of the reply goes to the output. */
        void audioStarted(Reply reply);

        void error(Reply reply, String stage, String message);

        void failedOver(Reply reply, Failover failover);

        /** Once, when the reply is over (played, or stopped): record it, report it. */
        void finished(Reply reply, String spoken, String kept);

        /** The player is done; the floor may be free. */
        void played(Reply reply);

        /** A speculation's final transcript differs from what it was prepared for: answer {@code said} instead. */
        void missed(Reply speculation, Transcript said);
    }

    private final int number;
    private final Kind kind;
    private final Setup setup;
    private final Host host;
    private final LatencyTrace trace;
    /** The utterance to finish for the transcript (set at the endpoint for a speculative reply). */
    private volatile Utterance utterance;
    private final Transcript known;
    /** The partial transcript a speculative reply answers, or the words of an announcement. */
    private final String text;
    private final CompletableFuture<Boolean> go = new CompletableFuture<>();
    private final CompletableFuture<Transcript> transcript = new CompletableFuture<>();
    private final CompletableFuture<Void> produced = new CompletableFuture<>();
    private final Playback playback;
    private final List<String> heard = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean finished = new AtomicBoolean();
    private final List<Failover> apologies = new CopyOnWriteArrayList<>();
    private final Conversation.Anchor anchor = new Conversation.Anchor();
    private volatile boolean cancelled;
    private volatile TextStream stream;
    private volatile String userText = "";
    private volatile boolean keepUserText;
    private volatile String truncatedTo;
    /** The user's next words continue what this reply answered: it leaves no trace in the conversation. */
    private volatile boolean merged;
    /** The time this turn has for its first audio, started when it is produced. */
    private volatile TurnBudget budget = TurnBudget.NONE;

    /** Where the engines producing this reply report their providers. */
    private final ProviderEvents providers = new ProviderEvents() {
        @Override
        public void timing(ProviderTiming timing) {
            trace.provider(timing);
        }

        @Override
        public void failover(Failover failover) {
            host.failedOver(Reply.this, failover);
        }

        @Override
        public TurnBudget budget() {
            return budget;
        }
    };

    private Reply(int number, Kind kind, Setup setup, Host host, LatencyTrace trace, Utterance utterance,
                  Transcript known, String text) {
        this.number = number;
        this.kind = kind;
        this.setup = setup;
        this.host = host;
        this.trace = trace;
        this.utterance = utterance;
        this.known = known;
        this.text = text;
        this.playback = new Playback(setup.sink(), setup.voice(), () -> cancelled);
        if (kind != Kind.SPECULATIVE) go.complete(true);
    }

    /** A reply to the utterance the user just finished. */
    public static Reply toUtterance(int number, Utterance utterance, Setup setup, Host host, LatencyTrace trace) {
        return new Reply(number, Kind.HEARD, setup, host, trace, utterance, null, null);
    }

    /** A reply to a transcript already known and reported (a speculation's replacement). */
    public static Reply toTranscript(int number, Transcript said, Setup setup, Host host, LatencyTrace trace) {
        return new Reply(number, Kind.HEARD, setup, host, trace, null, said, null);
    }

    /** A reply prepared on a partial transcript, held back until {@link #release()}. */
    public static Reply speculative(int number, String partial, Setup setup, Host host, LatencyTrace trace) {
        return new Reply(number, Kind.SPECULATIVE, setup, host, trace, null, null, partial);
    }

    public static Reply toConversation(int number, Setup setup, Host host, LatencyTrace trace) {
        return new Reply(number, Kind.CONVERSATION, setup, host, trace, null, null, null);
    }

    public static Reply announcement(int number, String words, Setup setup, Host host, LatencyTrace trace) {
        return new Reply(number, Kind.ANNOUNCEMENT, setup, host, trace, null, null, words);
    }

    public int number() {
        return number;
    }

    public Kind kind() {
        return kind;
    }

    /** Where the engines producing this reply report their providers. */
    public ProviderEvents providers() {
        return providers;
    }

    public LatencyTrace trace() {
        return trace;
    }

    public boolean cancelled() {
        return cancelled;
    }

    public boolean isFinished() {
        return finished.get();
    }

    /** The partial transcript a speculative reply was prepared for. */
    public String speculativeText() {
        return text;
    }

    /** The user's words this reply answers, once known ("" before). */
    public String userText() {
        return userText;
    }

    /** The user's words, when recognised; completes with the utterance's final transcript. */
    public CompletableFuture<Transcript> transcript() {
        return transcript;
    }

    /** Whether any of it may be played (false for a speculation not yet confirmed, or dropped). */
    public boolean released() {
        return go.getNow(false);
    }

    /** Fallbacks that took over while the user was heard: the reply begins with their apology. */
    public void apologise(List<Failover> failovers) {
        apologies.addAll(failovers);
    }

    /** Marks the reply stopped before its tasks are woken, so nothing else finishes it first. */
    public void markCancelled() {
        cancelled = true;
    }

    /** Stopped by the client (not by speech over it): the user's words stay in the conversation. */
    public void keepUserText() {
        keepUserText = true;
    }

    /** What the user heard of this reply, told by the client before the turn was over. */
    public void truncateTo(String heardText) {
        truncatedTo = heardText;
    }

    /** Starts both tasks. */
    public void start(java.util.concurrent.Executor executor) {
        executor.execute(this::produce);
        executor.execute(this::play);
    }

    /**
     * The user went on speaking after this reply started: their words continue the utterance it answered, so it is
     * taken back (no trace in the conversation; the brain hears it was not heard, and undoes what it did).
     */
    public void merge() {
        merged = true;
    }

    /** Stops producing and playing; whatever was not played is thrown away. */
    public void cancel() {
        cancelled = true;
        TextStream s = stream;
        if (s != null) s.close();
        if (go.getNow(false)) setup.sink().interrupt(); // a speculation never released has played nothing
        playback.end();
    }

    /** Drops a speculation nobody needs: it never happened. */
    public void drop() {
        cancel();
        go.complete(false);
    }

    /**
     * Confirms a speculation at the endpoint: it plays only if the final transcript of {@code heard} says what it was
     * prepared for, so a reply to words the user did not say is never heard. Runs the recognition: call on an executor.
     */
    public void release(Utterance heard) {
        utterance = heard;
        Transcript said = recognise();
        if (said.text().equals(text)) {
            go.complete(true);
            return;
        }
        log.debug("speculation on \"{}\" missed: final transcript is \"{}\"", text, said.text());
        cancel();
        go.complete(false);
        host.missed(this, said);
    }

    private void produce() {
        startBudget();
        ToSinkRate toSink = new ToSinkRate(setup.sink().sampleRate());
        try {
            Transcript said;
            List<Message> history;
            switch (kind) {
                case ANNOUNCEMENT -> {
                    said = new Transcript("", 1.0);
                    history = List.of();
                }
                case CONVERSATION -> {
                    host.awaitInput();
                    trace.finalTranscript();
                    List<Message> messages = host.conversation().answering(anchor);
                    boolean lastIsUser = !messages.isEmpty() && messages.getLast().role() == Message.Role.USER;
                    said = new Transcript(lastIsUser ? messages.getLast().text() : "", 1.0);
                    history = lastIsUser ? messages.subList(0, messages.size() - 1) : messages;
                }
                case SPECULATIVE -> {
                    said = new Transcript(text, 1.0);
                    history = host.conversation().answering(anchor);
                }
                case HEARD -> {
                    said = recognise();
                    history = host.conversation().answering(anchor);
                }
                default -> throw new IllegalStateException(kind.name());
            }
            userText = said.text();
            if (cancelled) return;
            for (Failover f : apologies) speak(f.apology(), toSink);
            host.producing(this);
            TextStream s = kind == Kind.ANNOUNCEMENT ? TextStream.of(text) : setup.dialog().respond(host.prompt(history), said);
            stream = s;
            if (cancelled) s.close();
            SentenceChunker chunker = new SentenceChunker(setup.chunking());
            try (s) {
                for (String piece; !cancelled && (piece = s.next()) != null; ) {
                    trace.firstToken();
                    for (String phrase : chunker.add(piece)) speak(phrase, toSink);
                }
            } catch (DialogException | RuntimeException e) {
                if (cancelled) return;
                log.warn("dialog failed", e);
                host.error(this, "dialog", e.getMessage());
                chunker.reset();
                speak(THINKING_FAILED, toSink);
            }
            if (!cancelled) for (String phrase : chunker.flush()) speak(phrase, toSink);
            if (!cancelled) {
                PcmAudio tail = toSink.flush();
                if (!tail.isEmpty()) playback.audio(tail);
            }
        } catch (TtsException | RuntimeException e) {
            if (!cancelled) {
                log.warn("speech synthesis failed", e);
                host.error(this, "tts", e.getMessage());
            }
        } finally {
            playback.end();
            produced.complete(null);
        }
    }

    /** Starts the turn's budget, from the end of the user's speech when the endpoint has placed it (else now); once. */
    private void startBudget() {
        synchronized (anchor) {
            if (budget != TurnBudget.NONE || setup.firstAudioMs() <= 0) return;
            long end = trace.speechEnd();
            budget = TurnBudget.starting(trace::now, end != 0 ? end : trace.now(), setup.firstAudioMs());
        }
    }

    private Transcript recognise() {
        if (known != null) { // already recognised (and reported) by the speculation it replaces
            transcript.complete(known);
            trace.finalTranscript();
            return known;
        }
        Utterance u = utterance;
        startBudget();
        Transcript said = u.finish(budget);
        u.timings().forEach(trace::provider);
        apologies.addAll(u.failovers());
        transcript.complete(said);
        trace.finalTranscript();
        host.recognised(this, u, said);
        return said;
    }

    private void speak(String phrase, ToSinkRate toSink) throws TtsException {
        if (cancelled) return;
        trace.firstPhrase();
        playback.phrase(phrase);
        double rate = setup.voice().rate();
        // at another speed, the phrase is stretched as a whole (so its frames line up across chunk boundaries)
        List<PcmAudio> whole = rate == 1.0 ? null : new ArrayList<>();
        setup.tts().synthesize(phrase, audio -> {
            if (cancelled || audio.isEmpty()) return;
            trace.firstTtsAudio();
            budget.met();
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

    private void out(PcmAudio audio, ToSinkRate toSink) {
        PcmAudio o = toSink.convert(audio);
        if (!o.isEmpty()) playback.audio(o);
    }

    private void play() {
        if (!go.join()) {
            produced.join();
            return; // a speculation nobody needed: it never happened
        }
        try {
            playback.run(new Playback.Events() {
                @Override
                public void phrase(String text) {
                    heard.add(text);
                    host.phrase(Reply.this, text);
                }

                @Override
                public void audio() {
                    if (trace.firstAudioOut()) host.audioStarted(Reply.this);
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("audio output failed", e);
            host.error(this, "output", "audio output failed: " + e.getMessage());
        }
        produced.join();
        finish();
        host.played(this);
    }

    /**
     * Pauses the output at once: the user may be interrupting, or only saying "mm-hmm". What was written and not yet
     * played is thrown away; {@link #resume()} plays the phrase that was cut from its start.
     *
     * @return false when the reply is not playing (cancelled, paused already, or not released)
     */
    public boolean pause() {
        return !cancelled && go.getNow(false) && playback.pause();
    }

    public boolean paused() {
        return playback.paused();
    }

    /** Goes on after a pause that was not an interruption, from the start of the phrase that was cut. */
    public void resume() {
        playback.resume();
    }

    /** Reports the reply as over; only the first call counts. */
    public void finish() {
        if (!finished.compareAndSet(false, true)) return;
        String spoken;
        synchronized (heard) {
            spoken = String.join(" ", heard);
        }
        host.finished(this, spoken, merged ? "" : truncatedTo != null ? truncatedTo : spoken);
    }

    /**
     * Records the turn in {@code conversation}: the user's words and what they heard of the reply. A reply stopped
     * before the user heard anything leaves no trace: its words are carried into the next turn instead.
     */
    public void record(Conversation conversation, String spoken, String kept) {
        if (merged) return;
        boolean heardSomething = !spoken.isEmpty();
        List<Message> reply = kept.isBlank() ? List.of() : List.of(Message.assistant(kept));
        if (kind == Kind.CONVERSATION || kind == Kind.ANNOUNCEMENT) {
            conversation.insert(anchor, number, reply);
        } else if ((!cancelled || heardSomething || keepUserText) && (!userText.isEmpty() || heardSomething)) {
            List<Message> both = new ArrayList<>();
            both.add(Message.user(userText));
            both.addAll(reply);
            conversation.insert(anchor, number, both);
        } else if (keepUserText && kind == Kind.HEARD && known == null && !transcript.isDone()) {
            // cancelled by the client while the words were still being recognised: they join the conversation when
            // they are
            transcript.thenAccept(t -> {
                if (!t.isEmpty()) conversation.add(number, Message.user(t.text()));
            });
        }
    }
}

package dev.parley.session;

import dev.parley.dialog.DialogSignal;
import dev.parley.latency.LatencyTrace;
import dev.parley.reply.Reply;
import dev.parley.stt.Transcript;
import dev.parley.stt.Utterance;
import dev.parley.turn.Endpointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;

import static dev.parley.audio.PcmAudio.PIPELINE_RATE;

/**
 * What a session does with what its {@link Hearing} heard: a user turn that starts stops or pauses the reply in
 * progress, one that ends starts the reply to it (or is transcribed into the conversation), sound over a reply stops
 * or resumes it, and words the user went on with continue the utterance before them ("carried over").
 *
 * <p>Called on the thread that feeds audio; the carried-over reply is that thread's alone.
 */
final class HeardTurns implements Hearing.Turns {
    private static final Logger log = LoggerFactory.getLogger(HeardTurns.class);

    private final VoiceSession session;
    /** A reply the user's next words continue (they went on before hearing it, or right after): its words come first. */
    private Reply carried;

    HeardTurns(VoiceSession session) {
        this.session = session;
    }

    /** The input was cleared: nothing is carried into the next utterance. */
    void forgetCarried() {
        carried = null;
    }

    @Override
    public Hearing.Started userStarted(long startMs, int continuesTurn) {
        Reply replying = session.current();
        // A reply paused by this speech waits for the decision whether it is an interruption (stopReply).
        if (replying != null && !replying.cancelled() && !replying.paused() && session.config().turns().interrupt()) {
            // The user resumed before hearing anything, within the longest pause: what they say next continues the same
            // utterance. Not after a reply on request: its user words are in the conversation already, and it has
            // nothing to carry. Later new speech is a new turn that stops the reply not yet heard.
            boolean unheard = !replying.trace().audioStarted() && replying.kind() == Reply.Kind.HEARD
                    && replying.number() == continuesTurn;
            if (unheard) {
                replying.merge();
                session.emit(new SessionEvent.Merged(replying.number()));
            }
            if (session.interrupt(replying) && unheard) carried = replying;
        }
        int turn = session.newTurn(true);
        session.emit(new SessionEvent.SpeechStarted(turn, startMs));
        session.signal(new DialogSignal.UserSpeechStarted());
        return new Hearing.Started(turn, carried == null ? null : carried.transcript());
    }

    @Override
    public int pushToTalkStarted() {
        int turn = session.newTurn(false);
        session.signal(new DialogSignal.UserSpeechStarted());
        return turn;
    }

    /**
     * The user's turn is over (the endpointer decided, or the client committed): the reply starts, or, when replies
     * wait for {@link VoiceSession#respond()}, the utterance is transcribed into the conversation.
     */
    @Override
    public void userEnded(Utterance heard, Endpointer.Event.SpeechEnded e, boolean heardByVad, Reply speculative) {
        Reply replying = session.current();
        carried = null;
        // A reply still playing (no barge-in, or a commit over it) is not talked over by a second one: the new turn
        // is transcribed into the conversation and answered when the client asks.
        if (!session.config().turns().respond() || (replying != null && !replying.cancelled())) {
            if (speculative != null) speculative.drop();
            session.transcribeOnly(heard, e, heardByVad);
            return;
        }
        Reply reply = speculative != null ? speculative
                : Reply.toUtterance(heard.turn(), heard, session.setup(), session.host(), new LatencyTrace(session.clock()));
        reply.trace().endpoint((e.decidedSample() - e.endSample()) * 1_000_000_000L / PIPELINE_RATE);
        if (!session.startReply(reply)) { // closed meanwhile: the reply never started, only a speculation is running
            if (speculative != null) speculative.drop();
            heard.close();
            return;
        }
        if (heardByVad) session.emit(new SessionEvent.SpeechStopped(reply.number(), e.endSample() * 1000 / PIPELINE_RATE));
        session.emit(new SessionEvent.InputCommitted(reply.number()));
        session.emit(new SessionEvent.ReplyStarted(reply.number()));
        if (reply == speculative) session.executor().execute(() -> reply.release(heard));
        else reply.start(session.executor());
    }

    @Override
    public boolean pauseReply() {
        Reply r = session.current();
        return r != null && r.trace().audioStarted() && !r.cancelled() && r.pause();
    }

    @Override
    public CompletableFuture<Transcript> stopReply(int continuesTurn) {
        Reply r = session.current();
        if (r == null || r.cancelled()) return null;
        boolean merge = continuesTurn != 0 && r.kind() == Reply.Kind.HEARD && r.number() == continuesTurn;
        if (merge) {
            r.merge();
            session.emit(new SessionEvent.Merged(r.number()));
        }
        if (!session.interrupt(r) || !merge) return null;
        carried = r;
        return r.transcript();
    }

    @Override
    public void resumeReply(int droppedTurn) {
        session.resumeReply(droppedTurn);
    }

    @Override
    public void partial(int turn, String words) {
        session.emit(new SessionEvent.PartialTranscript(turn, words));
    }

    @Override
    public void sttFailed(int turn, RuntimeException e) {
        log.warn("STT failed on audio", e);
        session.emit(new SessionEvent.Error(turn, "stt", "speech recognition failed: " + e.getMessage()));
    }

    @Override
    public Reply speculate(int turn, String words) {
        if (!session.floorFree()) return null;
        Reply reply = Reply.speculative(turn, words, session.setup(), session.host(), new LatencyTrace(session.clock()));
        reply.start(session.executor());
        return reply;
    }

    @Override
    public void quiet() {
        session.quiet();
    }

    @Override
    public boolean replying() {
        return session.current() != null;
    }

    @Override
    public void woke(String phrase, long atMs) {
        log.debug("wake phrase \"{}\" heard at {} ms", phrase, atMs);
        session.emit(new SessionEvent.Woke(phrase, atMs));
    }
}

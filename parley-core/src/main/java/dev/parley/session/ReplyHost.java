package dev.parley.session;

import dev.parley.dialog.Conversation;
import dev.parley.dialog.Message;
import dev.parley.failover.Failover;
import dev.parley.reply.Reply;
import dev.parley.stt.Transcript;
import dev.parley.stt.Utterance;

import java.util.List;

/** A session as its replies see it: what they report becomes the session's events, state and conversation. */
final class ReplyHost implements Reply.Host {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ReplyHost.class);
    private final VoiceSession session;

    ReplyHost(VoiceSession session) {
        this.session = session;
    }

    @Override
    public void recognised(Reply reply, Utterance utterance, Transcript said) {
        reportRecognised(reply.number(), utterance);
        session.emit(new SessionEvent.FinalTranscript(reply.number(), said));
    }

    /** Reports what the recogniser's providers and failures did to an utterance. */
    void reportRecognised(int turn, Utterance heard) {
        heard.failovers().forEach(f -> session.emit(new SessionEvent.ProviderFailedOver(turn, f)));
        if (heard.failure() != null) {
            log.warn("STT failed to finish", heard.failure());
            session.emit(new SessionEvent.Error(turn, "stt", "speech recognition failed: " + heard.failure().getMessage()));
        }
    }

    @Override
    public void awaitInput() {
        session.awaitInput();
    }

    @Override
    public List<Message> prompt(List<Message> conversation) {
        return session.prompt(conversation);
    }

    @Override
    public Conversation conversation() {
        return session.conversationLog();
    }

    @Override
    public void producing(Reply reply) {
        session.producing = reply;
    }

    @Override
    public void phrase(Reply reply, String text) {
        session.emit(new SessionEvent.ReplyPhrase(reply.number(), text));
    }

    @Override
    public void audioStarted(Reply reply) {
        session.audioStarted(reply);
    }

    @Override
    public void error(Reply reply, String stage, String message) {
        session.emit(new SessionEvent.Error(reply.number(), stage, message));
    }

    @Override
    public void failedOver(Reply reply, Failover failover) {
        session.emit(new SessionEvent.ProviderFailedOver(reply.number(), failover));
    }

    @Override
    public void finished(Reply reply, String spoken, String kept) {
        session.finished(reply, spoken, kept);
    }

    @Override
    public void played(Reply reply) {
        session.announceIfFree();
    }

    @Override
    public void missed(Reply speculation, Transcript said) {
        session.replace(speculation, said);
    }
}

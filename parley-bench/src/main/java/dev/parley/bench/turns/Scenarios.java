package dev.parley.bench.turns;

import dev.parley.audio.PcmAudio;
import dev.parley.session.SessionConfig;
import dev.parley.session.SessionEvent;
import dev.parley.session.VoiceSession;

import java.util.function.Supplier;

/** Plays recordings and interjections to fresh sessions of one configuration and hands back what happened. */
final class Scenarios {
    /** Room tone fed after a recording while waiting for the reply to its last sentence (above the longest pause). */
    static final long TAIL_MS = 4_000;
    /** How long a question's reply is waited for before a trial gives up on it. */
    static final long REPLY_WAIT_MS = 6_000;
    /** How far into the reply's audio the interjection comes. */
    static final long INTO_REPLY_MS = 500;
    /** How long after the interjection a stop of the reply still counts. */
    static final long AFTER_INTERJECTION_MS = 2_000;

    private final Supplier<VoiceSession.Engines> engines;
    private final SessionConfig config;
    private final int outputRate;
    private double fedMs;

    Scenarios(Supplier<VoiceSession.Engines> engines, SessionConfig config, int outputRate) {
        this.engines = engines;
        this.config = config;
        this.outputRate = outputRate;
    }

    /** How much audio all sessions played so far were fed, in ms (to compare with the wall-clock time taken). */
    double fedMs() {
        return fedMs;
    }

    /** The recording, then its room until a reply to its last sentence has started playing (or {@value #TAIL_MS} ms). */
    EventLog play(Recording r) {
        try (SessionDriver driver = new SessionDriver(engines.get(), config, outputRate)) {
            driver.feed(r.audio());
            driver.feedUntil(r.room(), () -> driver.log().replyAudioFrom(r.speechEndMs()).isPresent(), TAIL_MS);
            fedMs += driver.positionMs();
            return driver.log();
        }
    }

    /**
     * The question, then its room until the reply plays; {@value #INTO_REPLY_MS} ms into the reply's audio the
     * interjection, then the room until the reply is over or {@value #AFTER_INTERJECTION_MS} ms have passed.
     */
    Outcomes.Backchannel interject(SourceClip question, Interjection x) {
        try (SessionDriver driver = new SessionDriver(engines.get(), config, outputRate)) {
            EventLog log = driver.log();
            driver.feed(question.audio().slice(0, question.sample(question.meta().speechEndS() + 0.1)));
            boolean replied = driver.feedUntil(question.room(), () -> log.firstReplyAudio().isPresent(), REPLY_WAIT_MS);
            if (!replied) fedMs += driver.positionMs();
            if (!replied) return new Outcomes.Backchannel(question.name(), x.kind(), x.request(), x.synthetic(), false, false);
            EventLog.Stamped audio = log.firstReplyAudio().orElseThrow();
            int turn = ((SessionEvent.ReplyAudioStarted) audio.event()).turn();
            driver.feedUntil(question.room(), () -> driver.positionMs() >= audio.atMs() + INTO_REPLY_MS, REPLY_WAIT_MS);
            boolean playing = !log.finished(turn);
            PcmAudio heard = x.inRoom(question.room());
            driver.feed(heard);
            driver.feedUntil(question.room(), () -> log.finished(turn), AFTER_INTERJECTION_MS);
            fedMs += driver.positionMs();
            return new Outcomes.Backchannel(question.name(), x.kind(), x.request(), x.synthetic(), playing, log.interrupted(turn));
        }
    }
}

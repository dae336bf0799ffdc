package dev.parley.session;

import dev.parley.tts.SentenceChunker;
import dev.parley.turn.Endpointer;

/**
 * Turn-taking settings of a session.
 *
 * @param endpoint  VAD threshold, minimum speech, endpoint silence, maximum utterance
 * @param preRollMs audio kept from before the confirmed speech start and given to STT, so the first syllable is heard
 * @param bargeInMs speech over a playing reply that stops it
 * @param chunking  how the reply text is cut into phrases for TTS
 */
public record SessionConfig(Endpointer.Config endpoint, int preRollMs, int bargeInMs, SentenceChunker.Config chunking) {
    public static final SessionConfig DEFAULT = new SessionConfig(Endpointer.Config.DEFAULT, 300, 64, SentenceChunker.Config.DEFAULT);

    public SessionConfig {
        if (preRollMs < 0) throw new IllegalArgumentException("pre-roll must be >= 0 ms");
        if (bargeInMs <= 0) throw new IllegalArgumentException("barge-in must be > 0 ms");
    }
}

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
 * @param speculateMs once the user has paused this long, the reply to the partial transcript is prepared, to be
 *                    played the moment the endpoint confirms the turn (0: never, the default: with the level-refined
 *                    endpoint the pause is too short to hide work in, measured in the README; must be below the
 *                    endpoint silence)
 */
public record SessionConfig(Endpointer.Config endpoint, int preRollMs, int bargeInMs, SentenceChunker.Config chunking,
                            int speculateMs) {
    public static final SessionConfig DEFAULT = new SessionConfig(Endpointer.Config.DEFAULT, 300, 64, SentenceChunker.Config.DEFAULT, 0);

    public SessionConfig {
        if (speculateMs < 0 || speculateMs >= endpoint.endSilenceMs()) {
            throw new IllegalArgumentException("speculation must start between 0 and the endpoint silence (" + endpoint.endSilenceMs() + " ms)");
        }
        if (preRollMs < 0) throw new IllegalArgumentException("pre-roll must be >= 0 ms");
        if (bargeInMs <= 0) throw new IllegalArgumentException("barge-in must be > 0 ms");
    }

    public SessionConfig withSpeculateMs(int ms) {
        return new SessionConfig(endpoint, preRollMs, bargeInMs, chunking, ms);
    }
}

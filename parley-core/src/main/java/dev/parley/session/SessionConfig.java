package dev.parley.session;

import dev.parley.tts.SentenceChunker;
import dev.parley.turn.Endpointer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

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
 * @param turns     who ends the user's turns and starts replies
 * @param detection whether the words heard decide, with the silence, where a turn ends
 * @param firstAudioMs the turn's budget for its first audio, from the end of the user's speech: a provider that has
 *                  not answered by a share of it is raced by its fallback, and a spent budget is apologised for
 *                  ({@link dev.parley.failover.TurnBudget}); 0: none, each provider waits out its own timeout
 * @param wake      the wake phrases that open the conversation (none: every utterance is a turn)
 */
public record SessionConfig(Endpointer.Config endpoint, int preRollMs, int bargeInMs, SentenceChunker.Config chunking,
                            int speculateMs, TurnTaking turns, TurnDetection detection, int firstAudioMs,
                            WakeWords wake) {
    public static final int MAX_PRE_ROLL_MS = 5_000;
    /** About what a user waits before they wonder whether they were heard. */
    public static final int DEFAULT_FIRST_AUDIO_MS = 3_000;
    public static final SessionConfig DEFAULT = new SessionConfig(Endpointer.Config.DEFAULT, 300, 64, SentenceChunker.Config.DEFAULT, 0);

    /**
     * How the end of a turn is decided.
     *
     * @param words      the words heard so far are judged ({@link dev.parley.turn.TurnCompletion}): an utterance that
     *                   sounds unfinished ("set a timer for", "when you hear the bell") may pause up to
     *                   {@code maxPauseMs} before its turn ends; false: the endpoint silence alone ends every turn
     * @param maxPauseMs the longest pause inside an unfinished utterance (the ceiling); at or below the endpoint
     *                   silence, the words change nothing
     */
    public record TurnDetection(boolean words, int maxPauseMs) {
        public static final TurnDetection WORDS = new TurnDetection(true, 1500);
        public static final TurnDetection SILENCE = new TurnDetection(false, 1500);

        public TurnDetection {
            if (maxPauseMs < 0 || maxPauseMs > 10_000) throw new IllegalArgumentException("the longest pause must be between 0 and 10000 ms: " + maxPauseMs);
        }
    }

    /**
     * Who takes turns.
     *
     * @param detect    the endpointer ends the user's turns (voice activity); false: the client ends them with
     *                  {@link VoiceSession#commit()} (push-to-talk)
     * @param respond   a reply starts by itself when a user turn ends; false: only on {@link VoiceSession#respond()}
     * @param interrupt speech over a reply stops it (barge-in)
     */
    public record TurnTaking(boolean detect, boolean respond, boolean interrupt) {
        public static final TurnTaking AUTOMATIC = new TurnTaking(true, true, true);
        public static final TurnTaking PUSH_TO_TALK = new TurnTaking(false, false, false);
    }

    /**
     * Wake phrases. With some, speech opens no turn until one of them is heard: nothing before it is transcribed or
     * answered. The words after the phrase are the request ("computer, what time is it"); a phrase said alone opens
     * the conversation for the next utterance. After each reply, and after a phrase said alone, speech that starts
     * within {@code followUpMs} is a turn without the phrase.
     *
     * @param phrases    lower case, trimmed, at most {@link #MAX_PHRASES}; empty: no wake phrase (every utterance is a
     *                   turn)
     * @param followUpMs how long after a reply (or a phrase said alone) the next utterance needs no phrase
     */
    public record WakeWords(List<String> phrases, int followUpMs) {
        public static final int MAX_PHRASES = 8;
        public static final int MAX_PHRASE_CHARS = 60;
        public static final int DEFAULT_FOLLOW_UP_MS = 8_000;
        public static final WakeWords NONE = new WakeWords(List.of(), DEFAULT_FOLLOW_UP_MS);

        public WakeWords {
            Objects.requireNonNull(phrases, "phrases");
            List<String> clean = new ArrayList<>();
            for (String p : phrases) {
                String n = p == null ? "" : p.strip().toLowerCase(Locale.ROOT).replaceAll("[\\s,.!?]+", " ").strip();
                if (n.isEmpty()) throw new IllegalArgumentException("a wake phrase is empty");
                if (n.length() > MAX_PHRASE_CHARS) throw new IllegalArgumentException("a wake phrase is longer than " + MAX_PHRASE_CHARS + " characters: " + n);
                if (!clean.contains(n)) clean.add(n);
            }
            if (clean.size() > MAX_PHRASES) throw new IllegalArgumentException("at most " + MAX_PHRASES + " wake phrases, not " + clean.size());
            phrases = List.copyOf(clean);
            if (followUpMs < 0 || followUpMs > 600_000) throw new IllegalArgumentException("the follow-up window must be between 0 and 600000 ms: " + followUpMs);
        }

        public boolean enabled() {
            return !phrases.isEmpty();
        }
    }

    public SessionConfig {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(wake, "wake");
        Objects.requireNonNull(chunking, "chunking");
        Objects.requireNonNull(turns, "turns");
        Objects.requireNonNull(detection, "detection");
        if (speculateMs < 0 || speculateMs >= endpoint.endSilenceMs()) {
            throw new IllegalArgumentException("speculation must start between 0 and the endpoint silence (" + endpoint.endSilenceMs() + " ms)");
        }
        if (preRollMs < 0 || preRollMs > MAX_PRE_ROLL_MS) {
            throw new IllegalArgumentException("pre-roll must be between 0 and " + MAX_PRE_ROLL_MS + " ms");
        }
        if (bargeInMs <= 0) throw new IllegalArgumentException("barge-in must be > 0 ms");
        if (firstAudioMs < 0 || firstAudioMs > 60_000) throw new IllegalArgumentException("the first-audio budget must be between 0 and 60000 ms: " + firstAudioMs);
    }

    public SessionConfig(Endpointer.Config endpoint, int preRollMs, int bargeInMs, SentenceChunker.Config chunking,
                         int speculateMs, TurnTaking turns, TurnDetection detection, int firstAudioMs) {
        this(endpoint, preRollMs, bargeInMs, chunking, speculateMs, turns, detection, firstAudioMs, WakeWords.NONE);
    }

    public SessionConfig(Endpointer.Config endpoint, int preRollMs, int bargeInMs, SentenceChunker.Config chunking,
                         int speculateMs, TurnTaking turns, TurnDetection detection) {
        this(endpoint, preRollMs, bargeInMs, chunking, speculateMs, turns, detection, DEFAULT_FIRST_AUDIO_MS);
    }

    public SessionConfig(Endpointer.Config endpoint, int preRollMs, int bargeInMs, SentenceChunker.Config chunking, int speculateMs) {
        this(endpoint, preRollMs, bargeInMs, chunking, speculateMs, TurnTaking.AUTOMATIC, TurnDetection.WORDS);
    }

    /** Whether going to {@code next} changes how speech is heard: the utterance being heard is dropped then. */
    public boolean hearsDifferently(SessionConfig next) {
        return turns.detect() != next.turns.detect() || !endpoint.equals(next.endpoint) || !detection.equals(next.detection)
                || !wake.equals(next.wake);
    }

    public SessionConfig withSpeculateMs(int ms) {
        return new SessionConfig(endpoint, preRollMs, bargeInMs, chunking, ms, turns, detection, firstAudioMs, wake);
    }

    public SessionConfig withEndpoint(Endpointer.Config e) {
        return new SessionConfig(e, preRollMs, bargeInMs, chunking, Math.min(speculateMs, e.endSilenceMs() - 1), turns, detection, firstAudioMs, wake);
    }

    public SessionConfig withPreRollMs(int ms) {
        return new SessionConfig(endpoint, ms, bargeInMs, chunking, speculateMs, turns, detection, firstAudioMs, wake);
    }

    public SessionConfig withTurns(TurnTaking t) {
        return new SessionConfig(endpoint, preRollMs, bargeInMs, chunking, speculateMs, t, detection, firstAudioMs, wake);
    }

    public SessionConfig withFirstAudioMs(int ms) {
        return new SessionConfig(endpoint, preRollMs, bargeInMs, chunking, speculateMs, turns, detection, ms, wake);
    }

    public SessionConfig withWake(WakeWords w) {
        return new SessionConfig(endpoint, preRollMs, bargeInMs, chunking, speculateMs, turns, detection, firstAudioMs, w);
    }

    public SessionConfig withDetection(TurnDetection d) {
        return new SessionConfig(endpoint, preRollMs, bargeInMs, chunking, speculateMs, turns, d, firstAudioMs, wake);
    }
}

package dev.parley.bench.turns;

import dev.parley.session.SessionConfig;
import dev.parley.turn.TurnCompletion;

import java.util.List;

/** How a session decides where a turn ends: by silence alone, or by the words heard as well. */
public enum TurnMode {
    silence, words;

    /** The judge of finished utterances sessions get in words mode: the English word rules, as the app's. */
    public static final TurnCompletion WORDS_JUDGE = dev.parley.turn.WordRules.ENGLISH;

    SessionConfig.TurnDetection detection() {
        return this == words ? SessionConfig.TurnDetection.WORDS : SessionConfig.TurnDetection.SILENCE;
    }

    TurnCompletion judge() {
        return this == words ? WORDS_JUDGE : TurnCompletion.SILENCE;
    }

    /** The judge's name for the report. */
    String judgeName() {
        TurnCompletion j = judge();
        return j == TurnCompletion.SILENCE ? "TurnCompletion.SILENCE" : j.getClass().getSimpleName();
    }

    /** What a run measures: one mode, or both one after the other for a comparison. */
    public enum Selection {
        silence, words, both;

        public List<TurnMode> modes() {
            return this == both ? List.of(TurnMode.silence, TurnMode.words) : List.of(TurnMode.valueOf(name()));
        }
    }
}

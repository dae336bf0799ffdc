package dev.parley.cli;

import dev.parley.session.VoiceSession;

/** The speech stages and the brain a conversational command opened: a fresh set of engines for each session. */
record Assistant(Stages stages, Brains brains) {
    /** The engines of one new session: the shared stages and a new dialog of the brain. */
    VoiceSession.Engines newSession() {
        return stages.engines(brains.newDialog());
    }

    /** The line that tells the user what answers and through what, e.g. "Brain: skills; stt embedded, tts embedded". */
    String description() {
        return "Brain: " + brains.description() + "; " + stages.description();
    }
}

package dev.parley.transport.server;

import dev.parley.session.VoiceSession;

/** Makes the engines of a new session: its own VAD (which holds state), the shared STT, dialog and TTS. */
@FunctionalInterface
public interface SessionFactory {
    VoiceSession.Engines newSession();
}

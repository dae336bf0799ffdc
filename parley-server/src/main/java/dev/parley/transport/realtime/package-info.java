/** OpenAI Realtime API events over a {@link dev.parley.session.VoiceSession}: parsing, session state, server events. */
package dev.parley.transport.realtime;

/**
 * OpenAI's Realtime API over WebSocket ({@link java.net.http.WebSocket}): the connection Parley's server bridges its
 * clients to ({@link dev.parley.providers.openai.realtime.RealtimeConnection}) and a streaming recogniser on a
 * transcription session ({@link dev.parley.providers.openai.realtime.OpenAiRealtimeTranscriber}).
 */
package dev.parley.providers.openai.realtime;

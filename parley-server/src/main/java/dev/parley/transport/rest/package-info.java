/**
 * The server's engines as OpenAI-compatible REST services: {@code POST /v1/audio/transcriptions} (the STT),
 * {@code POST /v1/audio/speech} (the TTS, streamed) and {@code POST /v1/chat/completions} (the brain, streamed as
 * server-sent events or whole), with OpenAI's wire formats, its error JSON, bounded request sizes and the server's
 * bearer token. {@link dev.parley.transport.rest.RestEndpoints} registers them.
 */
package dev.parley.transport.rest;

package dev.parley.transport.bridge;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.providers.openai.realtime.OpenAiRealtimeClient;
import dev.parley.providers.openai.realtime.OpenAiRealtimeConfig;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How the server bridges its clients to OpenAI's Realtime API: where to ({@code upstream}, one client shared by every
 * session) and the session defaults Parley sends first, before any client event: audio in and out as PCM16 at
 * 24 kHz, turn detection by OpenAI's {@code server_vad} (with {@code silenceDurationMs}) or {@code semantic_vad}, and
 * optionally a voice and instructions. A client's own {@code session.update} is relayed after and overrides them.
 *
 * @param upstream          the Realtime API client
 * @param turnDetection     which of OpenAI's turn detectors ends the user's turn
 * @param silenceDurationMs the pause {@code server_vad} waits for (ignored by {@code semantic_vad})
 * @param voice             the reply voice ({@code marin}, {@code alloy}, …), or null for OpenAI's default
 * @param instructions      the system instructions, or null for OpenAI's default
 * @param truncateGrace     after a barge-in, how long Parley waits for the client's own
 *                          {@code conversation.item.truncate} before sending its estimate (zero: at once)
 */
public record BridgeSettings(OpenAiRealtimeClient upstream, TurnDetection turnDetection, int silenceDurationMs,
                             String voice, String instructions, Duration truncateGrace) {

    /** OpenAI's turn detectors. */
    public enum TurnDetection {
        SERVER_VAD("server_vad"), SEMANTIC_VAD("semantic_vad");

        final String wire;

        TurnDetection(String wire) {
            this.wire = wire;
        }
    }

    public static final int DEFAULT_SILENCE_MS = 500;

    public BridgeSettings {
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(turnDetection, "turnDetection");
        if (silenceDurationMs < 0 || silenceDurationMs > 10_000) {
            throw new IllegalArgumentException("silenceDurationMs must be 0-10000, not " + silenceDurationMs);
        }
        if (voice != null && voice.isBlank()) voice = null;
        if (instructions != null && instructions.isBlank()) instructions = null;
        Objects.requireNonNull(truncateGrace, "truncateGrace");
        if (truncateGrace.isNegative()) throw new IllegalArgumentException("truncateGrace must not be negative");
    }

    /** Bridging to {@code upstream} with server VAD (500 ms), OpenAI's voice and instructions, 400 ms truncate grace. */
    public static BridgeSettings of(OpenAiRealtimeClient upstream) {
        return new BridgeSettings(upstream, TurnDetection.SERVER_VAD, DEFAULT_SILENCE_MS, null, null, Duration.ofMillis(400));
    }

    /** {@link #of} a client configured from {@code OPENAI_API_KEY} and {@code OPENAI_BASE_URL}. */
    public static BridgeSettings fromEnvironment(Map<String, String> env) {
        return of(new OpenAiRealtimeClient(OpenAiRealtimeConfig.fromEnvironment(env)));
    }

    public BridgeSettings withTurnDetection(TurnDetection t) {
        return new BridgeSettings(upstream, t, silenceDurationMs, voice, instructions, truncateGrace);
    }

    public BridgeSettings withSilenceDurationMs(int ms) {
        return new BridgeSettings(upstream, turnDetection, ms, voice, instructions, truncateGrace);
    }

    public BridgeSettings withVoice(String v) {
        return new BridgeSettings(upstream, turnDetection, silenceDurationMs, v, instructions, truncateGrace);
    }

    public BridgeSettings withInstructions(String text) {
        return new BridgeSettings(upstream, turnDetection, silenceDurationMs, voice, text, truncateGrace);
    }

    public BridgeSettings withTruncateGrace(Duration grace) {
        return new BridgeSettings(upstream, turnDetection, silenceDurationMs, voice, instructions, grace);
    }

    /**
     * Parley's first {@code session.update}: the GA shape ({@code session.type "realtime"},
     * {@code audio.input/output.format {"type":"audio/pcm","rate":24000}}, {@code audio.input.turn_detection},
     * {@code audio.output.voice}), or with the beta interface the beta shape ({@code input_audio_format} /
     * {@code output_audio_format "pcm16"}, top-level {@code turn_detection} and {@code voice}).
     */
    ObjectNode sessionUpdate(String eventId) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode turn = f.objectNode().put("type", turnDetection.wire);
        if (turnDetection == TurnDetection.SERVER_VAD) turn.put("silence_duration_ms", silenceDurationMs);
        ObjectNode e = f.objectNode().put("type", "session.update").put("event_id", eventId);
        ObjectNode s = e.putObject("session");
        if (upstream.config().beta()) {
            s.put("input_audio_format", "pcm16");
            s.put("output_audio_format", "pcm16");
            s.set("turn_detection", turn);
            if (voice != null) s.put("voice", voice);
        } else {
            s.put("type", "realtime");
            ObjectNode audio = s.putObject("audio");
            ObjectNode input = audio.putObject("input");
            input.putObject("format").put("type", "audio/pcm").put("rate", 24_000);
            input.set("turn_detection", turn);
            ObjectNode output = audio.putObject("output");
            output.putObject("format").put("type", "audio/pcm").put("rate", 24_000);
            if (voice != null) output.put("voice", voice);
        }
        if (instructions != null) s.put("instructions", instructions);
        return e;
    }
}

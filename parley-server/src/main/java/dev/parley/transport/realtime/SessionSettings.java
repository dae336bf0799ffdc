package dev.parley.transport.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.session.SessionConfig;
import dev.parley.turn.Endpointer;

import java.util.Iterator;
import java.util.Map;

/**
 * A Realtime session's configuration as the protocol shows it ({@code session.created}, {@code session.updated}),
 * and how it maps onto a {@link SessionConfig}.
 *
 * @param model          what the client asked for in {@code ?model=} (reported back; Parley's engines are the server's)
 * @param instructions   system instructions for the dialog
 * @param voice          the voice name the client chose (every name speaks with the server's voice)
 * @param input          the audio format of {@code input_audio_buffer.append}
 * @param output         the audio format of {@code response.output_audio.delta}
 * @param turnDetection  server VAD settings, or null for push-to-talk
 * @param transcription  whether {@code conversation.item.input_audio_transcription.*} events are sent
 * @param wake           Parley's extension {@code session.parley}: the wake phrases and the follow-up window
 */
public record SessionSettings(String model, String instructions, String voice, WireFormat input, WireFormat output,
                              TurnDetection turnDetection, boolean transcription, SessionConfig.WakeWords wake) {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /**
     * {@code turn_detection}.
     *
     * @param type      server_vad (the server's turn detection), or semantic_vad (the words decide with the silence:
     *                  eagerness sets the silence and the longest pause inside an unfinished sentence)
     * @param eagerness for semantic_vad: low, medium, high, auto
     */
    public record TurnDetection(String type, float threshold, int prefixPaddingMs, int silenceDurationMs,
                                boolean createResponse, boolean interruptResponse, String eagerness) {
    }

    /** The settings a new session starts with, from the server's defaults. */
    public static SessionSettings defaults(String model, String voice, SessionConfig base) {
        return new SessionSettings(model, "", voice, WireFormat.PCM_24K, WireFormat.PCM_24K, serverVad(base), true, base.wake());
    }

    /** The sample rate of the input audio. */
    public int inputRate() {
        return input.rate();
    }

    /** The sample rate of the output audio. */
    public int outputRate() {
        return output.rate();
    }

    private static TurnDetection serverVad(SessionConfig base) {
        return new TurnDetection("server_vad", base.endpoint().threshold(), base.preRollMs(), base.endpoint().endSilenceMs(),
                true, true, null);
    }

    /** The session settings mapped onto the pipeline's, over the server's {@code base}. */
    public SessionConfig toSessionConfig(SessionConfig base) {
        base = base.withWake(wake);
        if (turnDetection == null) return base.withTurns(SessionConfig.TurnTaking.PUSH_TO_TALK);
        Endpointer.Config e = base.endpoint();
        SessionConfig c = base.withEndpoint(new Endpointer.Config(turnDetection.threshold(), e.minSpeechMs(), turnDetection.silenceDurationMs(), e.maxSpeechMs()))
                .withPreRollMs(turnDetection.prefixPaddingMs())
                .withTurns(new SessionConfig.TurnTaking(true, turnDetection.createResponse(), turnDetection.interruptResponse()));
        if (!"semantic_vad".equals(turnDetection.type())) return c; // server_vad: the server's own turn detection
        // semantic_vad: the words decide with the silence; the eagerness sets how long an unfinished sentence may pause
        int longestPause = switch (turnDetection.eagerness() == null ? "auto" : turnDetection.eagerness()) {
            case "low" -> 3000;
            case "high" -> 1000;
            default -> 1500;
        };
        return c.withDetection(new SessionConfig.TurnDetection(true, longestPause));
    }

    /**
     * Applies a {@code session.update}'s {@code session} object: only the fields present change. Both the GA shape
     * ({@code audio.input.format}, {@code audio.input.turn_detection}, …) and the beta one
     * ({@code input_audio_format}, {@code turn_detection}, …) are read.
     */
    public SessionSettings apply(JsonNode s, SessionConfig base) throws ProtocolException {
        SessionSettings r = this;
        if (s.has("type") && !"realtime".equals(s.get("type").asText())) {
            throw new ProtocolException("invalid_value", "Parley serves realtime sessions only", "session.type");
        }
        if (s.has("instructions")) r = r.withInstructions(string(s.get("instructions"), "session.instructions"));
        for (String key : new String[]{"output_modalities", "modalities"}) {
            if (s.has(key)) modalities(s.get(key), "session." + key);
        }
        // beta spellings
        if (s.has("voice")) r = r.withVoice(voice(s.get("voice"), "session.voice"));
        if (s.has("input_audio_format")) r = r.withInput(WireFormat.fromJson(s.get("input_audio_format"), "session.input_audio_format", true));
        if (s.has("output_audio_format")) r = r.withOutput(WireFormat.fromJson(s.get("output_audio_format"), "session.output_audio_format", false));
        if (s.has("turn_detection")) r = r.withTurnDetection(turnDetection(s.get("turn_detection"), base, "session.turn_detection"));
        if (s.has("input_audio_transcription")) r = r.withTranscription(!s.get("input_audio_transcription").isNull());
        if (s.has("parley")) r = r.withWake(parley(s.get("parley"), r.wake));
        // GA
        JsonNode audio = s.get("audio");
        if (audio != null && !audio.isNull()) {
            if (!audio.isObject()) throw new ProtocolException("invalid_value", "\"audio\" must be an object", "session.audio");
            JsonNode in = audio.get("input");
            if (in != null && !in.isNull()) {
                if (in.has("format")) r = r.withInput(WireFormat.fromJson(in.get("format"), "session.audio.input.format", true));
                if (in.has("turn_detection")) r = r.withTurnDetection(turnDetection(in.get("turn_detection"), base, "session.audio.input.turn_detection"));
                if (in.has("transcription")) r = r.withTranscription(!in.get("transcription").isNull());
            }
            JsonNode out = audio.get("output");
            if (out != null && !out.isNull()) {
                if (out.has("format")) r = r.withOutput(WireFormat.fromJson(out.get("format"), "session.audio.output.format", false));
                if (out.has("voice")) r = r.withVoice(voice(out.get("voice"), "session.audio.output.voice"));
                if (out.has("speed") && (!out.get("speed").isNumber() || out.get("speed").asDouble() != 1.0)) {
                    throw new ProtocolException("invalid_value", "Parley speaks at speed 1.0 only", "session.audio.output.speed");
                }
            }
        }
        return r;
    }

    /** The GA {@code session} object. */
    public ObjectNode toJson(String sessionId) {
        ObjectNode s = NODES.objectNode();
        s.put("type", "realtime");
        s.put("object", "realtime.session");
        s.put("id", sessionId);
        s.put("model", model);
        s.putArray("output_modalities").add("audio");
        s.put("instructions", instructions);
        ObjectNode audio = s.putObject("audio");
        ObjectNode in = audio.putObject("input");
        in.set("format", input.toJson());
        if (transcription) in.putObject("transcription").put("model", "parley-stt");
        else in.putNull("transcription");
        in.putNull("noise_reduction");
        if (turnDetection == null) {
            in.putNull("turn_detection");
        } else {
            ObjectNode td = in.putObject("turn_detection");
            td.put("type", turnDetection.type());
            if (turnDetection.eagerness() != null) td.put("eagerness", turnDetection.eagerness());
            td.put("threshold", turnDetection.threshold());
            td.put("prefix_padding_ms", turnDetection.prefixPaddingMs());
            td.put("silence_duration_ms", turnDetection.silenceDurationMs());
            td.put("create_response", turnDetection.createResponse());
            td.put("interrupt_response", turnDetection.interruptResponse());
            td.putNull("idle_timeout_ms");
        }
        ObjectNode out = audio.putObject("output");
        out.set("format", output.toJson());
        out.put("voice", voice);
        out.put("speed", 1.0);
        s.putArray("tools");
        s.put("tool_choice", "auto");
        s.put("max_output_tokens", "inf");
        s.putNull("tracing");
        s.put("truncation", "auto");
        s.putNull("prompt");
        ObjectNode parley = s.putObject("parley");
        var phrases = parley.putArray("wake_words");
        wake.phrases().forEach(phrases::add);
        parley.put("follow_up_ms", wake.followUpMs());
        return s;
    }

    /**
     * Parley's extension {@code session.parley}: {@code wake_words} (an array of phrases; empty or null: none) and
     * {@code follow_up_ms}; fields left out keep their value.
     */
    private static SessionConfig.WakeWords parley(JsonNode p, SessionConfig.WakeWords current) throws ProtocolException {
        if (p.isNull()) return current;
        if (!p.isObject()) throw new ProtocolException("invalid_value", "\"parley\" must be an object", "session.parley");
        java.util.List<String> phrases = current.phrases();
        int followUp = current.followUpMs();
        JsonNode w = p.get("wake_words");
        if (w != null) {
            if (w.isNull()) {
                phrases = java.util.List.of();
            } else {
                if (!w.isArray()) throw new ProtocolException("invalid_value", "wake_words must be an array of phrases", "session.parley.wake_words");
                phrases = new java.util.ArrayList<>();
                for (JsonNode v : w) {
                    if (!v.isTextual()) throw new ProtocolException("invalid_value", "a wake phrase is a string", "session.parley.wake_words");
                    phrases.add(v.asText());
                }
            }
        }
        JsonNode f = p.get("follow_up_ms");
        if (f != null) {
            if (!f.isIntegralNumber()) throw new ProtocolException("invalid_value", "follow_up_ms must be a whole number", "session.parley.follow_up_ms");
            followUp = f.asInt();
        }
        try {
            return new SessionConfig.WakeWords(phrases, followUp);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("invalid_value", e.getMessage(), f != null && w == null ? "session.parley.follow_up_ms" : "session.parley.wake_words");
        }
    }

    private static void modalities(JsonNode m, String param) throws ProtocolException {
        if (!m.isArray()) throw new ProtocolException("invalid_value", "modalities must be an array", param);
        for (JsonNode v : m) {
            if (v.asText().equals("audio")) return;
        }
        throw new ProtocolException("invalid_value", "Parley always answers with audio (and its transcript): include \"audio\"", param);
    }

    private static String voice(JsonNode v, String param) throws ProtocolException {
        if (v.isTextual() && !v.asText().isBlank()) return v.asText();
        if (v.isObject() && v.path("id").isTextual()) return v.get("id").asText();
        throw new ProtocolException("invalid_value", "a voice is a name", param);
    }

    private static String string(JsonNode v, String param) throws ProtocolException {
        if (v.isNull()) return "";
        if (!v.isTextual()) throw new ProtocolException("invalid_value", "must be a string", param);
        return v.asText();
    }

    private static TurnDetection turnDetection(JsonNode td, SessionConfig base, String param) throws ProtocolException {
        if (td.isNull()) return null;
        if (!td.isObject()) throw new ProtocolException("invalid_value", "turn_detection must be an object or null", param);
        TurnDetection d = serverVad(base);
        String type = td.path("type").asText("server_vad");
        String eagerness = null;
        int silence = d.silenceDurationMs();
        switch (type) {
            case "server_vad" -> {
            }
            case "semantic_vad" -> {
                eagerness = td.path("eagerness").asText("auto");
                silence = switch (eagerness) {
                    case "low" -> 800;
                    case "medium", "auto" -> Math.max(500, silence);
                    case "high" -> silence;
                    default -> throw new ProtocolException("invalid_value", "eagerness must be low, medium, high or auto", param + ".eagerness");
                };
            }
            default -> throw new ProtocolException("invalid_value", "turn_detection type must be server_vad or semantic_vad", param + ".type");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = td.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode v = f.getValue();
            String p = param + "." + f.getKey();
            switch (f.getKey()) {
                case "threshold" -> {
                    if (!v.isNumber() || v.asDouble() <= 0 || v.asDouble() >= 1) throw new ProtocolException("invalid_value", "threshold must be between 0 and 1", p);
                    d = new TurnDetection(type, (float) v.asDouble(), d.prefixPaddingMs(), silence, d.createResponse(), d.interruptResponse(), eagerness);
                }
                case "prefix_padding_ms" -> {
                    if (!v.isIntegralNumber() || v.asInt() < 0 || v.asInt() > SessionConfig.MAX_PRE_ROLL_MS) {
                        throw new ProtocolException("invalid_value", "prefix_padding_ms must be from 0 to " + SessionConfig.MAX_PRE_ROLL_MS, p);
                    }
                    d = new TurnDetection(type, d.threshold(), v.asInt(), silence, d.createResponse(), d.interruptResponse(), eagerness);
                }
                case "silence_duration_ms" -> {
                    if (!v.isIntegralNumber() || v.asInt() < 50 || v.asInt() > 10_000) {
                        throw new ProtocolException("invalid_value", "silence_duration_ms must be from 50 to 10000", p);
                    }
                    silence = v.asInt();
                }
                case "create_response", "interrupt_response" -> {
                    if (!v.isBoolean()) throw new ProtocolException("invalid_value", f.getKey() + " must be true or false", p);
                    boolean create = f.getKey().equals("create_response") ? v.asBoolean() : d.createResponse();
                    boolean interrupt = f.getKey().equals("interrupt_response") ? v.asBoolean() : d.interruptResponse();
                    d = new TurnDetection(type, d.threshold(), d.prefixPaddingMs(), silence, create, interrupt, eagerness);
                }
                default -> {
                    // type, eagerness (read above), idle_timeout_ms and fields of later API versions: not used
                }
            }
        }
        return new TurnDetection(type, d.threshold(), d.prefixPaddingMs(), silence, d.createResponse(), d.interruptResponse(), eagerness);
    }

    SessionSettings withInstructions(String v) {
        return new SessionSettings(model, v, voice, input, output, turnDetection, transcription, wake);
    }

    SessionSettings withVoice(String v) {
        return new SessionSettings(model, instructions, v, input, output, turnDetection, transcription, wake);
    }

    SessionSettings withInput(WireFormat v) {
        return new SessionSettings(model, instructions, voice, v, output, turnDetection, transcription, wake);
    }

    SessionSettings withOutput(WireFormat v) {
        return new SessionSettings(model, instructions, voice, input, v, turnDetection, transcription, wake);
    }

    SessionSettings withTurnDetection(TurnDetection v) {
        return new SessionSettings(model, instructions, voice, input, output, v, transcription, wake);
    }

    SessionSettings withWake(SessionConfig.WakeWords v) {
        return new SessionSettings(model, instructions, voice, input, output, turnDetection, transcription, v);
    }

    SessionSettings withTranscription(boolean v) {
        return new SessionSettings(model, instructions, voice, input, output, turnDetection, v, wake);
    }
}

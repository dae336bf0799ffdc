package dev.parley.transport.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.audio.G711;
import dev.parley.audio.PcmAudio;

import java.util.Set;

/**
 * An audio format of the protocol, on the wire: {@code audio/pcm} (PCM16 little-endian at one of several rates), or
 * G.711 at 8 kHz, {@code audio/pcmu} (μ-law) and {@code audio/pcma} (A-law), one byte per sample, as telephone
 * gateways send it. Beta clients name them {@code pcm16}, {@code g711_ulaw} and {@code g711_alaw}. For input only,
 * Parley's extension {@code audio/opus} (packets a session decodes with its own {@link OpusInput}): a browser's
 * microphone at a tenth of PCM's bandwidth.
 *
 * @param law null for PCM16 and Opus
 */
record WireFormat(String type, int rate, G711.Law law) {
    static final WireFormat PCM_24K = new WireFormat("audio/pcm", 24_000, null);
    static final WireFormat PCMU = new WireFormat("audio/pcmu", 8_000, G711.Law.ULAW);
    static final WireFormat PCMA = new WireFormat("audio/pcma", 8_000, G711.Law.ALAW);
    private static final Set<Integer> PCM_RATES = Set.of(8000, 16000, 24000, 44100, 48000);
    private static final Set<Integer> OPUS_RATES = Set.of(8000, 12000, 16000, 24000, 48000);

    boolean opus() {
        return type.equals("audio/opus");
    }

    int bytesPerSample() {
        return law == null ? 2 : 1;
    }

    /** Bytes on the wire to samples; PCM16 must come in whole samples. Opus is the session's {@link OpusInput}'s. */
    PcmAudio decode(byte[] bytes) throws ProtocolException {
        if (opus()) throw new IllegalStateException("Opus is decoded by the session's own decoder");
        if (law != null) return new PcmAudio(G711.decode(law, bytes), rate);
        if (bytes.length % 2 != 0) {
            throw new ProtocolException("invalid_audio", "\"audio\" holds " + bytes.length + " bytes, not whole 16-bit samples", "audio");
        }
        return PcmAudio.fromLittleEndianBytes(bytes, 0, bytes.length, rate);
    }

    /** Samples (at this format's rate) to bytes on the wire. */
    byte[] encode(PcmAudio chunk) {
        return law == null ? chunk.toLittleEndianBytes() : G711.encode(law, chunk.samples());
    }

    ObjectNode toJson() {
        ObjectNode f = JsonNodeFactory.instance.objectNode();
        f.put("type", type);
        if (law == null) f.put("rate", rate);
        return f;
    }

    /**
     * A GA format object ({@code {"type":"audio/pcm","rate":24000}}) or a beta name; {@code input}: the format of the
     * client's audio, which may also be Opus.
     */
    static WireFormat fromJson(JsonNode f, String param, boolean input) throws ProtocolException {
        if (f.isTextual()) return fromBetaName(f, param);
        if (!f.isObject()) throw new ProtocolException("invalid_value", "a format is an object like {\"type\":\"audio/pcm\",\"rate\":24000}", param);
        String type = f.path("type").asText("");
        JsonNode rate = f.get("rate");
        switch (type) {
            case "audio/pcmu", "audio/pcma" -> {
                if (rate != null && !rate.isNull() && !(rate.isIntegralNumber() && rate.asInt() == 8000)) {
                    throw new ProtocolException("unsupported_format", type + " is 8000 Hz", param + ".rate");
                }
                return type.equals("audio/pcmu") ? PCMU : PCMA;
            }
            case "audio/pcm" -> {
                if (rate == null || rate.isNull()) return PCM_24K;
                if (!rate.isIntegralNumber() || !PCM_RATES.contains(rate.asInt())) {
                    throw new ProtocolException("unsupported_format", "audio/pcm rate must be one of 24000 (OpenAI's), 8000, 16000, 44100, 48000", param + ".rate");
                }
                return new WireFormat("audio/pcm", rate.asInt(), null);
            }
            case "audio/opus" -> {
                if (!input) throw new ProtocolException("unsupported_format", "Parley sends audio/pcm, audio/pcmu or audio/pcma; audio/opus is for input", param + ".type");
                int r = rate == null || rate.isNull() ? 48_000 : rate.isIntegralNumber() ? rate.asInt() : -1;
                if (!OPUS_RATES.contains(r)) throw new ProtocolException("unsupported_format", "audio/opus rate must be one of 48000, 24000, 16000, 12000, 8000", param + ".rate");
                return new WireFormat("audio/opus", r, null);
            }
            default -> throw new ProtocolException("unsupported_format",
                    "Parley supports audio/pcm (PCM16), audio/pcmu and audio/pcma (G.711), and audio/opus for input, not \"" + type + "\"", param + ".type");
        }
    }

    private static WireFormat fromBetaName(JsonNode f, String param) throws ProtocolException {
        return switch (f.asText()) {
            case "pcm16" -> PCM_24K;
            case "g711_ulaw" -> PCMU;
            case "g711_alaw" -> PCMA;
            default -> throw new ProtocolException("unsupported_format", "Parley supports pcm16, g711_ulaw and g711_alaw, not " + f, param);
        };
    }
}

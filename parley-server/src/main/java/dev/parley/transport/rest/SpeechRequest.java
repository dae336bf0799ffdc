package dev.parley.transport.rest;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Locale;

/**
 * The body of {@code POST /v1/audio/speech}: {@code model} and {@code voice} (required as by OpenAI; one of the
 * server's voices, OpenAI's names speaking with its default), {@code input} (1 to {@link RestLimits#maxSpeechChars()}
 * characters), {@code response_format} ({@code pcm}: raw 24 kHz 16-bit mono little-endian; {@code wav}, also the
 * default, as Parley has no mp3 encoder), {@code speed} (0.25 to 4), {@code stream_format} ({@code audio} only);
 * {@code instructions} is taken and not used.
 */
record SpeechRequest(String model, String voice, String input, Format format, double speed) {
    enum Format { PCM, WAV }

    static SpeechRequest parse(JsonNode body, int maxChars) {
        String model = JsonBody.string(body, "model");
        String input = JsonBody.string(body, "input");
        if (input.isBlank()) throw ApiError.badRequest("input", "empty_string", "input must not be empty");
        if (input.length() > maxChars) {
            throw ApiError.badRequest("input", "string_above_max_length", "input is " + input.length()
                    + " characters long; the most is " + maxChars);
        }
        JsonNode voice = body.get("voice");
        if (voice == null || voice.isNull()) throw ApiError.missing("voice");
        if (!voice.isTextual() && !(voice.isObject() && voice.path("id").isTextual())) {
            throw ApiError.badRequest("voice", "invalid_type", "voice must be a voice's name or {\"id\": …}");
        }
        JsonBody.string(body, "instructions", null);
        String format = JsonBody.string(body, "response_format", "wav").strip().toLowerCase(Locale.ROOT);
        Format f = switch (format) {
            case "pcm" -> Format.PCM;
            case "wav" -> Format.WAV;
            case "mp3", "opus", "aac", "flac" -> throw ApiError.badRequest("response_format", "unsupported_value",
                    "response_format " + format + " is not available from this server: use pcm (24 kHz 16-bit mono) or wav");
            default -> throw ApiError.badRequest("response_format", "invalid_value",
                    "response_format must be one of mp3, opus, aac, flac, wav or pcm (this server makes pcm and wav)");
        };
        String stream = JsonBody.string(body, "stream_format", "audio");
        if (!stream.equals("audio")) {
            throw ApiError.badRequest("stream_format", "unsupported_value", "stream_format must be audio on this server "
                    + "(the audio is streamed as it is synthesised)");
        }
        double speed = JsonBody.number(body, "speed", 0.25, 4.0, 1.0);
        return new SpeechRequest(model, voice.isTextual() ? voice.asText() : voice.get("id").asText(), input.strip(), f, speed);
    }
}

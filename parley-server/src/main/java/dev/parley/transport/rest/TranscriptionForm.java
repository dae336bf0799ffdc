package dev.parley.transport.rest;

import dev.parley.audio.PcmAudio;
import dev.parley.audio.WavFile;
import dev.parley.audio.WavFormatException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The form of {@code POST /v1/audio/transcriptions}, read part by part: {@code file} (a WAV file, decoded as it
 * arrives), {@code model} (required, echoed), {@code language}, {@code prompt} and {@code temperature} (taken, not
 * used), {@code response_format} and {@code stream}. Other fields ({@code include[]},
 * {@code timestamp_granularities[]}, {@code chunking_strategy}) are accepted and ignored.
 */
record TranscriptionForm(PcmAudio audio, String model, String language, Format format, boolean stream) {
    private static final int MAX_FIELD_BYTES = 8 * 1024;

    /** OpenAI's response formats. */
    enum Format {
        JSON, TEXT, VERBOSE_JSON, SRT, VTT;

        static Format parse(String value) {
            try {
                return valueOf(value.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("response_format", "unsupported_value", "response_format must be one of json, "
                        + "text, verbose_json, srt or vtt");
            }
        }
    }

    /** Reads the form from {@code in}, whose parts {@code boundary} separates. */
    static TranscriptionForm read(InputStream in, String boundary) throws IOException {
        MultipartReader form = new MultipartReader(in, boundary);
        PcmAudio audio = null;
        String model = null;
        String language = null;
        Format format = Format.JSON;
        boolean stream = false;
        for (MultipartReader.Part part; (part = form.next()) != null; ) {
            switch (part.name()) {
                case "file" -> {
                    if (audio != null) throw ApiError.badRequest("file", "invalid_value", "send one file");
                    audio = decode(part.body());
                }
                case "model" -> model = field(part);
                case "language" -> language = field(part);
                case "response_format" -> format = Format.parse(field(part));
                case "stream" -> stream = bool("stream", field(part));
                case "temperature" -> temperature(field(part));
                default -> field(part); // prompt, include[], timestamp_granularities[], …: read, not used
            }
        }
        if (audio == null) throw ApiError.missing("file");
        if (model == null || model.isBlank()) throw ApiError.missing("model");
        if (language != null && !language.isBlank() && !language.strip().matches("[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})?")) {
            throw ApiError.badRequest("language", "invalid_value", "language must be an ISO-639-1 code such as en");
        }
        if (audio.length() < audio.sampleRate() / 10) {
            throw ApiError.badRequest("file", "audio_too_short", "Audio file is too short. Minimum audio length is 0.1 seconds.");
        }
        return new TranscriptionForm(audio, model.strip(), language == null || language.isBlank() ? null : language.strip(),
                format, stream);
    }

    /** The uploaded file as mono PCM16 at its own rate. */
    private static PcmAudio decode(InputStream body) throws IOException {
        PcmAudio audio;
        try {
            audio = WavFile.read(body, "the file");
        } catch (WavFormatException e) {
            throw ApiError.badRequest("file", "invalid_value", e.getMessage() + "; Parley transcribes WAV files "
                    + "(PCM 8 to 32 bits, float, A-law or mu-law; any rate, mono or stereo)");
        }
        body.transferTo(java.io.OutputStream.nullOutputStream()); // whatever follows the data chunk
        return audio;
    }

    private static String field(MultipartReader.Part part) throws IOException {
        byte[] bytes = part.body().readNBytes(MAX_FIELD_BYTES + 1);
        if (bytes.length > MAX_FIELD_BYTES) {
            throw ApiError.badRequest(part.name(), "string_above_max_length",
                    part.name() + " is longer than " + MAX_FIELD_BYTES + " bytes");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static boolean bool(String name, String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0", "" -> false;
            default -> throw ApiError.badRequest(name, "invalid_type", name + " must be true or false");
        };
    }

    private static void temperature(String value) {
        try {
            double t = Double.parseDouble(value.strip());
            if (t >= 0 && t <= 1) return;
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiError.badRequest("temperature", "invalid_value", "temperature must be a number between 0 and 1");
    }

    /** The language to report: the one asked for, else English (the embedded recogniser's). */
    String languageName() {
        if (language == null) return "english";
        String name = Locale.forLanguageTag(language.replace('_', '-')).getDisplayLanguage(Locale.ENGLISH);
        return name.isEmpty() ? language : name.toLowerCase(Locale.ROOT);
    }
}

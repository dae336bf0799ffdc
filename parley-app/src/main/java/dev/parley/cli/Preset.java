package dev.parley.cli;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Settings that reproduce the classic cloud pipelines, applied under the config file and the flags (either may
 * change any of them): {@code --preset deepgram --tts openai} keeps Deepgram's ears and gives it OpenAI's voice.
 * Each entry is an option's long name and its value, exactly as in the YAML file.
 */
enum Preset {
    /** whisper-1 → gpt-4o-mini → tts-1. */
    openai(Map.of("stt", "openai", "stt-model", "whisper-1", "llm", "openai", "llm-model", "gpt-4o-mini",
            "tts", "openai", "tts-model", "tts-1")),
    /**
     * {@code serve}: every session bridged to OpenAI's Realtime API (speech to speech, server VAD). {@code talk},
     * {@code reply} and {@code ask} run the nearest cascade: realtime transcription → gpt-4o-mini → gpt-4o-mini-tts.
     */
    openai_realtime(Map.of("realtime-model", "gpt-realtime", "stt", "openai-realtime", "stt-model", "gpt-4o-mini-transcribe",
            "llm", "openai", "llm-model", "gpt-4o-mini", "tts", "openai", "tts-model", "gpt-4o-mini-tts")),
    /** Nova-3 → gpt-4o-mini → Aura-2. */
    deepgram(Map.of("stt", "deepgram", "stt-model", "nova-3", "llm", "openai", "llm-model", "gpt-4o-mini",
            "tts", "deepgram", "tts-model", "aura-2-thalia-en")),
    /** Google Speech-to-Text → Gemini (through its OpenAI-compatible endpoint) → Google Text-to-Speech. */
    google(Map.of("stt", "google", "llm", "google", "llm-model", "gemini-2.5-flash", "tts", "google"));

    private final Map<String, String> settings;

    Preset(Map<String, String> settings) {
        this.settings = settings;
    }

    /** The name users type: {@code openai-realtime}. */
    String label() {
        return name().replace('_', '-');
    }

    Map<String, String> settings() {
        return settings;
    }

    static Preset named(String name) {
        for (Preset p : values()) {
            if (p.label().equals(name)) return p;
        }
        throw new UserError("unknown preset '" + name + "'. Presets: "
                + Arrays.stream(values()).map(Preset::label).collect(Collectors.joining(", ")));
    }
}

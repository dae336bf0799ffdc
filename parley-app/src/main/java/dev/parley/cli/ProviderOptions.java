package dev.parley.cli;

import picocli.CommandLine.Option;

/**
 * Which engine serves each stage, and the providers' settings: shared by every command that listens or speaks.
 * {@code --preset} fills these in for the classic cloud pipelines; each flag (or config key) overrides its part.
 */
final class ProviderOptions {
    /** Who turns speech into text. */
    enum Stt { embedded, openai, openai_realtime, deepgram, google }

    /** Who turns text into speech. */
    enum Tts { embedded, openai, deepgram, google }

    /** What takes over a failed provider within the turn. */
    enum Fallback { embedded, none }

    @Option(names = "--preset", paramLabel = "NAME",
            description = "A classic pipeline: openai (whisper-1 → gpt-4o-mini → tts-1), openai-realtime (serve: speech to speech "
                    + "through OpenAI's Realtime API), deepgram (nova-3 → gpt-4o-mini → aura-2), google. Flags and the config "
                    + "file override its parts.")
    String preset;

    @Option(names = "--stt", paramLabel = "PROVIDER", defaultValue = "embedded", converter = SttConverter.class,
            description = "Speech to text: embedded (Vosk, offline), openai, openai-realtime (streaming transcription session), "
                    + "deepgram, google. Default: ${DEFAULT-VALUE}.")
    Stt stt;

    @Option(names = "--stt-model", paramLabel = "NAME",
            description = "The STT provider's model: whisper-1, gpt-4o-mini-transcribe, gpt-4o-transcribe (openai); nova-3 "
                    + "(deepgram); latest_short, latest_long (google). Default: the provider's.")
    String sttModel;

    @Option(names = {"--language", "--stt-language"}, paramLabel = "CODE", defaultValue = "en",
            description = "The language spoken and answered, as BCP-47 (en, ru, de-DE, …): the recogniser's language on every provider, the language an LLM answers in, and the default voice (espeak-ng's for a language MaryTTS lacks). The embedded recogniser hears English only. Default: ${DEFAULT-VALUE}.")
    String sttLanguage;

    /** The {@code --language} setting. */
    Language language() {
        return Language.parse(sttLanguage);
    }

    @Option(names = "--stt-phrases", paramLabel = "LIST", split = ",",
            description = "Words and phrases the recogniser should expect (google: phrase hints; deepgram: keyterms), comma separated.")
    java.util.List<String> sttPhrases;

    @Option(names = "--stt-boost", paramLabel = "N", defaultValue = "0",
            description = "How strongly --stt-phrases are favoured (google: speech context boost, 0-20; 0: the provider's default). Default: ${DEFAULT-VALUE}.")
    float sttBoost;

    @Option(names = "--tts", paramLabel = "PROVIDER", defaultValue = "embedded",
            description = "Text to speech: embedded (MaryTTS, offline), openai, deepgram, google. Default: ${DEFAULT-VALUE}.")
    Tts tts;

    @Option(names = "--tts-model", paramLabel = "NAME",
            description = "The TTS provider's model: tts-1, gpt-4o-mini-tts (openai); aura-2-thalia-en and other Aura-2 voices "
                    + "(deepgram). Default: the provider's.")
    String ttsModel;

    @Option(names = "--tts-voice", paramLabel = "NAME",
            description = "The cloud voice: alloy, nova, … (openai); en-US-Chirp3-HD-Aoede, … (google). Default: the provider's.")
    String ttsVoice;

    @Option(names = "--tts-instructions", paramLabel = "TEXT",
            description = "How the voice should speak (gpt-4o-mini-tts only), e.g. \"Warm and brief.\"")
    String ttsInstructions;

    @Option(names = "--realtime-model", paramLabel = "NAME",
            description = "serve: bridge every session to OpenAI's Realtime API running this model (speech to speech) "
                    + "instead of Parley's own pipeline.")
    String realtimeModel;

    @Option(names = "--realtime-vad", paramLabel = "server_vad|semantic_vad", defaultValue = "server_vad",
            description = "The turn detection OpenAI's Realtime API runs in bridge mode. Default: ${DEFAULT-VALUE}.")
    String realtimeVad;

    @Option(names = "--fallback", paramLabel = "embedded|none", defaultValue = "embedded",
            description = "What takes over, within the same turn and after a short spoken apology, when a cloud provider "
                    + "fails (error, 5xx, stall, dropped stream): the embedded engines and the offline skills, or none "
                    + "(the turn fails with an error). Default: ${DEFAULT-VALUE}.")
    Fallback fallback;

    @Option(names = "--connect-timeout-ms", paramLabel = "MS", defaultValue = "5000",
            description = "Longest wait to connect to a cloud provider. Default: ${DEFAULT-VALUE}.")
    int connectTimeoutMs;

    @Option(names = "--stt-timeout-ms", paramLabel = "MS", defaultValue = "10000",
            description = "Longest wait for a cloud STT's final transcript once the user stopped. Default: ${DEFAULT-VALUE}.")
    int sttTimeoutMs;

    @Option(names = "--llm-timeout-ms", paramLabel = "MS", defaultValue = "15000",
            description = "Longest wait for a cloud LLM's first token. Default: ${DEFAULT-VALUE}.")
    int llmTimeoutMs;

    @Option(names = "--tts-timeout-ms", paramLabel = "MS", defaultValue = "10000",
            description = "Longest wait for a cloud voice's first audio. Default: ${DEFAULT-VALUE}.")
    int ttsTimeoutMs;

    /** Accepts {@code openai-realtime} for the enum constant {@code openai_realtime}. */
    static final class SttConverter implements picocli.CommandLine.ITypeConverter<Stt> {
        @Override
        public Stt convert(String value) {
            try {
                return Stt.valueOf(value.replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("'" + value
                        + "' is not a speech-to-text provider: embedded, openai, openai-realtime, deepgram, google");
            }
        }
    }

    void validate() {
        for (int ms : new int[]{connectTimeoutMs, sttTimeoutMs, llmTimeoutMs, ttsTimeoutMs}) {
            if (ms < 100 || ms > 600_000) throw new UserError("invalid setting: provider timeouts must be between 100 and 600000 ms");
        }
        if (!realtimeVad.equals("server_vad") && !realtimeVad.equals("semantic_vad")) {
            throw new UserError("invalid setting: --realtime-vad must be server_vad or semantic_vad");
        }
        Language language = language();
        if (stt == Stt.embedded && !language.english()) {
            throw new UserError("the embedded recogniser (Vosk's small English model) hears English only: for --language "
                    + language.tag() + " (" + language.name() + ") choose a cloud recogniser, --stt openai, deepgram or google");
        }
    }
}

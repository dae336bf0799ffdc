package dev.parley.providers.openai;

import dev.parley.providers.http.ConfigValues;
import dev.parley.providers.http.ExchangeConfig;
import dev.parley.providers.http.Redactor;
import dev.parley.providers.http.RetryPolicy;
import dev.parley.providers.http.Secret;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Where and how to reach OpenAI's audio endpoints, {@code POST /audio/transcriptions} (speech to text) and
 * {@code POST /audio/speech} (text to speech), or a server that offers the same API.
 *
 * <p>One record serves both directions so that the key, base URL and timeouts are set once; each engine reads its
 * own fields. {@code baseUrl} includes the API version ({@code https://api.openai.com/v1}) and follows the rules of
 * {@link OpenAiChatConfig} (http or https, no user info, query or fragment). {@link #fromEnvironment} reads
 * {@code OPENAI_BASE_URL} and {@code OPENAI_API_KEY} as OpenAI's SDKs do. {@link #toString()} never shows the key.
 *
 * <p>Field names follow the API reference (github.com/xiqi/openai-api-markdown, {@code audio/createTranscription.md}
 * and {@code audio/createSpeech.md}): the transcription model is {@code whisper-1}, {@code gpt-4o-mini-transcribe}
 * or {@code gpt-4o-transcribe}; {@code language} is ISO-639-1; the speech model is {@code tts-1} (or
 * {@code tts-1-hd}) or {@code gpt-4o-mini-tts}; {@code instructions} "does not work with tts-1 or tts-1-hd" and is
 * then left out of the request; {@code speed} is 0.25 to 4.0.
 *
 * @param baseUrl          the API root including the version path, without a trailing slash
 * @param apiKey           sent as {@code Authorization: Bearer}; {@link Secret#none()} for servers that need none
 * @param apiKeyEnv        the environment variable the key comes from, named in error messages ("Set …")
 * @param sttModel         the transcription model
 * @param language         the spoken language as ISO-639-1 ({@code en}), or null to let the model detect it
 * @param prompt           text that guides the transcription's style or vocabulary, or null
 * @param sttStream        whether to ask the gpt-4o transcription models to stream their transcript
 *                         ({@code stream=true}); {@code whisper-1} never streams
 * @param ttsModel         the speech model
 * @param voice            the voice ({@code alloy}, {@code ash}, {@code ballad}, {@code coral}, {@code echo},
 *                         {@code fable}, {@code onyx}, {@code nova}, {@code sage}, {@code shimmer}, {@code verse},
 *                         {@code marin}, {@code cedar} or a custom voice id)
 * @param instructions     how the voice should sound, for {@code gpt-4o-mini-tts}; null for none
 * @param speed            0.25 to 4.0, or null for the default (1.0)
 * @param connectTimeout   longest wait for the TCP (and TLS) connection
 * @param firstByteTimeout longest wait from sending a request (the utterance, the text) to the first byte of the
 *                         answer's body (the transcript, the first audio)
 * @param idleTimeout      longest silence between two pieces of a started answer (a stall)
 * @param retry            retries of failures before any byte of an answer arrived
 */
public record OpenAiSpeechConfig(URI baseUrl, Secret apiKey, String apiKeyEnv, String sttModel, String language,
                                 String prompt, boolean sttStream, String ttsModel, String voice,
                                 String instructions, Double speed, Duration connectTimeout,
                                 Duration firstByteTimeout, Duration idleTimeout, RetryPolicy retry)
        implements OpenAiSettings<OpenAiSpeechConfig> {

    public static final String DEFAULT_STT_MODEL = "gpt-4o-mini-transcribe";
    public static final String DEFAULT_TTS_MODEL = "gpt-4o-mini-tts";
    public static final String DEFAULT_VOICE = "alloy";

    public OpenAiSpeechConfig {
        baseUrl = OpenAiConfigValues.baseUrl(baseUrl);
        apiKey = apiKey == null ? Secret.none() : apiKey;
        apiKeyEnv = OpenAiConfigValues.apiKeyEnv(apiKeyEnv, apiKey);
        sttModel = OpenAiConfigValues.name(sttModel, "sttModel");
        ttsModel = OpenAiConfigValues.name(ttsModel, "ttsModel");
        voice = OpenAiConfigValues.name(voice, "voice");
        language = optional(language);
        if (language != null && !language.matches("[A-Za-z]{2,3}")) {
            throw new IllegalArgumentException("language must be an ISO-639-1 code such as 'en', not '"
                    + Redactor.redact(language, apiKey) + "'");
        }
        language = language == null ? null : language.toLowerCase(Locale.ROOT);
        prompt = optional(prompt);
        instructions = optional(instructions);
        if (speed != null && !(speed >= 0.25 && speed <= 4.0)) {
            throw new IllegalArgumentException("speed must be 0.25 to 4.0, not " + speed);
        }
        ConfigValues.positive(connectTimeout, "connectTimeout");
        ConfigValues.positive(firstByteTimeout, "firstByteTimeout");
        ConfigValues.positive(idleTimeout, "idleTimeout");
        retry = retry == null ? RetryPolicy.defaults() : retry;
    }

    /**
     * OpenAI with {@value #DEFAULT_STT_MODEL} (streamed) and {@value #DEFAULT_TTS_MODEL} speaking as
     * {@value #DEFAULT_VOICE}, no key, 5 s to connect, 10 s to the first byte, 10 s of silence at most.
     */
    public static OpenAiSpeechConfig defaults() {
        return new OpenAiSpeechConfig(URI.create(OpenAiChatConfig.DEFAULT_BASE_URL), Secret.none(),
                OpenAiChatConfig.DEFAULT_API_KEY_ENV, DEFAULT_STT_MODEL, null, null, true, DEFAULT_TTS_MODEL,
                DEFAULT_VOICE, null, null, Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(10),
                RetryPolicy.defaults());
    }

    /** {@link #defaults()} with {@code OPENAI_BASE_URL} and {@code OPENAI_API_KEY} from {@code env} where set. */
    public static OpenAiSpeechConfig fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env, OpenAiChatConfig.DEFAULT_API_KEY_ENV);
    }

    /** {@link #defaults()} with {@code OPENAI_BASE_URL} from {@code env} and the key from {@code apiKeyEnv}. */
    public static OpenAiSpeechConfig fromEnvironment(Map<String, String> env, String apiKeyEnv) {
        return OpenAiEnvironment.configure(defaults(), env, apiKeyEnv);
    }

    /** {@code POST} target of speech to text: the base URL and {@code /audio/transcriptions}. */
    public URI transcriptionsUrl() {
        return URI.create(baseUrl + "/audio/transcriptions");
    }

    /** {@code POST} target of text to speech: the base URL and {@code /audio/speech}. */
    public URI speechUrl() {
        return URI.create(baseUrl + "/audio/speech");
    }

    /** {@code GET} target of the credentials check: the base URL and {@code /models}. */
    public URI modelsUrl() {
        return URI.create(baseUrl + "/models");
    }

    /**
     * Whether {@link #sttModel()} is one of the gpt-4o transcription models, which alone stream their transcript
     * and give log probabilities ({@code include[]=logprobs}); the diarizing one does neither here.
     */
    public boolean sttModelIsGpt4o() {
        String m = sttModel.toLowerCase(Locale.ROOT);
        return m.startsWith("gpt-4o") && m.contains("transcribe") && !m.contains("diarize");
    }

    /** Whether transcriptions are requested as a stream of events: {@link #sttStream()} and a gpt-4o model. */
    public boolean streamsTranscripts() {
        return sttStream && sttModelIsGpt4o();
    }

    /** Whether {@link #ttsModel()} accepts {@code instructions}: every model but {@code tts-1} and {@code tts-1-hd}. */
    public boolean ttsModelTakesInstructions() {
        return !ttsModel.toLowerCase(Locale.ROOT).startsWith("tts-1");
    }

    /** The server as messages name it: host and port. */
    public String serverName() {
        return ConfigValues.serverName(baseUrl);
    }

    public OpenAiSpeechConfig withBaseUrl(String url) { return with(c -> c.baseUrl(url)); }

    public OpenAiSpeechConfig withApiKey(Secret key) { return with(c -> c.apiKey = key); }

    /** The variable the key comes from, as error messages name it. */
    public OpenAiSpeechConfig withApiKeyEnv(String name) { return with(c -> c.apiKeyEnv = name); }

    public OpenAiSpeechConfig withSttModel(String model) { return with(c -> c.sttModel = model); }

    /** The spoken language as ISO-639-1, or null to let the model detect it. */
    public OpenAiSpeechConfig withLanguage(String code) { return with(c -> c.language = code); }

    public OpenAiSpeechConfig withPrompt(String text) { return with(c -> c.prompt = text); }

    /** Whether the gpt-4o transcription models are asked to stream their transcript. */
    public OpenAiSpeechConfig withSttStream(boolean stream) { return with(c -> c.sttStream = stream); }

    public OpenAiSpeechConfig withTtsModel(String model) { return with(c -> c.ttsModel = model); }

    /** The voice: one of OpenAI's ({@code alloy}, {@code coral}, …) or a custom voice id. */
    public OpenAiSpeechConfig withVoice(String name) { return with(c -> c.voice = name); }

    public OpenAiSpeechConfig withInstructions(String text) { return with(c -> c.instructions = text); }

    /** 0.25 to 4.0, or null for the default (1.0). */
    public OpenAiSpeechConfig withSpeed(Double value) { return with(c -> c.speed = value); }

    public OpenAiSpeechConfig withTimeouts(Duration connect, Duration firstByte, Duration idle) {
        return with(c -> c.timeouts(connect, firstByte, idle));
    }

    /** Retries of failures before any byte of an answer arrived. */
    public OpenAiSpeechConfig withRetry(RetryPolicy policy) { return with(c -> c.retry = policy); }

    /**
     * An HTTP client for this config: its connect timeout, redirects not followed (an upload must not be replayed
     * elsewhere). One serves every session; its owner closes it.
     */
    public HttpClient newHttpClient() {
        return HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** The exchanges of this config's calls on {@code http}: its timeouts and retries, its key kept out of messages. */
    ExchangeConfig exchanges(HttpClient http) {
        return new ExchangeConfig(http, firstByteTimeout, idleTimeout, retry, apiKey);
    }

    /**
     * {@code b} with {@code Authorization: Bearer …} when a key is set, and HTTP/1.1 for a plain {@code http://}
     * server (no h2c upgrade attempt, which some local servers mishandle).
     */
    HttpRequest.Builder authorize(HttpRequest.Builder b) {
        if (apiKey.isPresent()) {
            b.header("Authorization", "Bearer " + apiKey.reveal());
        }
        if ("http".equals(baseUrl.getScheme())) {
            b.version(HttpClient.Version.HTTP_1_1);
        }
        return b;
    }

    /** The words for failures of the transcription endpoint. */
    OpenAiErrors.Target sttTarget() {
        return new OpenAiErrors.Target(serverName(), baseUrl, apiKeyEnv, apiKey.isPresent(), sttModel,
                "the speech-to-text service", "transcript", "");
    }

    /** The words for failures of the speech endpoint. */
    OpenAiErrors.Target ttsTarget() {
        return new OpenAiErrors.Target(serverName(), baseUrl, apiKeyEnv, apiKey.isPresent(), ttsModel,
                "the text-to-speech service", "audio", "");
    }

    /** This config with {@code change} made to a copy of its fields, checked again by the constructor. */
    private OpenAiSpeechConfig with(Consumer<Fields> change) {
        Fields f = new Fields(this);
        change.accept(f);
        return new OpenAiSpeechConfig(f.baseUrl, f.apiKey, f.apiKeyEnv, f.sttModel, f.language, f.prompt,
                f.sttStream, f.ttsModel, f.voice, f.instructions, f.speed, f.connectTimeout, f.firstByteTimeout,
                f.idleTimeout, f.retry);
    }

    /** A config's fields, open to change: what the withers change before a new config is made of them. */
    private static final class Fields extends SharedFields {
        String sttModel, language, prompt;
        boolean sttStream;
        String ttsModel, voice, instructions;
        Double speed;

        Fields(OpenAiSpeechConfig c) {
            super(c);
            sttModel = c.sttModel; language = c.language; prompt = c.prompt;
            sttStream = c.sttStream;
            ttsModel = c.ttsModel; voice = c.voice; instructions = c.instructions;
            speed = c.speed;
        }
    }

    private static String optional(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}

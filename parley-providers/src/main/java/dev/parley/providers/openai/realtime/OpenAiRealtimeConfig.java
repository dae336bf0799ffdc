package dev.parley.providers.openai.realtime;

import dev.parley.providers.http.ConfigValues;
import dev.parley.providers.http.Redactor;
import dev.parley.providers.http.Secret;
import dev.parley.providers.openai.OpenAiChatConfig;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Where and how to reach OpenAI's Realtime API over a WebSocket, for a conversation session (the bridge) or a
 * transcription session (the recogniser).
 *
 * <p>The base URL is the one the REST API uses ({@code https://api.openai.com/v1}, or {@code OPENAI_BASE_URL}); the
 * socket's address is derived from it as OpenAI's SDKs do: {@code https} becomes {@code wss}, {@code http} becomes
 * {@code ws}, and {@code /realtime} is appended, with {@code ?model=} for a conversation and
 * {@code ?intent=transcription} (no model) for a transcription session, as the Realtime transcription guide says.
 * The key travels as {@code Authorization: Bearer}. {@code beta} adds the header {@code OpenAI-Beta: realtime=v1}
 * and makes Parley speak the beta event shapes (for the older preview models); the GA interface is the default.
 * {@link #toString()} never shows the key ({@link Secret}).
 *
 * @param baseUrl            the REST API root including {@code /v1} ({@code http}, {@code https}, {@code ws} or
 *                           {@code wss}), without a trailing slash
 * @param apiKey             the key, or {@link Secret#none()}
 * @param apiKeyEnv          the variable the key comes from, named in error messages
 * @param model              the conversation model ({@code gpt-realtime})
 * @param transcriptionModel the transcription model ({@code gpt-4o-transcribe}, {@code gpt-4o-mini-transcribe})
 * @param language           the spoken language as an ISO-639-1 code for transcription, or null to let it guess
 * @param beta               send {@code OpenAI-Beta: realtime=v1} and the beta event shapes
 * @param connectTimeout     longest wait for the WebSocket handshake
 * @param firstByteTimeout   longest wait from a transcription's commit to its final transcript
 * @param stallTimeout       longest silence from the server while an answer is awaited (the bridge)
 * @param writeTimeout       longest wait for the socket to take one outgoing event
 */
public record OpenAiRealtimeConfig(URI baseUrl, Secret apiKey, String apiKeyEnv, String model,
                                   String transcriptionModel, String language, boolean beta, Duration connectTimeout,
                                   Duration firstByteTimeout, Duration stallTimeout, Duration writeTimeout) {

    /** The REST API's root, as for chat and audio. */
    public static final String DEFAULT_BASE_URL = OpenAiChatConfig.DEFAULT_BASE_URL;
    public static final String DEFAULT_MODEL = "gpt-realtime";
    public static final String DEFAULT_TRANSCRIPTION_MODEL = "gpt-4o-mini-transcribe";
    /** OpenAI's key and base URL variables, as for chat and audio. */
    public static final String DEFAULT_API_KEY_ENV = OpenAiChatConfig.DEFAULT_API_KEY_ENV;
    public static final String BASE_URL_ENV = OpenAiChatConfig.BASE_URL_ENV;

    public OpenAiRealtimeConfig {
        baseUrl = normalize(Objects.requireNonNull(baseUrl, "baseUrl"));
        apiKey = apiKey == null ? Secret.none() : apiKey;
        apiKeyEnv = apiKeyEnv == null || apiKeyEnv.isBlank() ? DEFAULT_API_KEY_ENV : apiKeyEnv.strip();
        if (!apiKeyEnv.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("apiKeyEnv must be an environment variable name");
        }
        model = name(model, "model");
        transcriptionModel = name(transcriptionModel, "transcriptionModel");
        if (language != null && language.isBlank()) language = null;
        if (language != null && !language.strip().matches("[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?")) {
            throw new IllegalArgumentException("language must be a language code such as en, not '" + language + "'");
        }
        language = language == null ? null : language.strip();
        ConfigValues.positive(connectTimeout, "connectTimeout");
        ConfigValues.positive(firstByteTimeout, "firstByteTimeout");
        ConfigValues.positive(stallTimeout, "stallTimeout");
        ConfigValues.positive(writeTimeout, "writeTimeout");
    }

    /** OpenAI, GA interface, no key; 5 s to connect, 10 s to a final transcript, 20 s stall, 10 s per write. */
    public static OpenAiRealtimeConfig defaults() {
        return new OpenAiRealtimeConfig(URI.create(DEFAULT_BASE_URL), Secret.none(), DEFAULT_API_KEY_ENV, DEFAULT_MODEL,
                DEFAULT_TRANSCRIPTION_MODEL, null, false, Duration.ofSeconds(5), Duration.ofSeconds(10),
                Duration.ofSeconds(20), Duration.ofSeconds(10));
    }

    /** {@link #defaults()} with {@code OPENAI_BASE_URL} and {@code OPENAI_API_KEY} from {@code env} where set. */
    public static OpenAiRealtimeConfig fromEnvironment(Map<String, String> env) {
        OpenAiRealtimeConfig c = defaults();
        String base = env.get(BASE_URL_ENV);
        if (base != null && !base.isBlank()) c = c.withBaseUrl(base.strip());
        return c.withApiKey(Secret.of(env.get(c.apiKeyEnv())));
    }

    /** The conversation socket: {@code wss://HOST/v1/realtime?model=MODEL}. */
    public URI conversationUri() {
        return URI.create(socketRoot() + "/realtime?model=" + URLEncoder.encode(model, StandardCharsets.UTF_8));
    }

    /** The transcription socket: {@code wss://HOST/v1/realtime?intent=transcription} (the model goes in the session). */
    public URI transcriptionUri() {
        return URI.create(socketRoot() + "/realtime?intent=transcription");
    }

    private String socketRoot() {
        String scheme = switch (baseUrl.getScheme()) {
            case "https", "wss" -> "wss";
            default -> "ws";
        };
        return scheme + "://" + baseUrl.getRawAuthority() + (baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath());
    }

    /** The server as messages name it: host and port. */
    public String serverName() {
        return ConfigValues.serverName(baseUrl);
    }

    public OpenAiRealtimeConfig withBaseUrl(String url) { return with(c -> c.baseUrl(url)); }

    public OpenAiRealtimeConfig withApiKey(Secret key) { return with(c -> c.apiKey = key); }

    /** The variable the key comes from, as error messages name it. */
    public OpenAiRealtimeConfig withApiKeyEnv(String name) { return with(c -> c.apiKeyEnv = name); }

    public OpenAiRealtimeConfig withModel(String name) { return with(c -> c.model = name); }

    /** The transcription model ({@code gpt-4o-transcribe}, {@code gpt-4o-mini-transcribe}). */
    public OpenAiRealtimeConfig withTranscriptionModel(String name) { return with(c -> c.transcriptionModel = name); }

    public OpenAiRealtimeConfig withLanguage(String code) { return with(c -> c.language = code); }

    /** The beta interface ({@code OpenAI-Beta: realtime=v1}) for the older preview models. */
    public OpenAiRealtimeConfig withBeta(boolean on) { return with(c -> c.beta = on); }

    public OpenAiRealtimeConfig withTimeouts(Duration connect, Duration firstByte, Duration stall) {
        return with(c -> c.timeouts(connect, firstByte, stall));
    }

    /** The longest wait for the socket to take one outgoing event. */
    public OpenAiRealtimeConfig withWriteTimeout(Duration write) { return with(c -> c.writeTimeout = write); }

    /** This config with {@code change} made to a copy of its fields, checked again by the constructor. */
    private OpenAiRealtimeConfig with(Consumer<Fields> change) {
        Fields f = new Fields(this);
        change.accept(f);
        return new OpenAiRealtimeConfig(f.baseUrl, f.apiKey, f.apiKeyEnv, f.model, f.transcriptionModel, f.language,
                f.beta, f.connectTimeout, f.firstByteTimeout, f.stallTimeout, f.writeTimeout);
    }

    /** A config's fields, open to change: what the withers change before a new config is made of them. */
    private static final class Fields {
        URI baseUrl;
        Secret apiKey;
        String apiKeyEnv, model, transcriptionModel, language;
        boolean beta;
        Duration connectTimeout, firstByteTimeout, stallTimeout, writeTimeout;

        Fields(OpenAiRealtimeConfig c) {
            baseUrl = c.baseUrl;
            apiKey = c.apiKey;
            apiKeyEnv = c.apiKeyEnv; model = c.model; transcriptionModel = c.transcriptionModel; language = c.language;
            beta = c.beta;
            connectTimeout = c.connectTimeout; firstByteTimeout = c.firstByteTimeout;
            stallTimeout = c.stallTimeout; writeTimeout = c.writeTimeout;
        }

        /** Parses {@code url} as the base URL, keeping the key out of the message when it is not one. */
        void baseUrl(String url) {
            baseUrl = ConfigValues.parseUrl(url, "base URL", apiKey);
        }

        void timeouts(Duration connect, Duration firstByte, Duration stall) {
            connectTimeout = connect;
            firstByteTimeout = firstByte;
            stallTimeout = stall;
        }
    }

    private static URI normalize(URI uri) {
        String scheme = ConfigValues.lowerScheme(uri);
        if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("ws") && !scheme.equals("wss")) {
            throw new IllegalArgumentException("the base URL must start with https:// (or http://, wss://, ws://), not "
                    + Redactor.redactUrl(uri));
        }
        ConfigValues.requireHost(uri, "the base URL");
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("the base URL must not carry user info, a query or a fragment: "
                    + Redactor.redactUrl(uri));
        }
        return ConfigValues.canonical(scheme, uri);
    }

    private static String name(String value, String what) {
        if (value == null || value.isBlank()) throw new IllegalArgumentException(what + " must not be empty");
        String v = value.strip();
        if (v.chars().anyMatch(c -> Character.isISOControl(c) || Character.isWhitespace(c))) {
            throw new IllegalArgumentException(what + " must not contain spaces or control characters");
        }
        return v;
    }
}

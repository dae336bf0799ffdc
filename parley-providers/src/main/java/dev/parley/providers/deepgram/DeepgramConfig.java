package dev.parley.providers.deepgram;

import dev.parley.providers.http.ConfigValues;
import dev.parley.providers.http.Secret;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Where and how to reach Deepgram for streaming speech recognition (Nova, {@code /v1/listen}) and streaming speech
 * synthesis (Aura, {@code /v1/speak}), both over WebSockets.
 *
 * <p>{@code baseUrl} is the HTTP root without the API version ({@code https://api.deepgram.com}, as
 * {@code DEEPGRAM_BASE_URL} is given); the sockets use it with {@code ws}/{@code wss} in place of
 * {@code http}/{@code https}, and {@link DeepgramCheck} uses it as is. The key is sent as
 * {@code Authorization: Token KEY}, as Deepgram documents for server-side clients, and never appears in
 * {@link #toString()} (it is a {@link Secret}).
 *
 * <p>Recognition parameters follow Deepgram's live-streaming reference: {@code endpointing} is the silence (ms)
 * after which Deepgram marks a result {@code speech_final} (0 sends {@code endpointing=false}); {@code
 * utterance_end_ms} (at least 1000, or 0 to leave it out) is the word gap after which it sends {@code UtteranceEnd}.
 *
 * @param baseUrl            the HTTP root, without a trailing slash
 * @param apiKey             the key ({@code DEEPGRAM_API_KEY})
 * @param sttModel           the recognition model ({@code nova-3})
 * @param ttsModel           the synthesis model, which names the voice ({@code aura-2-thalia-en})
 * @param language           the recognition language ({@code en}, {@code en-US}, {@code multi})
 * @param endpointingMs      Deepgram's endpointing silence in ms, 0 for none
 * @param utteranceEndMs     Deepgram's utterance-end gap in ms (1000 or more), 0 for none
 * @param smartFormat        {@code smart_format}
 * @param punctuate          {@code punctuate}
 * @param connectTimeout     longest wait for the TCP, TLS and WebSocket handshake
 * @param sttFirstByteTimeout longest wait from {@code Finalize} to the final result
 * @param ttsFirstByteTimeout longest wait from {@code Flush} to the first audio frame
 * @param idleTimeout        longest silence between two pieces of a started synthesis
 * @param keepAliveInterval  how long a recognition socket may go without sending before a {@code KeepAlive}
 * @param maxRetryAfter      a handshake answered 429 is tried once more when its {@code Retry-After} asks for at most
 *                           this long; zero never retries
 */
public record DeepgramConfig(URI baseUrl, Secret apiKey, String sttModel, String ttsModel, String language,
                             int endpointingMs, int utteranceEndMs, boolean smartFormat, boolean punctuate,
                             Duration connectTimeout, Duration sttFirstByteTimeout, Duration ttsFirstByteTimeout,
                             Duration idleTimeout, Duration keepAliveInterval, Duration maxRetryAfter) {

    public static final String DEFAULT_BASE_URL = "https://api.deepgram.com";
    public static final String API_KEY_ENV = "DEEPGRAM_API_KEY";
    public static final String BASE_URL_ENV = "DEEPGRAM_BASE_URL";
    public static final String DEFAULT_STT_MODEL = "nova-3";
    public static final String DEFAULT_TTS_MODEL = "aura-2-thalia-en";
    /** The rate Parley asks Aura for: linear16 at 24 kHz, Aura's native rate. */
    public static final int TTS_SAMPLE_RATE = 24_000;
    /** The rate Parley streams to Nova: the pipeline's 16 kHz mono linear16. */
    public static final int STT_SAMPLE_RATE = 16_000;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]*");

    public DeepgramConfig {
        baseUrl = normalize(Objects.requireNonNull(baseUrl, "baseUrl"));
        apiKey = apiKey == null ? Secret.none() : apiKey;
        sttModel = name(sttModel, "sttModel");
        ttsModel = name(ttsModel, "ttsModel");
        language = name(language, "language");
        if (endpointingMs < 0 || endpointingMs > 60_000) {
            throw new IllegalArgumentException("endpointing must be 0 to 60000 ms, not " + endpointingMs);
        }
        if (utteranceEndMs != 0 && (utteranceEndMs < 1000 || utteranceEndMs > 60_000)) {
            throw new IllegalArgumentException("utterance_end_ms must be 0 (off) or 1000 to 60000 ms, not "
                    + utteranceEndMs);
        }
        ConfigValues.positive(connectTimeout, "connectTimeout");
        ConfigValues.positive(sttFirstByteTimeout, "sttFirstByteTimeout");
        ConfigValues.positive(ttsFirstByteTimeout, "ttsFirstByteTimeout");
        ConfigValues.positive(idleTimeout, "idleTimeout");
        ConfigValues.positive(keepAliveInterval, "keepAliveInterval");
        Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
        if (maxRetryAfter.isNegative()) {
            throw new IllegalArgumentException("maxRetryAfter must not be negative");
        }
    }

    /**
     * Deepgram's defaults as Parley uses them: Nova-3 in English with smart formatting and punctuation, endpointing
     * 300 ms, utterance end 1000 ms; Aura-2 Thalia; 5 s to connect, 10 s to the first byte (both stages), 10 s of
     * silence inside a synthesis, a KeepAlive after 4 s without sending (Deepgram asks for one every 3 to 5 s and
     * closes after 10 s), and a 429 retried once when it asks for at most 2 s.
     */
    public static DeepgramConfig defaults() {
        return new DeepgramConfig(URI.create(DEFAULT_BASE_URL), Secret.none(), DEFAULT_STT_MODEL, DEFAULT_TTS_MODEL,
                "en", 300, 1000, true, true, Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(10),
                Duration.ofSeconds(10), Duration.ofSeconds(4), Duration.ofSeconds(2));
    }

    /** {@link #defaults()} with {@code DEEPGRAM_BASE_URL} and {@code DEEPGRAM_API_KEY} from {@code env} where set. */
    public static DeepgramConfig fromEnvironment(Map<String, String> env) {
        DeepgramConfig c = defaults();
        String base = env.get(BASE_URL_ENV);
        if (base != null && !base.isBlank()) {
            c = c.withBaseUrl(base.strip());
        }
        return c.withApiKey(Secret.of(env.get(API_KEY_ENV)));
    }

    /** The recognition socket's URL: {@code /v1/listen} with every query parameter Parley sets. */
    public URI listenUrl() {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("model", sttModel);
        q.put("encoding", "linear16");
        q.put("sample_rate", Integer.toString(STT_SAMPLE_RATE));
        q.put("channels", "1");
        q.put("interim_results", "true");
        q.put("endpointing", endpointingMs == 0 ? "false" : Integer.toString(endpointingMs));
        if (utteranceEndMs > 0) {
            q.put("utterance_end_ms", Integer.toString(utteranceEndMs));
        }
        q.put("vad_events", "true");
        q.put("smart_format", Boolean.toString(smartFormat));
        q.put("punctuate", Boolean.toString(punctuate));
        q.put("language", language);
        return socketUrl("/v1/listen", q);
    }

    /** The synthesis socket's URL: {@code /v1/speak} with the model, linear16 and 24 kHz. */
    public URI speakUrl() {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("model", ttsModel);
        q.put("encoding", "linear16");
        q.put("sample_rate", Integer.toString(TTS_SAMPLE_RATE));
        return socketUrl("/v1/speak", q);
    }

    /** An HTTP client for the sockets of this config: its connect timeout. Its owner closes it. */
    public HttpClient newHttpClient() {
        return HttpClient.newBuilder().connectTimeout(connectTimeout).build();
    }

    /** The HTTP URL of {@code path} under the base URL. */
    public URI httpUrl(String path) {
        return URI.create(baseUrl + path);
    }

    /** The server as messages name it: host and port. */
    public String serverName() {
        return ConfigValues.serverName(baseUrl);
    }

    private URI socketUrl(String path, Map<String, String> query) {
        String scheme = baseUrl.getScheme().equals("https") ? "wss" : "ws";
        StringJoiner j = new StringJoiner("&");
        query.forEach((k, v) -> j.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return URI.create(scheme + "://" + baseUrl.getRawAuthority() + baseUrl.getRawPath() + path + "?" + j);
    }

    public DeepgramConfig withBaseUrl(String url) { return with(c -> c.baseUrl(url)); }

    public DeepgramConfig withApiKey(Secret key) { return with(c -> c.apiKey = key); }

    public DeepgramConfig withSttModel(String model) { return with(c -> c.sttModel = model); }

    /** The Aura model, which is the voice: {@code aura-2-thalia-en}, {@code aura-2-orion-en}. */
    public DeepgramConfig withTtsModel(String model) { return with(c -> c.ttsModel = model); }

    public DeepgramConfig withLanguage(String value) { return with(c -> c.language = value); }

    /** Deepgram's endpointing silence and utterance-end gap, in ms (0 for none). */
    public DeepgramConfig withEndpointing(int ms, int utteranceEnd) {
        return with(c -> c.endpointing(ms, utteranceEnd));
    }

    public DeepgramConfig withFormatting(boolean smart, boolean punctuation) {
        return with(c -> c.formatting(smart, punctuation));
    }

    /** The connect timeout and the first-byte timeouts of recognition and synthesis. */
    public DeepgramConfig withTimeouts(Duration connect, Duration sttFirstByte, Duration ttsFirstByte) {
        return with(c -> c.timeouts(connect, sttFirstByte, ttsFirstByte));
    }

    public DeepgramConfig withIdleTimeout(Duration idle) { return with(c -> c.idleTimeout = idle); }

    /** How long a recognition socket may go without sending before a {@code KeepAlive}. */
    public DeepgramConfig withKeepAliveInterval(Duration interval) { return with(c -> c.keepAliveInterval = interval); }

    public DeepgramConfig withMaxRetryAfter(Duration max) { return with(c -> c.maxRetryAfter = max); }

    /** This config with {@code change} made to a copy of its fields, checked again by the constructor. */
    private DeepgramConfig with(Consumer<Fields> change) {
        Fields f = new Fields(this);
        change.accept(f);
        return new DeepgramConfig(f.baseUrl, f.apiKey, f.sttModel, f.ttsModel, f.language, f.endpointingMs,
                f.utteranceEndMs, f.smartFormat, f.punctuate, f.connectTimeout, f.sttFirstByteTimeout,
                f.ttsFirstByteTimeout, f.idleTimeout, f.keepAliveInterval, f.maxRetryAfter);
    }

    /** A config's fields, open to change: what the withers change before a new config is made of them. */
    private static final class Fields {
        URI baseUrl;
        Secret apiKey;
        String sttModel, ttsModel, language;
        int endpointingMs, utteranceEndMs;
        boolean smartFormat, punctuate;
        Duration connectTimeout, sttFirstByteTimeout, ttsFirstByteTimeout, idleTimeout, keepAliveInterval,
                maxRetryAfter;

        Fields(DeepgramConfig c) {
            baseUrl = c.baseUrl;
            apiKey = c.apiKey;
            sttModel = c.sttModel; ttsModel = c.ttsModel; language = c.language;
            endpointingMs = c.endpointingMs; utteranceEndMs = c.utteranceEndMs;
            smartFormat = c.smartFormat; punctuate = c.punctuate;
            connectTimeout = c.connectTimeout; sttFirstByteTimeout = c.sttFirstByteTimeout;
            ttsFirstByteTimeout = c.ttsFirstByteTimeout; idleTimeout = c.idleTimeout;
            keepAliveInterval = c.keepAliveInterval; maxRetryAfter = c.maxRetryAfter;
        }

        /** Parses {@code url} as the base URL, keeping the key out of the message when it is not one. */
        void baseUrl(String url) {
            baseUrl = ConfigValues.parseUrl(url, "Deepgram base URL", apiKey);
        }

        void endpointing(int ms, int utteranceEnd) {
            endpointingMs = ms;
            utteranceEndMs = utteranceEnd;
        }

        void formatting(boolean smart, boolean punctuation) {
            smartFormat = smart;
            punctuate = punctuation;
        }

        void timeouts(Duration connect, Duration sttFirstByte, Duration ttsFirstByte) {
            connectTimeout = connect;
            sttFirstByteTimeout = sttFirstByte;
            ttsFirstByteTimeout = ttsFirstByte;
        }
    }

    private static URI normalize(URI uri) {
        return ConfigValues.httpBaseUrl(uri, "the Deepgram base URL", "set " + API_KEY_ENV + " instead");
    }

    private static String name(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        String v = value.strip();
        if (!NAME.matcher(v).matches()) {
            throw new IllegalArgumentException(what + " may hold only letters, digits and . _ : -, not '" + v + "'");
        }
        return v;
    }
}

package dev.parley.providers.openai;

import dev.parley.providers.http.ConfigValues;
import dev.parley.providers.http.RetryPolicy;
import dev.parley.providers.http.Secret;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Where and how to reach an OpenAI-compatible Chat Completions endpoint: OpenAI itself, Ollama, vLLM, the llama.cpp
 * server, LM Studio.
 *
 * <p>{@code baseUrl} includes the API version, as OpenAI's SDKs take it ({@code https://api.openai.com/v1},
 * {@code http://localhost:11434/v1}); the client appends {@code /chat/completions}. {@link #fromEnvironment} reads
 * {@code OPENAI_BASE_URL} and {@code OPENAI_API_KEY} as the SDKs do. The base URL may not carry user info, a query
 * or a fragment: credentials belong in {@code apiKey}, which {@link #toString()} never shows.
 *
 * <p>Servers differ in two request fields, chosen by {@link Dialect}: OpenAI gets {@code max_completion_tokens}
 * (its newer models refuse {@code max_tokens}) and {@code stream_options.include_usage} (token counts in a last
 * chunk); every other server gets {@code max_tokens}, which they all know, and no {@code stream_options}, which
 * some of them and some gateways reject as an unknown field (usage is only logged, not worth a failed reply).
 * {@link Dialect#AUTO} picks {@code OPENAI} for the host {@code api.openai.com} only.
 *
 * @param baseUrl          the API root including the version path, without a trailing slash
 * @param apiKey           sent as {@code Authorization: Bearer}; {@link Secret#none()} for servers that need none
 * @param apiKeyEnv        the environment variable the key comes from, named in error messages ("set …")
 * @param model            the model name as the server knows it
 * @param maxTokens        the reply's token limit, or null for the server's default
 * @param temperature      0 to 2, or null for the server's default (some reasoning models accept no other)
 * @param connectTimeout   longest wait for the TCP (and TLS) connection
 * @param firstByteTimeout longest wait from sending the request to the first byte of the streamed answer
 * @param idleTimeout      longest silence between two pieces of a started answer
 * @param retry            retries of failures before the answer began
 * @param dialect          which server's field names to use
 */
public record OpenAiChatConfig(URI baseUrl, Secret apiKey, String apiKeyEnv, String model, Integer maxTokens,
                               Double temperature, Duration connectTimeout, Duration firstByteTimeout,
                               Duration idleTimeout, RetryPolicy retry, Dialect dialect)
        implements OpenAiSettings<OpenAiChatConfig> {

    public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
    public static final String DEFAULT_MODEL = "gpt-4o-mini";
    public static final String DEFAULT_API_KEY_ENV = "OPENAI_API_KEY";
    public static final String BASE_URL_ENV = "OPENAI_BASE_URL";
    /** Enough for several spoken sentences; the system prompt asks for one to three. */
    public static final int DEFAULT_MAX_TOKENS = 512;

    /** Which request fields a server understands (see the class comment). */
    public enum Dialect {
        /** {@link #OPENAI} for {@code api.openai.com}, {@link #COMPATIBLE} for every other host. */
        AUTO,
        /** {@code max_completion_tokens} and {@code stream_options.include_usage}. */
        OPENAI,
        /** {@code max_tokens}, no {@code stream_options}. */
        COMPATIBLE
    }

    public OpenAiChatConfig {
        baseUrl = OpenAiConfigValues.baseUrl(baseUrl);
        apiKey = apiKey == null ? Secret.none() : apiKey;
        apiKeyEnv = OpenAiConfigValues.apiKeyEnv(apiKeyEnv, apiKey);
        model = OpenAiConfigValues.name(model, "model");
        if (maxTokens != null && (maxTokens < 1 || maxTokens > 1_000_000)) {
            throw new IllegalArgumentException("maxTokens must be 1 to 1000000, not " + maxTokens);
        }
        if (temperature != null && !(temperature >= 0 && temperature <= 2)) {
            throw new IllegalArgumentException("temperature must be 0 to 2, not " + temperature);
        }
        ConfigValues.positive(connectTimeout, "connectTimeout");
        ConfigValues.positive(firstByteTimeout, "firstByteTimeout");
        ConfigValues.positive(idleTimeout, "idleTimeout");
        retry = retry == null ? RetryPolicy.defaults() : retry;
        dialect = dialect == null ? Dialect.AUTO : dialect;
    }

    /** OpenAI with {@value #DEFAULT_MODEL}, no key, 5 s to connect, 20 s to the first byte, 15 s of silence. */
    public static OpenAiChatConfig defaults() {
        return new OpenAiChatConfig(URI.create(DEFAULT_BASE_URL), Secret.none(), DEFAULT_API_KEY_ENV, DEFAULT_MODEL,
                DEFAULT_MAX_TOKENS, null, Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofSeconds(15),
                RetryPolicy.defaults(), Dialect.AUTO);
    }

    /** {@link #defaults()} with {@code OPENAI_BASE_URL} and {@code OPENAI_API_KEY} from {@code env} where set. */
    public static OpenAiChatConfig fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env, DEFAULT_API_KEY_ENV);
    }

    /**
     * {@link #defaults()} with {@code OPENAI_BASE_URL} from {@code env} and the key from the variable
     * {@code apiKeyEnv} (for a compatible provider whose key has its own name).
     */
    public static OpenAiChatConfig fromEnvironment(Map<String, String> env, String apiKeyEnv) {
        return OpenAiEnvironment.configure(defaults(), env, apiKeyEnv);
    }

    /** The URL requests are posted to: the base URL and {@code /chat/completions}. */
    public URI chatCompletionsUrl() {
        return URI.create(baseUrl + "/chat/completions");
    }

    /** The dialect in force, {@link Dialect#AUTO} resolved by the host. */
    public Dialect effectiveDialect() {
        if (dialect != Dialect.AUTO) {
            return dialect;
        }
        return "api.openai.com".equalsIgnoreCase(baseUrl.getHost()) ? Dialect.OPENAI : Dialect.COMPATIBLE;
    }

    /** The server as messages name it: host and port. */
    public String serverName() {
        return ConfigValues.serverName(baseUrl);
    }

    public OpenAiChatConfig withBaseUrl(String url) { return with(c -> c.baseUrl(url)); }

    public OpenAiChatConfig withApiKey(Secret key) { return with(c -> c.apiKey = key); }

    /** The variable the key comes from, as error messages name it. */
    public OpenAiChatConfig withApiKeyEnv(String name) { return with(c -> c.apiKeyEnv = name); }

    public OpenAiChatConfig withModel(String name) { return with(c -> c.model = name); }

    /** The reply's token limit, or null for the server's default. */
    public OpenAiChatConfig withMaxTokens(Integer tokens) { return with(c -> c.maxTokens = tokens); }

    public OpenAiChatConfig withTemperature(Double value) { return with(c -> c.temperature = value); }

    public OpenAiChatConfig withTimeouts(Duration connect, Duration firstByte, Duration idle) {
        return with(c -> c.timeouts(connect, firstByte, idle));
    }

    /** Retries of failures before the answer began. */
    public OpenAiChatConfig withRetry(RetryPolicy policy) { return with(c -> c.retry = policy); }

    public OpenAiChatConfig withDialect(Dialect value) { return with(c -> c.dialect = value); }

    /** This config with {@code change} made to a copy of its fields, checked again by the constructor. */
    private OpenAiChatConfig with(Consumer<Fields> change) {
        Fields f = new Fields(this);
        change.accept(f);
        return new OpenAiChatConfig(f.baseUrl, f.apiKey, f.apiKeyEnv, f.model, f.maxTokens, f.temperature,
                f.connectTimeout, f.firstByteTimeout, f.idleTimeout, f.retry, f.dialect);
    }

    /** A config's fields, open to change: what the withers change before a new config is made of them. */
    private static final class Fields extends SharedFields {
        String model;
        Integer maxTokens;
        Double temperature;
        Dialect dialect;

        Fields(OpenAiChatConfig c) {
            super(c);
            model = c.model;
            maxTokens = c.maxTokens;
            temperature = c.temperature;
            dialect = c.dialect;
        }
    }
}

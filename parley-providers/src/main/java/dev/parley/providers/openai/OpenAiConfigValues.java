package dev.parley.providers.openai;

import dev.parley.providers.http.ConfigValues;
import dev.parley.providers.http.Redactor;
import dev.parley.providers.http.Secret;

import java.net.URI;
import java.util.Objects;
import java.util.regex.Pattern;

/** The checks of the fields the chat and the speech configs share: base URL, key variable, model names. */
final class OpenAiConfigValues {
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private OpenAiConfigValues() {
    }

    /**
     * {@code uri} checked and made canonical for a base URL: http or https, a host, no user info, query or fragment,
     * no trailing slash.
     */
    static URI baseUrl(URI uri) {
        return ConfigValues.httpBaseUrl(Objects.requireNonNull(uri, "baseUrl"), "the base URL",
                "put the key in the API key setting instead");
    }

    /** The key's variable, stripped; {@value OpenAiChatConfig#DEFAULT_API_KEY_ENV} when null or blank. */
    static String apiKeyEnv(String name, Secret apiKey) {
        String env = name == null || name.isBlank() ? OpenAiChatConfig.DEFAULT_API_KEY_ENV : name.strip();
        if (!ENV_NAME.matcher(env).matches()) {
            throw new IllegalArgumentException("apiKeyEnv must be an environment variable name, not '"
                    + Redactor.redact(env, apiKey) + "'");
        }
        return env;
    }

    /** {@code value} stripped; it must not be empty or hold control characters ({@code field} names it). */
    static String name(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be empty");
        }
        String v = value.strip();
        if (v.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(field + " must not contain control characters");
        }
        return v;
    }

    /** {@code url} parsed for a config's {@code withBaseUrl}, with {@code apiKey} kept out of the message. */
    static URI parseBaseUrl(String url, Secret apiKey) {
        return ConfigValues.parseUrl(url, "base URL", apiKey);
    }
}

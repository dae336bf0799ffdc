package dev.parley.providers.openai;

import dev.parley.providers.http.Secret;

import java.util.Map;

/**
 * What the chat and the speech configs both take from the environment: the base URL ({@code OPENAI_BASE_URL}) and
 * the key (from the variable the config names).
 *
 * @param baseUrl the base URL, stripped; null when unset or blank
 * @param apiKey  the key, {@link Secret#none()} when unset
 */
record OpenAiEnvironment(String baseUrl, Secret apiKey) {

    /** The settings in {@code env}, the key read from the variable {@code apiKeyEnv}. */
    static OpenAiEnvironment read(Map<String, String> env, String apiKeyEnv) {
        String base = env.get(OpenAiChatConfig.BASE_URL_ENV);
        return new OpenAiEnvironment(base == null || base.isBlank() ? null : base.strip(),
                Secret.of(env.get(apiKeyEnv)));
    }

    /**
     * {@code defaults} with the key's variable {@code apiKeyEnv}, the base URL from {@code OPENAI_BASE_URL} where set
     * and the key from that variable.
     */
    static <C extends OpenAiSettings<C>> C configure(C defaults, Map<String, String> env, String apiKeyEnv) {
        C c = defaults.withApiKeyEnv(apiKeyEnv);
        OpenAiEnvironment e = read(env, c.apiKeyEnv());
        return (e.baseUrl() == null ? c : c.withBaseUrl(e.baseUrl())).withApiKey(e.apiKey());
    }
}

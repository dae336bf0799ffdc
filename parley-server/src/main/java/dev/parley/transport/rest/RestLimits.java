package dev.parley.transport.rest;

/**
 * How much one REST request may bring and how many are served at once.
 *
 * @param maxAudioBytes   the largest upload to {@code /v1/audio/transcriptions} (OpenAI's 25 MB); larger ones get 413
 *                        and are not read further
 * @param maxSpeechChars  the longest {@code input} of {@code /v1/audio/speech} (OpenAI's 4096 characters)
 * @param maxSpeechBytes  the largest JSON body of {@code /v1/audio/speech}
 * @param maxChatBytes    the largest JSON body of {@code /v1/chat/completions} (the whole conversation)
 * @param maxInFlight     requests served at once; further ones get 503 with {@code Retry-After}
 */
public record RestLimits(long maxAudioBytes, int maxSpeechChars, int maxSpeechBytes, int maxChatBytes, int maxInFlight) {
    /** OpenAI's limits, 1 MiB of conversation, 8 requests at once. */
    public static final RestLimits DEFAULT = new RestLimits(25L * 1024 * 1024, 4096, 64 * 1024, 1024 * 1024, 8);

    /** Room for the form's other fields and boundaries around the audio. */
    static final int FORM_OVERHEAD = 64 * 1024;

    public RestLimits {
        if (maxAudioBytes <= 0 || maxSpeechChars <= 0 || maxSpeechBytes <= 0 || maxChatBytes <= 0 || maxInFlight <= 0) {
            throw new IllegalArgumentException("every REST limit must be positive");
        }
    }

    public RestLimits withMaxAudioBytes(long n) {
        return new RestLimits(n, maxSpeechChars, maxSpeechBytes, maxChatBytes, maxInFlight);
    }

    public RestLimits withMaxInFlight(int n) {
        return new RestLimits(maxAudioBytes, maxSpeechChars, maxSpeechBytes, maxChatBytes, n);
    }
}

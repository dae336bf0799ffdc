package dev.parley.failover;

import java.util.Objects;

/**
 * One request to a provider and how long its first byte took: from the moment the request (or, for a stream that
 * was open already, the message asking for the result) left Parley to the first byte of the answer. Each provider
 * measures it where its protocol makes that moment plain and says so in its javadoc.
 *
 * @param provider  who served it: {@code openai}, {@code deepgram}, {@code google}, a compatible server's host
 * @param stage     {@code stt}, {@code llm} or {@code tts}
 * @param ttfbNanos the time to first byte, in nanoseconds
 */
public record ProviderTiming(String provider, String stage, long ttfbNanos) {
    public ProviderTiming {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(stage, "stage");
        if (ttfbNanos < 0) throw new IllegalArgumentException("negative time to first byte: " + ttfbNanos);
    }

    public double ttfbMs() {
        return ttfbNanos / 1e6;
    }

    /** The name of this figure in the waterfall's JSON and in metrics: {@code stt_deepgram}. */
    public String key() {
        return stage + "_" + provider.replaceAll("[^A-Za-z0-9]+", "_").toLowerCase(java.util.Locale.ROOT);
    }
}

package dev.parley.dialog.llama;

import dev.parley.dialog.SpokenStyle;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How a {@link LlamaBrain} loads its model and samples replies.
 *
 * @param model        the GGUF file (see {@link LlamaModelSource#resolve} for a path or a URL)
 * @param contextSize  the context window in tokens (prompt and reply together); capped at the model's own
 *                     trained length
 * @param threads      CPU threads used for generation
 * @param maxTokens    the longest reply, in tokens; at most half the context
 * @param temperature  sampling temperature, 0 (always the likeliest token) to 2
 * @param seed         the sampling seed, or {@link #RANDOM_SEED} for a different one each reply
 * @param systemPrompt the instructions every conversation starts with (a session's own follow them); may be blank
 */
public record LlamaSettings(Path model, int contextSize, int threads, int maxTokens, double temperature, int seed,
        String systemPrompt) {

    /** The {@link #seed()} meaning "a new random seed for every reply". */
    public static final int RANDOM_SEED = -1;

    public static final int DEFAULT_CONTEXT_SIZE = 4096;
    public static final int DEFAULT_MAX_TOKENS = 256;
    public static final double DEFAULT_TEMPERATURE = 0.7;

    /** The smallest context accepted: a system prompt and one exchange must fit. */
    public static final int MIN_CONTEXT_SIZE = 64;

    public LlamaSettings {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(systemPrompt, "systemPrompt");
        if (contextSize < MIN_CONTEXT_SIZE || contextSize > 1 << 20) {
            throw new IllegalArgumentException(
                    "context size must be between " + MIN_CONTEXT_SIZE + " and 1048576 tokens: " + contextSize);
        }
        if (threads < 1 || threads > 512) {
            throw new IllegalArgumentException("threads must be between 1 and 512: " + threads);
        }
        if (maxTokens < 1 || maxTokens > contextSize / 2) {
            throw new IllegalArgumentException(
                    "max tokens must be between 1 and half the context size (" + contextSize / 2 + "): " + maxTokens);
        }
        if (!(temperature >= 0 && temperature <= 2)) {
            throw new IllegalArgumentException("temperature must be between 0 and 2: " + temperature);
        }
        if (seed < RANDOM_SEED) {
            throw new IllegalArgumentException("seed must be " + RANDOM_SEED + " (random) or at least 0: " + seed);
        }
    }

    /**
     * The defaults for {@code model}: a 4096-token context, one thread per core, replies of at most 256 tokens at
     * temperature 0.7 with a random seed, and {@link SpokenStyle#SYSTEM_PROMPT}.
     */
    public static LlamaSettings defaults(Path model) {
        return new LlamaSettings(model, DEFAULT_CONTEXT_SIZE, Math.max(1, Runtime.getRuntime().availableProcessors()),
                DEFAULT_MAX_TOKENS, DEFAULT_TEMPERATURE, RANDOM_SEED, SpokenStyle.SYSTEM_PROMPT);
    }

    public LlamaSettings withModel(Path model) {
        return new LlamaSettings(model, contextSize, threads, maxTokens, temperature, seed, systemPrompt);
    }

    public LlamaSettings withContextSize(int contextSize) {
        return new LlamaSettings(model, contextSize, threads, maxTokens, temperature, seed, systemPrompt);
    }

    public LlamaSettings withThreads(int threads) {
        return new LlamaSettings(model, contextSize, threads, maxTokens, temperature, seed, systemPrompt);
    }

    public LlamaSettings withMaxTokens(int maxTokens) {
        return new LlamaSettings(model, contextSize, threads, maxTokens, temperature, seed, systemPrompt);
    }

    public LlamaSettings withTemperature(double temperature) {
        return new LlamaSettings(model, contextSize, threads, maxTokens, temperature, seed, systemPrompt);
    }

    public LlamaSettings withSeed(int seed) {
        return new LlamaSettings(model, contextSize, threads, maxTokens, temperature, seed, systemPrompt);
    }

    public LlamaSettings withSystemPrompt(String systemPrompt) {
        return new LlamaSettings(model, contextSize, threads, maxTokens, temperature, seed, systemPrompt);
    }
}

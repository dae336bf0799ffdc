package dev.parley.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Which brain answers, and its settings: shared by every command that holds a conversation. */
final class BrainOptions {
    enum Kind { skills, llm, hybrid }

    /** Who hosts the language model. */
    enum Llm { openai, google, compatible }

    @Option(names = "--brain", paramLabel = "KIND",
            description = "What answers: skills (the offline assistant), llm (a language model, with the skills as its tools) or hybrid (the skills first, the LLM for everything else). Default: skills, or llm when --llm or a preset names a language model.")
    Kind brain;

    @Option(names = "--llm", paramLabel = "PROVIDER",
            description = "Who hosts the language model: openai, google (Gemini through its OpenAI-compatible endpoint, key in "
                    + "GEMINI_API_KEY) or compatible (any OpenAI-compatible server at --llm-url: Ollama, vLLM, llama.cpp server, "
                    + "LM Studio). Implies --brain llm unless --brain says otherwise.")
    Llm llm;

    @Option(names = "--llm-url", paramLabel = "URL",
            description = "Base URL of an OpenAI-compatible server, up to /v1 (Ollama: http://localhost:11434/v1, vLLM, llama.cpp server, LM Studio). Default: $OPENAI_BASE_URL, else https://api.openai.com/v1.")
    String llmUrl;

    @Option(names = "--llm-model", paramLabel = "NAME", defaultValue = "gpt-4o-mini",
            description = "The model the server should run. Default: ${DEFAULT-VALUE}.")
    String llmModel;

    @Option(names = "--llm-key-env", paramLabel = "VAR",
            description = "The environment variable that holds the server's API key (none needed for a local server). Default: GEMINI_API_KEY with --llm google, else OPENAI_API_KEY.")
    String llmKeyEnv;

    @Option(names = "--llama-model", paramLabel = "PATH|URL",
            description = "Run this GGUF model in process with llama.cpp instead of calling a server. A URL is downloaded once into the model cache (give --llama-sha256).")
    String llamaModel;

    @Option(names = "--llama-sha256", paramLabel = "HEX",
            description = "The SHA-256 of the --llama-model file: required for a URL, checked for a local file when given.")
    String llamaSha256;

    @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "200",
            description = "Longest LLM reply, in tokens. Default: ${DEFAULT-VALUE}.")
    int maxTokens;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "0.7",
            description = "LLM sampling temperature (0-2). Default: ${DEFAULT-VALUE}.")
    double temperature;

    @Option(names = "--notes", paramLabel = "FILE",
            description = "A Markdown or FAQ file of your own that the assistant answers from.")
    Path notes;

    @Option(names = "--user", paramLabel = "NAME",
            description = "Keep this user's conversation and lists between sessions, in $PARLEY_HOME/users/NAME.")
    String user;

    @Option(names = "--confirm-below", paramLabel = "P", defaultValue = "0.6",
            description = "Ask \"Did you say ...?\" before an action heard with less confidence than this (0-1). Default: ${DEFAULT-VALUE}.")
    double confirmBelow;

    @Option(names = "--still-there-s", paramLabel = "S", defaultValue = "8",
            description = "After a question, this many seconds of silence bring \"Are you still there?\" (0: never). Default: ${DEFAULT-VALUE}.")
    int stillThereSeconds;

    @Option(names = "--time-zone", paramLabel = "ZONE",
            description = "The user's time zone for times and timers, e.g. Europe/Paris. Default: this machine's.")
    String timeZone;

    /** The brain in force: as given, else an LLM when a provider for one was named, else the skills. */
    Kind kind() {
        return brain != null ? brain : llm != null ? Kind.llm : Kind.skills;
    }

    /** The environment variable holding the LLM's key. */
    String keyEnv() {
        return llmKeyEnv != null ? llmKeyEnv : llm == Llm.google ? "GEMINI_API_KEY" : "OPENAI_API_KEY";
    }
}

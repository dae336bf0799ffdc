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

    @Option(names = "--instructions", paramLabel = "TEXT|@FILE",
            description = "Standing instructions for the brain, ahead of every conversation (an LLM's system prompt): the text, or @FILE to read it from a file. Default: none.")
    String instructions;

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

    /** Longest standing instructions, as a Realtime item's text. */
    static final int MAX_INSTRUCTIONS_CHARS = 32_768;

    /**
     * What every dialog is told first: {@code --instructions} (or the file it names) and, for a language other than
     * English, to answer in it; "" for nothing.
     */
    String instructions(Language language) {
        String text = instructions == null ? "" : instructions;
        if (text.startsWith("@")) {
            java.nio.file.Path file = java.nio.file.Path.of(text.substring(1));
            try {
                if (java.nio.file.Files.size(file) > 4L * MAX_INSTRUCTIONS_CHARS) throw new UserError("--instructions file " + file + " is over " + MAX_INSTRUCTIONS_CHARS + " characters");
                text = java.nio.file.Files.readString(file);
            } catch (java.nio.file.NoSuchFileException e) {
                throw new UserError("--instructions file " + file + " does not exist", e);
            } catch (java.io.IOException | java.io.UncheckedIOException e) {
                throw new UserError("cannot read --instructions file " + file + ": " + e.getMessage(), e);
            }
        }
        if (text.length() > MAX_INSTRUCTIONS_CHARS) throw new UserError("invalid setting: --instructions is over " + MAX_INSTRUCTIONS_CHARS + " characters");
        String answer = language == null ? "" : language.answerInstruction();
        return (text.strip() + (text.isBlank() || answer.isEmpty() ? "" : "\n") + answer).strip();
    }
}

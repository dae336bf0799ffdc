package dev.parley.cli;

import dev.parley.dialog.Dialog;
import dev.parley.dialog.InstructedDialog;
import dev.parley.dialog.RecoveringDialog;
import dev.parley.dialog.Scheduler;
import dev.parley.dialog.Tool;
import dev.parley.dialog.llama.LlamaBrain;
import dev.parley.dialog.llama.LlamaModelException;
import dev.parley.dialog.llama.LlamaModelSource;
import dev.parley.dialog.llama.LlamaSettings;
import dev.parley.dialog.skills.SkillsBrain;
import dev.parley.dialog.skills.SkillsDialog;
import dev.parley.embedded.models.ModelCache;
import dev.parley.embedded.models.ProgressListener;
import dev.parley.failover.Outage;
import dev.parley.providers.http.HttpProbe;
import dev.parley.providers.openai.OpenAiChatBrain;
import dev.parley.providers.openai.OpenAiChatConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The brains of a process, made from the {@link BrainOptions}: the skills (always loaded: they are the offline
 * assistant and the LLM's tools) and, for {@code llm} and {@code hybrid}, a language model — an OpenAI-compatible
 * server or a GGUF model run in process. Heavy parts are loaded once per process and shared; {@link #newDialog()}
 * gives each session its own brain, wrapped in the conversation repairs of {@link RecoveringDialog}.
 */
final class Brains {
    private static final Map<String, SkillsBrain> SKILLS = new HashMap<>();
    private static final Map<String, LlamaBrain> LLAMAS = new HashMap<>();
    private static final Map<OpenAiChatConfig, OpenAiChatBrain> CHATS = new HashMap<>();

    private final BrainOptions options;
    private final SkillsBrain skills;
    private final Function<List<Tool>, Dialog> llm;
    private final String description;
    private final ZoneId zone;
    /** The LLM's provider when the skills take over if it fails; null for no fallback. */
    private final String fallbackFor;
    private final Outage outage;
    /** What every dialog is told before the conversation ({@code --instructions}, the language), or "". */
    private String standing = "";

    private Brains(BrainOptions options, SkillsBrain skills, Function<List<Tool>, Dialog> llm, String fallbackFor,
                   Outage outage, String description, ZoneId zone) {
        this.outage = outage;
        this.options = options;
        this.skills = skills;
        this.llm = llm;
        this.fallbackFor = fallbackFor;
        this.description = description;
        this.zone = zone;
    }

    /** Loads what the options ask for; every problem is a {@link UserError} naming the setting to fix. */
    /** Gemini's OpenAI-compatible endpoint, for {@code --llm google}. */
    static final String GEMINI_URL = "https://generativelanguage.googleapis.com/v1beta/openai";

    /** One per server and model: a provider that failed is skipped by every session for a while (see {@link Outage}). */
    private static final Map<String, Outage> OUTAGES = new HashMap<>();

    static synchronized Brains open(BrainOptions o) {
        return open(o, null);
    }

    /**
     * Loads what the options ask for; with provider options, the LLM gets their timeouts and (unless
     * {@code --fallback none}) the offline skills answer in its place when it fails.
     */
    static synchronized Brains open(BrainOptions o, ProviderOptions p) {
        Brains b = load(o, p);
        b.standing = o.instructions(p == null ? null : p.language());
        return b;
    }

    private static Brains load(BrainOptions o, ProviderOptions p) {
        ZoneId zone = zone(o.timeZone);
        if (!(o.confirmBelow >= 0 && o.confirmBelow <= 1)) throw new UserError("invalid setting: --confirm-below must be between 0 and 1");
        if (o.stillThereSeconds < 0) throw new UserError("invalid setting: --still-there-s must be 0 or more");
        if (o.notes != null && !Files.isRegularFile(o.notes)) throw new UserError("notes file " + o.notes + " does not exist");
        if (o.user != null && !o.user.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new UserError("invalid setting: --user must be 1 to 64 letters, digits, '-' or '_'");
        }
        SkillsBrain skills = skills(o);
        BrainOptions.Kind kind = o.kind();
        if (kind == BrainOptions.Kind.skills) return new Brains(o, skills, null, null, null, "skills", zone);
        if (o.maxTokens < 1 || o.maxTokens > 8192) throw new UserError("invalid setting: --max-tokens must be between 1 and 8192");
        if (!(o.temperature >= 0 && o.temperature <= 2)) throw new UserError("invalid setting: --temperature must be between 0 and 2");
        if (o.llamaModel != null) {
            LlamaBrain llama = llama(o);
            return new Brains(o, skills, tools -> llama.newDialog(), null, null, kind + " (" + o.llamaModel + " in process)", zone);
        }
        OpenAiChatConfig config = chatConfig(o, p);
        OpenAiChatBrain chat = CHATS.computeIfAbsent(config, OpenAiChatBrain::new); // one HTTP client per server and model
        String provider = llmProvider(o, config);
        boolean fallback = p == null || p.fallback == ProviderOptions.Fallback.embedded;
        Outage outage = OUTAGES.computeIfAbsent(config.baseUrl() + "|" + config.model(), k -> Outage.probed(Scheduler.system(), HttpProbe.of(config.baseUrl())));
        return new Brains(o, skills, chat::newDialog, fallback ? provider : null, outage,
                kind + " (" + config.model() + " at " + config.baseUrl() + (fallback ? ", the skills if it fails" : "") + ")", zone);
    }

    /** Who hosts the LLM, for reports: google, openai, or a compatible server's host. */
    static String llmProvider(BrainOptions o, OpenAiChatConfig config) {
        if (o.llm == BrainOptions.Llm.google) return "google";
        return o.llmUrl == null ? "openai" : config.serverName();
    }

    /** The OpenAI-compatible server the options name, with its key from the environment (or {@code .env}). */
    static OpenAiChatConfig chatConfig(BrainOptions o, ProviderOptions p) {
        OpenAiChatConfig config;
        try {
            config = OpenAiChatConfig.fromEnvironment(Environment.load().asMap(), o.keyEnv()).withModel(o.llmModel)
                    .withMaxTokens(o.maxTokens).withTemperature(o.temperature);
            if (o.llmUrl != null) config = config.withBaseUrl(o.llmUrl);
            else if (o.llm == BrainOptions.Llm.google) config = config.withBaseUrl(GEMINI_URL);
            else if (o.llm == BrainOptions.Llm.compatible) throw new UserError("invalid setting: --llm compatible needs --llm-url");
            if (p != null) {
                config = config.withTimeouts(Duration.ofMillis(p.connectTimeoutMs), Duration.ofMillis(p.llmTimeoutMs),
                        config.idleTimeout());
            }
        } catch (IllegalArgumentException e) {
            throw new UserError("invalid setting: " + e.getMessage(), e);
        }
        return config;
    }

    private static SkillsBrain skills(BrainOptions o) {
        Path lists = o.user == null ? null : userHome(o.user);
        String key = o.notes + "|" + lists + "|" + o.confirmBelow;
        SkillsBrain brain = SKILLS.get(key);
        if (brain != null) return brain;
        try {
            brain = SkillsBrain.load(new SkillsBrain.Settings(o.notes, lists,
                    new SkillsDialog.Options(o.confirmBelow, SkillsDialog.Options.DEFAULT.notesFirstBelow())));
        } catch (IOException e) {
            throw new UserError("cannot read notes file " + o.notes + ": " + e.getMessage(), e);
        }
        SKILLS.put(key, brain);
        return brain;
    }

    private static LlamaBrain llama(BrainOptions o) {
        String key = o.llamaModel + "|" + o.maxTokens + "|" + o.temperature;
        LlamaBrain brain = LLAMAS.get(key);
        if (brain != null) return brain;
        ProgressListener progress = ProgressListener.console(System.err, System.console() != null);
        PrintStream out = System.out;
        try {
            Path model = LlamaModelSource.resolve(o.llamaModel, o.llamaSha256, ModelCache.createDefault(progress));
            // llama.cpp's loader prints a line on stdout, which belongs to the command's own output
            System.setOut(System.err);
            brain = LlamaBrain.open(LlamaSettings.defaults(model).withMaxTokens(o.maxTokens).withTemperature(o.temperature));
        } catch (LlamaModelException e) {
            throw new UserError(e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new UserError("invalid setting: " + e.getMessage(), e);
        } finally {
            System.setOut(out);
        }
        LLAMAS.put(key, brain);
        return brain;
    }

    private static ZoneId zone(String name) {
        if (name == null || name.isBlank()) return ZoneId.systemDefault();
        try {
            return ZoneId.of(name);
        } catch (DateTimeException e) {
            throw new UserError("invalid setting: --time-zone " + name + " is not a time zone (e.g. Europe/Paris, America/New_York, UTC)");
        }
    }

    /** Where a user's conversation and lists are kept: {@code $PARLEY_HOME/users/NAME}. */
    static Path userHome(String user) {
        return ModelCache.defaultRoot().getParent().resolve("users").resolve(user);
    }

    /** The file of the user's conversation, or null when no user was given. */
    Path historyFile() {
        return options.user == null ? null : userHome(options.user).resolve("conversation.tsv");
    }

    /** A brain for one new session. */
    Dialog newDialog() {
        Scheduler scheduler = Scheduler.system(Clock.system(zone));
        String user = options.user == null ? "default" : options.user;
        Dialog brain = switch (options.kind()) {
            case skills -> skills.newDialog(scheduler, user, null);
            case hybrid -> skills.newDialog(scheduler, user, llm);
            case llm -> fallbackFor == null ? skills.llmWithTools(scheduler, user, llm)
                    : skills.llmWithTools(scheduler, user, llm, fallbackFor, outage);
        };
        Dialog instructed = standing.isEmpty() ? brain : new InstructedDialog(brain, standing);
        return new RecoveringDialog(instructed, scheduler, Duration.ofSeconds(options.stillThereSeconds));
    }

    /** What answers, for the start-up line. */
    String description() {
        return description;
    }
}

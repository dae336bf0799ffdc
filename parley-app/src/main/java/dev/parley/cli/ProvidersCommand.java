package dev.parley.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.providers.CheckResult;
import dev.parley.providers.deepgram.DeepgramCheck;
import dev.parley.providers.deepgram.DeepgramConfig;
import dev.parley.providers.google.GoogleCheck;
import dev.parley.providers.google.GoogleConfig;
import dev.parley.providers.openai.OpenAiChatConfig;
import dev.parley.providers.openai.OpenAiCheck;
import dev.parley.providers.openai.OpenAiSpeechConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * {@code ./parley providers}: which engine serves each stage with the settings in force (flags, config file,
 * preset), whether its key is set, and — one cheap request per provider, never more — whether the key works.
 * Keys are never printed.
 */
@Command(name = "providers", mixinStandardHelpOptions = true,
        description = {"Lists the engine of each stage (with --preset, the config file and flags applied), whether its key is set,",
                "and checks each cloud provider's key with one cheap request (OpenAI: GET /models; Deepgram: GET /v1/projects;",
                "Google: list voices). Exit code 1 when a configured provider fails its check."})
final class ProvidersCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print the result as one JSON object.")
    boolean json;

    @Option(names = "--no-check", description = "Only list; send no request.")
    boolean noCheck;

    @Mixin
    BrainOptions brainOptions;

    @Mixin
    ProviderOptions providers;

    @Spec
    CommandSpec spec;

    /** One stage's engine and its check. */
    record Row(String stage, String provider, String model, String keyEnv, Boolean keySet, Boolean ok, String detail) {}

    @Override
    public Integer call() throws Exception {
        providers.validate();
        Environment env = Environment.load();
        Map<String, CheckResult> checked = new HashMap<>(); // one request per provider and server
        List<Row> rows = new ArrayList<>();
        rows.add(stt(env, checked));
        rows.add(llm(env, checked));
        rows.add(tts(env, checked));
        if (providers.realtimeModel != null) {
            OpenAiSpeechConfig c = Stages.openAi(providers, env, providers.sttTimeoutMs);
            rows.add(row("realtime", "openai", providers.realtimeModel, c.apiKeyEnv(), env,
                    () -> OpenAiCheck.check(c), "openai|" + c.baseUrl() + "|" + c.apiKeyEnv(), checked));
        }
        boolean allOk = rows.stream().allMatch(r -> r.ok() == null || r.ok());
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("preset", providers.preset);
            m.put("env_file", env.file().map(Object::toString).orElse(null));
            m.put("fallback", providers.fallback.name());
            List<Map<String, Object>> stages = new ArrayList<>();
            for (Row r : rows) {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("stage", r.stage());
                s.put("provider", r.provider());
                s.put("model", r.model());
                s.put("key_env", r.keyEnv());
                s.put("key_set", r.keySet());
                s.put("ok", r.ok());
                s.put("detail", r.detail());
                stages.add(s);
            }
            m.put("stages", stages);
            m.put("ok", allOk);
            o.println(new ObjectMapper().writeValueAsString(m));
        } else {
            o.printf("%-9s %-10s %-24s %-30s %s%n", "stage", "provider", "model", "key", "check");
            for (Row r : rows) {
                String key = r.keyEnv() == null ? "-" : r.keyEnv() + (r.keySet() ? " (set)" : " (not set)");
                String check = r.ok() == null ? r.detail() : (r.ok() ? "ok: " : "FAILED: ") + r.detail();
                o.printf("%-9s %-10s %-24s %-30s %s%n", r.stage(), r.provider(), r.model() == null ? "-" : r.model(), key, check);
            }
            o.println("fallback: " + (providers.fallback == ProviderOptions.Fallback.embedded
                    ? "the embedded engines and the offline skills take over a failed provider within the turn" : "none"));
            o.println(".env: " + env.file().map(Object::toString).orElse("none found (./.env, $PARLEY_HOME/.env)"));
        }
        return allOk ? 0 : 1;
    }

    private Row stt(Environment env, Map<String, CheckResult> checked) {
        return switch (providers.stt) {
            case embedded -> new Row("stt", "embedded", "vosk-model-small-en-us", null, null, null, "offline, no key");
            case openai, openai_realtime -> {
                OpenAiSpeechConfig c = Stages.openAi(providers, env, providers.sttTimeoutMs);
                yield row("stt", providers.stt.name().replace('_', '-'), c.sttModel(), c.apiKeyEnv(), env,
                        () -> OpenAiCheck.check(c), "openai|" + c.baseUrl() + "|" + c.apiKeyEnv(), checked);
            }
            case deepgram -> {
                DeepgramConfig c = Stages.deepgram(providers, env);
                yield row("stt", "deepgram", c.sttModel(), DeepgramConfig.API_KEY_ENV, env,
                        () -> DeepgramCheck.check(c), "deepgram|" + c.baseUrl(), checked);
            }
            case google -> google("stt", env, checked);
        };
    }

    private Row tts(Environment env, Map<String, CheckResult> checked) {
        return switch (providers.tts) {
            case embedded -> new Row("tts", "embedded", "marytts", null, null, null, "offline, no key");
            case openai -> {
                OpenAiSpeechConfig c = Stages.openAi(providers, env, providers.ttsTimeoutMs);
                yield row("tts", "openai", c.ttsModel() + " " + c.voice(), c.apiKeyEnv(), env,
                        () -> OpenAiCheck.check(c), "openai|" + c.baseUrl() + "|" + c.apiKeyEnv(), checked);
            }
            case deepgram -> {
                DeepgramConfig c = Stages.deepgram(providers, env);
                yield row("tts", "deepgram", c.ttsModel(), DeepgramConfig.API_KEY_ENV, env,
                        () -> DeepgramCheck.check(c), "deepgram|" + c.baseUrl(), checked);
            }
            case google -> google("tts", env, checked);
        };
    }

    private Row llm(Environment env, Map<String, CheckResult> checked) {
        BrainOptions.Kind kind = brainOptions.kind();
        if (kind == BrainOptions.Kind.skills) return new Row("llm", "skills", null, null, null, null, "offline assistant, no LLM");
        if (brainOptions.llamaModel != null) {
            return new Row("llm", "llama.cpp", brainOptions.llamaModel, null, null, null, "in process, no key");
        }
        OpenAiChatConfig c = Brains.chatConfig(brainOptions, providers);
        return row("llm", Brains.llmProvider(brainOptions, c), c.model(), c.apiKeyEnv(), env, () -> OpenAiCheck.check(c),
                "openai|" + c.baseUrl() + "|" + c.apiKeyEnv(), checked);
    }

    private Row google(String stage, Environment env, Map<String, CheckResult> checked) {
        String keyEnv = "GOOGLE_APPLICATION_CREDENTIALS";
        GoogleConfig c;
        try {
            c = Stages.google(providers, env);
        } catch (UserError e) { // an unreadable credentials file: nothing to send
            return new Row(stage, "google", null, keyEnv, env.get(keyEnv).isPresent(), false, e.getMessage());
        }
        String model = stage.equals("stt") ? c.model() : c.voice();
        return row(stage, "google", model, keyEnv, env, () -> GoogleCheck.check(c), "google|" + c.ttsEndpoint(), checked);
    }

    private Row row(String stage, String provider, String model, String keyEnv, Environment env, Supplier<CheckResult> check,
                    String server, Map<String, CheckResult> checked) {
        boolean keySet = keyEnv != null && env.get(keyEnv).isPresent();
        if (noCheck) return new Row(stage, provider, model, keyEnv, keySet, null, "not checked");
        CheckResult r = checked.computeIfAbsent(server, k -> check.get());
        return new Row(stage, provider, model, keyEnv, keySet, r.ok(), r.detail());
    }
}

package dev.parley.cli;

import dev.parley.dialog.Dialog;
import dev.parley.embedded.EmbeddedStack;
import dev.parley.embedded.tts.EmbeddedVoices;
import dev.parley.tts.ChosenVoice;
import dev.parley.tts.VoiceCatalog;
import dev.parley.dialog.Scheduler;
import dev.parley.failover.Outage;
import dev.parley.providers.http.HttpProbe;
import dev.parley.providers.deepgram.DeepgramConfig;
import dev.parley.providers.google.GoogleConfig;
import dev.parley.providers.google.GoogleException;
import dev.parley.providers.google.GoogleSpeechRecognizer;
import dev.parley.providers.google.GoogleSpeechSynthesizer;
import dev.parley.providers.deepgram.DeepgramSpeechRecognizer;
import dev.parley.providers.deepgram.DeepgramSpeechSynthesizer;
import dev.parley.providers.openai.OpenAiSpeechConfig;
import dev.parley.providers.openai.realtime.OpenAiRealtimeClient;
import dev.parley.providers.openai.realtime.OpenAiRealtimeConfig;
import dev.parley.providers.openai.realtime.OpenAiRealtimeTranscriber;
import dev.parley.providers.openai.OpenAiSpeechRecognizer;
import dev.parley.providers.openai.OpenAiSpeechSynthesizer;
import dev.parley.session.VoiceSession;
import dev.parley.turn.TurnCompletion;
import dev.parley.turn.WordRules;
import dev.parley.stt.FallbackRecognizer;
import dev.parley.stt.SpeechRecognizer;
import dev.parley.tts.FallbackSynthesizer;
import dev.parley.tts.SpeechSynthesizer;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The engine of each listening and speaking stage, as the {@link ProviderOptions} choose them: the embedded ones, or
 * a cloud provider's wrapped in a fallback to the embedded one (unless {@code --fallback none}) that takes over
 * within the turn after a short spoken apology. Made once per process and shared by its sessions; the VAD is always
 * Parley's own (Silero), since the endpointer decides turns whatever the STT.
 */
final class Stages {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Stages.class);
    private static final Map<String, Stages> OPEN = new HashMap<>();
    /** The clock of the races against each turn's budget and of the outage probes. */
    private static final Scheduler TIMERS = Scheduler.system();

    private final EmbeddedStack embedded;
    private final SpeechRecognizer stt;
    private final SpeechSynthesizer tts;
    private final TurnCompletion completion;
    private final String description;
    /** The voices a session may pick: the embedded ones with the embedded voice, else only the provider's. */
    private final VoiceCatalog voices;

    private Stages(EmbeddedStack embedded, SpeechRecognizer stt, SpeechSynthesizer tts, TurnCompletion completion, String description,
                   VoiceCatalog voices) {
        this.embedded = embedded;
        this.stt = stt;
        this.tts = tts;
        this.voices = voices;
        this.completion = completion;
        this.description = description;
    }

    /** The stages for these options, made once per process; {@code wake}: with a wake-word detector. */
    static synchronized Stages open(ProviderOptions p, String voice, boolean wake) {
        p.validate();
        String key = voice + "|" + wake + "|" + p.stt + "|" + p.sttModel + "|" + p.sttLanguage + "|" + p.sttPhrases + "|" + p.tts + "|"
                + p.sttBoost + "|" + p.ttsModel + "|" + p.ttsVoice + "|" + p.ttsInstructions + "|" + p.fallback + "|" + p.connectTimeoutMs + "|"
                + p.sttTimeoutMs + "|" + p.ttsTimeoutMs;
        Stages s = OPEN.get(key);
        if (s != null) return s;
        EmbeddedStack embedded = Startup.embedded(voice, embeddedParts(p, wake));
        Environment env = Environment.load();
        boolean fallback = p.fallback == ProviderOptions.Fallback.embedded;
        String sttName = p.stt.name().replace('_', '-');
        Language language = p.language();
        // the embedded recogniser hears English: for another language it is no fallback
        SpeechRecognizer stt = p.stt == ProviderOptions.Stt.embedded ? embedded.stt()
                : fallback && language.english() ? new FallbackRecognizer(cloudStt(p, env), sttName, embedded.stt(), "embedded", outage(sttProbe(p, env)), TIMERS)
                : cloudStt(p, env);
        String ttsName = p.tts.name();
        // the local voices, the language's first: the embedded voice, or the cloud voice's fallback
        EmbeddedVoices local = embedded.parts().tts() ? EmbeddedVoices.of(voice, embedded.tts(), language.base()) : null;
        if (local != null && !language.english() && !local.speaks(language.base())) {
            String why = "no local voice speaks " + language.name() + ": install espeak-ng (apt install espeak-ng)";
            if (p.tts == ProviderOptions.Tts.embedded) throw new UserError(why);
            log.warn("{}; the fallback voice speaks English", why);
        }
        SpeechSynthesizer localVoice = local == null ? null : local.voice(local.defaultName());
        SpeechSynthesizer tts = p.tts == ProviderOptions.Tts.embedded ? localVoice
                : fallback ? new FallbackSynthesizer(cloudTts(p, env), ttsName, localVoice, "embedded", outage(ttsProbe(p, env)), TIMERS)
                : cloudTts(p, env);
        String description = "stt " + sttName + (p.sttModel == null ? "" : " " + p.sttModel)
                + ", tts " + ttsName + (p.ttsModel == null ? "" : " " + p.ttsModel)
                + (p.tts == ProviderOptions.Tts.embedded && local != null ? " (" + local.defaultName() + ")" : "")
                + (fallback && (p.stt != ProviderOptions.Stt.embedded || p.tts != ProviderOptions.Tts.embedded)
                ? " (the embedded engines if they fail)" : "")
                + (language.english() ? "" : "; language " + language.tag());
        VoiceCatalog voices = p.tts == ProviderOptions.Tts.embedded ? local
                : VoiceCatalog.single(p.ttsVoice == null ? ttsName : p.ttsVoice, tts);
        s = new Stages(embedded, stt, tts, judge(p), description, voices);
        OPEN.put(key, s);
        return s;
    }

    /**
     * The embedded engines these options use: the VAD always (in every stack), Vosk for the embedded recogniser or as
     * a cloud one's fallback, MaryTTS likewise for the voice.
     */
    static EmbeddedStack.Parts embeddedParts(ProviderOptions p) {
        return embeddedParts(p, false);
    }

    /** The same, and Vosk for the wake-word detector when {@code wake}. */
    static EmbeddedStack.Parts embeddedParts(ProviderOptions p, boolean wake) {
        boolean fallback = p.fallback == ProviderOptions.Fallback.embedded;
        return new EmbeddedStack.Parts(wake || fallback || p.stt == ProviderOptions.Stt.embedded,
                fallback || p.tts == ProviderOptions.Tts.embedded);
    }

    /**
     * The engines of one new session: its own VAD state and choice of voice ({@link ChosenVoice}), the shared
     * recogniser, voices, judge and wake-word detector (Vosk's, when the stack has Vosk), the given brain.
     */
    VoiceSession.Engines engines(Dialog dialog) {
        return new VoiceSession.Engines(embedded.vad().newDetector(), stt, dialog, new ChosenVoice(voices), completion, embedded.wake());
    }

    /**
     * The judge of finished utterances for the language heard: the English word rules for English (the embedded
     * recogniser is English only); for another language, silence alone, until that language has rules of its own.
     */
    static TurnCompletion judge(ProviderOptions p) {
        boolean english = p.stt == ProviderOptions.Stt.embedded || p.sttLanguage == null
                || p.sttLanguage.toLowerCase(java.util.Locale.ROOT).startsWith("en");
        return english ? WordRules.ENGLISH : TurnCompletion.SILENCE;
    }

    EmbeddedStack embedded() {
        return embedded;
    }

    /** The voice of every session, for a reply spoken outside one ({@code ask --speak}). */
    SpeechSynthesizer tts() {
        return tts;
    }

    String description() {
        return description;
    }

    static OpenAiSpeechConfig openAi(ProviderOptions p, Environment env, int firstByteMs) {
        try {
            OpenAiSpeechConfig c = OpenAiSpeechConfig.fromEnvironment(env.asMap());
            c = c.withTimeouts(Duration.ofMillis(p.connectTimeoutMs), Duration.ofMillis(firstByteMs), c.idleTimeout());
            if (p.sttModel != null) c = c.withSttModel(p.sttModel);
            if (p.sttLanguage != null) c = c.withLanguage(language(p.sttLanguage));
            if (p.ttsModel != null) c = c.withTtsModel(p.ttsModel);
            if (p.ttsVoice != null) c = c.withVoice(p.ttsVoice);
            if (p.ttsInstructions != null) c = c.withInstructions(p.ttsInstructions);
            return c;
        } catch (IllegalArgumentException e) {
            throw new UserError("invalid setting: " + e.getMessage(), e);
        }
    }

    static OpenAiRealtimeConfig realtime(ProviderOptions p, Environment env) {
        try {
            OpenAiRealtimeConfig c = OpenAiRealtimeConfig.fromEnvironment(env.asMap()).withTimeouts(
                    Duration.ofMillis(p.connectTimeoutMs), Duration.ofMillis(p.sttTimeoutMs), OpenAiRealtimeConfig.defaults().stallTimeout());
            if (p.sttModel != null) c = c.withTranscriptionModel(p.sttModel);
            if (p.sttLanguage != null) c = c.withLanguage(language(p.sttLanguage));
            return c;
        } catch (IllegalArgumentException e) {
            throw new UserError("invalid setting: " + e.getMessage(), e);
        }
    }

    /** A Google engine; missing credentials are a one-line error naming GOOGLE_APPLICATION_CREDENTIALS. */
    private static <T> T google(ProviderOptions p, Environment env, java.util.function.Function<GoogleConfig, T> make) {
        try {
            return make.apply(google(p, env));
        } catch (GoogleException e) {
            throw new UserError(e.getMessage(), e);
        }
    }

    /** OpenAI takes ISO-639-1 codes: {@code en-US} → {@code en}. */
    private static String language(String code) {
        int dash = code.indexOf('-');
        return dash < 0 ? code : code.substring(0, dash);
    }

    static DeepgramConfig deepgram(ProviderOptions p, Environment env) {
        try {
            DeepgramConfig c = DeepgramConfig.fromEnvironment(env.asMap()).withTimeouts(Duration.ofMillis(p.connectTimeoutMs),
                    Duration.ofMillis(p.sttTimeoutMs), Duration.ofMillis(p.ttsTimeoutMs));
            if (p.sttModel != null) c = c.withSttModel(p.sttModel);
            if (p.sttLanguage != null) c = c.withLanguage(p.sttLanguage);
            if (p.ttsModel != null) c = c.withTtsModel(p.ttsModel);
            else if (p.ttsVoice != null) c = c.withTtsModel(p.ttsVoice);
            return c;
        } catch (IllegalArgumentException e) {
            throw new UserError("invalid setting: " + e.getMessage(), e);
        }
    }

    static GoogleConfig google(ProviderOptions p, Environment env) {
        try {
            GoogleConfig c = GoogleConfig.fromEnvironment(env.asMap()).withTimeouts(Duration.ofMillis(p.connectTimeoutMs),
                    Duration.ofMillis(Math.max(p.sttTimeoutMs, p.ttsTimeoutMs)));
            if (p.sttModel != null) c = c.withModel(p.sttModel);
            if (p.sttLanguage != null) c = c.withLanguage(p.language().withRegion());
            if (p.sttPhrases != null && !p.sttPhrases.isEmpty()) c = c.withPhrases(p.sttPhrases, p.sttBoost);
            if (p.ttsVoice != null) c = c.withVoice(p.ttsVoice);
            return c;
        } catch (IllegalArgumentException e) {
            throw new UserError("invalid setting: " + e.getMessage(), e);
        }
    }

    /** An outage that a cheap request in the background ends (see {@link Outage}). */
    private static Outage outage(HttpProbe probe) {
        return Outage.probed(TIMERS, probe);
    }

    private static HttpProbe sttProbe(ProviderOptions p, Environment env) {
        return switch (p.stt) {
            case openai -> HttpProbe.of(openAi(p, env, p.sttTimeoutMs).baseUrl());
            case deepgram -> HttpProbe.of(http(deepgram(p, env).baseUrl()));
            case openai_realtime -> HttpProbe.of(http(realtime(p, env).baseUrl()));
            case google -> HttpProbe.ofEndpoint(google(p, env).speechEndpoint(), google(p, env).plaintext());
            case embedded -> throw new IllegalStateException("not a cloud provider");
        };
    }

    private static HttpProbe ttsProbe(ProviderOptions p, Environment env) {
        return switch (p.tts) {
            case openai -> HttpProbe.of(openAi(p, env, p.ttsTimeoutMs).baseUrl());
            case deepgram -> HttpProbe.of(http(deepgram(p, env).baseUrl()));
            case google -> HttpProbe.ofEndpoint(google(p, env).ttsEndpoint(), google(p, env).plaintext());
            case embedded -> throw new IllegalStateException("not a cloud provider");
        };
    }

    /** A WebSocket address as the HTTP one of the same server, for its probe. */
    private static URI http(URI uri) {
        String s = uri.toString();
        return URI.create(s.startsWith("wss:") ? "https:" + s.substring(4) : s.startsWith("ws:") ? "http:" + s.substring(3) : s);
    }

    private static SpeechRecognizer cloudStt(ProviderOptions p, Environment env) {
        return switch (p.stt) {
            case openai -> new OpenAiSpeechRecognizer(openAi(p, env, p.sttTimeoutMs));
            case deepgram -> new DeepgramSpeechRecognizer(deepgram(p, env));
            case openai_realtime -> new OpenAiRealtimeTranscriber(new OpenAiRealtimeClient(realtime(p, env)));
            case google -> google(p, env, GoogleSpeechRecognizer::new);
            case embedded -> throw new IllegalStateException("not a cloud provider");
        };
    }

    private static SpeechSynthesizer cloudTts(ProviderOptions p, Environment env) {
        return switch (p.tts) {
            case openai -> new OpenAiSpeechSynthesizer(openAi(p, env, p.ttsTimeoutMs));
            case deepgram -> new DeepgramSpeechSynthesizer(deepgram(p, env));
            case google -> google(p, env, GoogleSpeechSynthesizer::new);
            case embedded -> throw new IllegalStateException("not a cloud provider");
        };
    }
}

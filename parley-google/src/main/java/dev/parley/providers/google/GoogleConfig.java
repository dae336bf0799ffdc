package dev.parley.providers.google;

import com.google.auth.oauth2.GoogleCredentials;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How to reach Google Cloud Speech-to-Text v1 and Text-to-Speech v1 and what to ask them for.
 *
 * <p>Credentials come from a service-account JSON key file, named by {@value #CREDENTIALS_ENV} as Google's own
 * libraries read it; {@link #fromEnvironment} loads the file at once so that a wrong path is a one-line error naming
 * the variable, not a stack trace at the first utterance. Unlike Google's Application Default Credentials nothing
 * else is consulted (no gcloud login, no metadata server): what Parley uses is what the variable says.
 * {@link #toString()} shows the file's path, never its content.
 *
 * <p>The endpoints are {@code host:port} gRPC targets, overridable for regional endpoints
 * ({@code eu-speech.googleapis.com:443}) and, with {@link #withPlaintextEndpoint}, for a local fake or emulator
 * spoken to without TLS and without credentials (gRPC never sends OAuth tokens over plaintext).
 *
 * <p>Recognition follows the v1 {@code RecognitionConfig}: LINEAR16 at 16 kHz, {@code language_code},
 * {@code model} ({@code latest_short}, {@code latest_long}, {@code telephony}, …), and one {@code SpeechContext}
 * with {@code phrases} and {@code boost} (documented range 0 to 20; 0 means no boost). Synthesis follows
 * {@code VoiceSelectionParams} ({@code name}; the language is the voice name's locale prefix) and
 * {@code AudioConfig.speaking_rate} (0.25 to 2.0).
 *
 * @param credentialsFile  the service-account key file the credentials were read from, or null
 * @param credentials      the credentials, or null when none are set (every call then fails naming the variable)
 * @param speechEndpoint   the Speech-to-Text gRPC target, {@code host:port}
 * @param ttsEndpoint      the Text-to-Speech gRPC target, {@code host:port}
 * @param plaintext        talk to the endpoints without TLS and without credentials (local fakes only)
 * @param language         BCP-47 language of the speech recognised, e.g. {@code en-US}
 * @param model            the recognition model
 * @param phrases          phrase hints, sent as one speech context
 * @param boost            how strongly the phrases are favoured, 0 (unset) to 20
 * @param voice            the synthesis voice name, e.g. {@code en-US-Chirp3-HD-Aoede}
 * @param speakingRate     0.25 to 2.0, 1 is the voice's natural speed
 * @param connectTimeout   longest wait for the TCP (and TLS) connection
 * @param firstByteTimeout longest wait for the final transcript after the end of the audio, and for the first
 *                         (and each next) piece of synthesised audio
 */
public record GoogleConfig(Path credentialsFile, GoogleCredentials credentials, String speechEndpoint,
                           String ttsEndpoint, boolean plaintext, String language, String model, List<String> phrases,
                           float boost, String voice, double speakingRate, Duration connectTimeout,
                           Duration firstByteTimeout) {

    public static final String CREDENTIALS_ENV = "GOOGLE_APPLICATION_CREDENTIALS";
    public static final String DEFAULT_SPEECH_ENDPOINT = "speech.googleapis.com:443";
    public static final String DEFAULT_TTS_ENDPOINT = "texttospeech.googleapis.com:443";
    public static final String DEFAULT_LANGUAGE = "en-US";
    /** Google's model for short queries and commands: what a voice assistant hears. */
    public static final String DEFAULT_MODEL = "latest_short";
    /** A Chirp 3 HD voice: these stream their audio (StreamingSynthesize). */
    public static final String DEFAULT_VOICE = "en-US-Chirp3-HD-Aoede";
    public static final String CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform";

    private static final Pattern ENDPOINT = Pattern.compile("[A-Za-z0-9.-]+:[0-9]{1,5}|\\[[0-9A-Fa-f:.]+]:[0-9]{1,5}");
    private static final Pattern VOICE_LOCALE = Pattern.compile("^([a-zA-Z]{2,3}-[a-zA-Z0-9]{2,4})-.+");

    public GoogleConfig {
        speechEndpoint = endpoint(speechEndpoint, "speechEndpoint");
        ttsEndpoint = endpoint(ttsEndpoint, "ttsEndpoint");
        language = text(language, "language");
        model = text(model, "model");
        voice = text(voice, "voice");
        phrases = phrases == null ? List.of() : phrases.stream().map(p -> Objects.requireNonNull(p, "phrase").strip())
                .filter(p -> !p.isEmpty()).toList();
        if (!(boost >= 0 && boost <= 20)) {
            throw new IllegalArgumentException("boost must be 0 to 20, not " + boost);
        }
        if (!(speakingRate >= 0.25 && speakingRate <= 2.0)) {
            throw new IllegalArgumentException("speakingRate must be 0.25 to 2.0, not " + speakingRate);
        }
        positive(connectTimeout, "connectTimeout");
        positive(firstByteTimeout, "firstByteTimeout");
        if (credentials == null) credentialsFile = null;
    }

    /** Google's global endpoints, no credentials, en-US, {@code latest_short}, a Chirp 3 HD voice, 5 s and 10 s. */
    public static GoogleConfig defaults() {
        return new GoogleConfig(null, null, DEFAULT_SPEECH_ENDPOINT, DEFAULT_TTS_ENDPOINT, false, DEFAULT_LANGUAGE,
                DEFAULT_MODEL, List.of(), 0f, DEFAULT_VOICE, 1.0, Duration.ofSeconds(5), Duration.ofSeconds(10));
    }

    /**
     * {@link #defaults()} with the credentials of the key file named by {@value #CREDENTIALS_ENV} in {@code env},
     * when set.
     *
     * @throws IllegalArgumentException (one line, naming the variable) when the file is missing, unreadable or not a
     *                                  Google credentials file
     */
    public static GoogleConfig fromEnvironment(Map<String, String> env) {
        String path = env.get(CREDENTIALS_ENV);
        GoogleConfig c = defaults();
        return path == null || path.isBlank() ? c : c.withCredentialsFile(path.strip());
    }

    /** Whether calls can be authorised: credentials are loaded, or the endpoints are a plaintext fake. */
    public boolean hasCredentials() {
        return credentials != null || plaintext;
    }

    /** The message every call fails with when {@link #hasCredentials()} is false. */
    public static String missingCredentialsMessage() {
        return CREDENTIALS_ENV + " is not set: set it to the path of a Google Cloud service-account JSON key file";
    }

    /** The synthesis language: the voice name's locale ({@code en-US} of {@code en-US-Chirp3-HD-Aoede}). */
    public String voiceLanguage() {
        var m = VOICE_LOCALE.matcher(voice);
        return m.matches() ? m.group(1) : language;
    }

    /**
     * Whether the voice streams its audio through {@code StreamingSynthesize}: Google documents streaming synthesis
     * for the Chirp 3 HD voices only ({@code …-Chirp3-HD-…}); every other voice gets the unary
     * {@code SynthesizeSpeech}.
     */
    public boolean voiceStreams() {
        return voice.toLowerCase(Locale.ROOT).contains("-chirp3-hd-");
    }

    /** Reads a key file as {@link #fromEnvironment} does, with messages naming {@value #CREDENTIALS_ENV}. */
    public GoogleConfig withCredentialsFile(String path) {
        Path file;
        try {
            file = Path.of(path);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(CREDENTIALS_ENV + " is not a valid path: " + e.getReason());
        }
        return withCredentials(file, load(file));
    }

    /** These credentials (e.g. built by the caller), remembering {@code file} (may be null) for messages. */
    public GoogleConfig withCredentials(Path file, GoogleCredentials value) {
        return new GoogleConfig(file, value, speechEndpoint, ttsEndpoint, plaintext, language, model, phrases, boost,
                voice, speakingRate, connectTimeout, firstByteTimeout);
    }

    /** Regional or private endpoints, over TLS with the credentials. */
    public GoogleConfig withEndpoints(String speech, String tts) {
        return new GoogleConfig(credentialsFile, credentials, speech, tts, false, language, model, phrases, boost,
                voice, speakingRate, connectTimeout, firstByteTimeout);
    }

    /** One {@code host:port} serving both APIs without TLS and without credentials: a local fake or emulator. */
    public GoogleConfig withPlaintextEndpoint(String hostPort) {
        return new GoogleConfig(credentialsFile, credentials, hostPort, hostPort, true, language, model, phrases,
                boost, voice, speakingRate, connectTimeout, firstByteTimeout);
    }

    public GoogleConfig withLanguage(String value) {
        return new GoogleConfig(credentialsFile, credentials, speechEndpoint, ttsEndpoint, plaintext, value, model,
                phrases, boost, voice, speakingRate, connectTimeout, firstByteTimeout);
    }

    public GoogleConfig withModel(String value) {
        return new GoogleConfig(credentialsFile, credentials, speechEndpoint, ttsEndpoint, plaintext, language, value,
                phrases, boost, voice, speakingRate, connectTimeout, firstByteTimeout);
    }

    /** Phrase hints and how strongly to favour them (0 to 20; 0 sends no boost). */
    public GoogleConfig withPhrases(List<String> values, float boostValue) {
        return new GoogleConfig(credentialsFile, credentials, speechEndpoint, ttsEndpoint, plaintext, language, model,
                values, boostValue, voice, speakingRate, connectTimeout, firstByteTimeout);
    }

    public GoogleConfig withVoice(String value) {
        return new GoogleConfig(credentialsFile, credentials, speechEndpoint, ttsEndpoint, plaintext, language, model,
                phrases, boost, value, speakingRate, connectTimeout, firstByteTimeout);
    }

    public GoogleConfig withSpeakingRate(double value) {
        return new GoogleConfig(credentialsFile, credentials, speechEndpoint, ttsEndpoint, plaintext, language, model,
                phrases, boost, voice, value, connectTimeout, firstByteTimeout);
    }

    public GoogleConfig withTimeouts(Duration connect, Duration firstByte) {
        return new GoogleConfig(credentialsFile, credentials, speechEndpoint, ttsEndpoint, plaintext, language, model,
                phrases, boost, voice, speakingRate, connect, firstByte);
    }

    /** Shows where the credentials came from, never what they hold. */
    @Override
    public String toString() {
        String creds = credentials == null ? "none" : credentialsFile == null ? "set" : credentialsFile.toString();
        return "GoogleConfig[credentials=" + creds + ", speechEndpoint=" + speechEndpoint + ", ttsEndpoint="
                + ttsEndpoint + (plaintext ? " (plaintext)" : "") + ", language=" + language + ", model=" + model
                + ", phrases=" + phrases.size() + ", boost=" + boost + ", voice=" + voice + ", speakingRate="
                + speakingRate + ", connectTimeout=" + connectTimeout + ", firstByteTimeout=" + firstByteTimeout + "]";
    }

    private static GoogleCredentials load(Path file) {
        String where = CREDENTIALS_ENV + "=" + file;
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(where + ": no such file");
        }
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(where + " is a directory, not a service-account JSON key file");
        }
        GoogleCredentials c;
        try (InputStream in = Files.newInputStream(file)) {
            c = GoogleCredentials.fromStream(in);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(where + ": no such file");
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException(where + " cannot be read (permission denied)");
        } catch (IOException | RuntimeException e) {
            // the parser's own message may quote the file's content (a private key): name the problem, not the text
            throw new IllegalArgumentException(where + " is not a Google service-account JSON key file"
                    + describe(e));
        }
        return c.createScopedRequired() ? c.createScoped(List.of(CLOUD_PLATFORM_SCOPE)) : c;
    }

    /** A hint from google-auth's fixed messages (which never carry file content), nothing from a JSON parser. */
    private static String describe(Exception e) {
        String m = e.getMessage();
        if (m == null) return "";
        if (m.contains("expecting") && m.contains("'private_key_id'")) {
            return " (it lacks client_id, client_email, private_key or private_key_id)";
        }
        if (m.contains("'type' field not specified")) return " (it has no 'type' field)";
        if (m.contains("'type' value")) return " (its 'type' is not one Google knows)";
        return " (" + e.getClass().getSimpleName() + ")";
    }

    private static String endpoint(String value, String name) {
        String v = text(value, name);
        if (!ENDPOINT.matcher(v).matches()) {
            throw new IllegalArgumentException(name + " must be host:port (e.g. " + DEFAULT_SPEECH_ENDPOINT
                    + "), not '" + v + "'");
        }
        return v;
    }

    private static String text(String value, String name) {
        if (value == null || value.isBlank()) throw new IllegalArgumentException(name + " must not be empty");
        String v = value.strip();
        if (v.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(name + " must not contain control characters");
        }
        return v;
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive, not " + d);
    }
}

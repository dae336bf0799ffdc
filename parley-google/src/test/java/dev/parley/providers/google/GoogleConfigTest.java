package dev.parley.providers.google;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GoogleConfigTest {

    @TempDir
    Path dir;

    static String privateKeyPem() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(g.generateKeyPair().getPrivate()
                .getEncoded());
        return "-----BEGIN PRIVATE KEY-----\n" + b64 + "\n-----END PRIVATE KEY-----\n";
    }

    private Path serviceAccount(String privateKeyPem) throws Exception {
        return writeServiceAccount(dir, privateKeyPem);
    }

    /** A service-account key file as the Cloud console downloads it, with a fresh RSA key. */
    static Path writeServiceAccount(Path dir, String privateKeyPem) throws Exception {
        String json = """
                {"type": "service_account", "project_id": "parley-test", "private_key_id": "abc123",
                 "private_key": "%s", "client_email": "tts@parley-test.iam.gserviceaccount.com",
                 "client_id": "1234567890", "token_uri": "https://oauth2.googleapis.com/token"}
                """.formatted(privateKeyPem.replace("\n", "\\n"));
        Path f = dir.resolve("key.json");
        Files.writeString(f, json);
        return f;
    }

    @Test
    void defaultsWithoutTheVariableHaveNoCredentials() {
        GoogleConfig c = GoogleConfig.fromEnvironment(Map.of());
        assertThat(c.hasCredentials()).isFalse();
        assertThat(c.credentials()).isNull();
        assertThat(c.speechEndpoint()).isEqualTo("speech.googleapis.com:443");
        assertThat(c.ttsEndpoint()).isEqualTo("texttospeech.googleapis.com:443");
        assertThat(c.language()).isEqualTo("en-US");
        assertThat(c.model()).isEqualTo("latest_short");
        assertThat(c.voice()).isEqualTo("en-US-Chirp3-HD-Aoede");
        assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.firstByteTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(GoogleConfig.fromEnvironment(Map.of("GOOGLE_APPLICATION_CREDENTIALS", " ")).hasCredentials())
                .isFalse();
    }

    @Test
    void loadsAServiceAccountKeyAndNeverPrintsIt() throws Exception {
        String pem = privateKeyPem();
        Path key = serviceAccount(pem);
        GoogleConfig c = GoogleConfig.fromEnvironment(Map.of("GOOGLE_APPLICATION_CREDENTIALS", key.toString()));
        assertThat(c.hasCredentials()).isTrue();
        assertThat(c.credentialsFile()).isEqualTo(key);
        assertThat(c.toString()).contains(key.toString()).doesNotContain("PRIVATE KEY")
                .doesNotContain(pem.lines().skip(1).findFirst().orElseThrow()).doesNotContain("abc123");
        // the scope Google's own clients ask for
        assertThat(c.credentials().createScopedRequired()).isFalse();
        // with… copies keep the credentials
        assertThat(c.withVoice("en-GB-Neural2-A").withModel("telephony").credentials()).isSameAs(c.credentials());
    }

    @Test
    void aMissingFileIsOneLineNamingTheVariable() {
        Path missing = dir.resolve("nope.json");
        assertThatThrownBy(() -> GoogleConfig.fromEnvironment(Map.of("GOOGLE_APPLICATION_CREDENTIALS",
                missing.toString())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("GOOGLE_APPLICATION_CREDENTIALS=" + missing + ": no such file");
    }

    @Test
    void aDirectoryIsRefused() {
        assertThatThrownBy(() -> GoogleConfig.fromEnvironment(Map.of("GOOGLE_APPLICATION_CREDENTIALS",
                dir.toString())))
                .hasMessage("GOOGLE_APPLICATION_CREDENTIALS=" + dir + " is a directory, not a service-account JSON "
                        + "key file");
    }

    @Test
    void anUnreadableFileIsOneLineNamingTheVariable() throws Exception {
        Path key = serviceAccount(privateKeyPem());
        key.toFile().setReadable(false, false);
        if (Files.isReadable(key)) return; // running as root: permissions are not enforced
        assertThatThrownBy(() -> GoogleConfig.fromEnvironment(Map.of("GOOGLE_APPLICATION_CREDENTIALS",
                key.toString())))
                .hasMessage("GOOGLE_APPLICATION_CREDENTIALS=" + key + " cannot be read (permission denied)");
    }

    @Test
    void aFileThatIsNotAKeySaysSoWithoutQuotingIt() throws Exception {
        Path notJson = dir.resolve("notes.txt");
        Files.writeString(notJson, "secret-looking-content-xyz {{{");
        assertThatThrownBy(() -> GoogleConfig.fromEnvironment(Map.of("GOOGLE_APPLICATION_CREDENTIALS",
                notJson.toString())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("GOOGLE_APPLICATION_CREDENTIALS=" + notJson
                        + " is not a Google service-account JSON key file")
                .message().doesNotContain("secret-looking-content-xyz").doesNotContain("\n");

        Path incomplete = dir.resolve("incomplete.json");
        Files.writeString(incomplete, "{\"type\": \"service_account\", \"private_key\": \"-----BEGIN PRIVATE KEY-----"
                + "MIIEvQIBADANBg\"}");
        assertThatThrownBy(() -> GoogleConfig.fromEnvironment(Map.of("GOOGLE_APPLICATION_CREDENTIALS",
                incomplete.toString())))
                .hasMessage("GOOGLE_APPLICATION_CREDENTIALS=" + incomplete + " is not a Google service-account "
                        + "JSON key file (it lacks client_id, client_email, private_key or private_key_id)");

        Path noType = dir.resolve("notype.json");
        Files.writeString(noType, "{\"client_email\": \"x@y\"}");
        assertThatThrownBy(() -> GoogleConfig.fromEnvironment(Map.of("GOOGLE_APPLICATION_CREDENTIALS",
                noType.toString())))
                .hasMessageEndingWith("is not a Google service-account JSON key file (it has no 'type' field)");
    }

    @Test
    void voiceLanguageAndStreamingFollowTheVoiceName() {
        GoogleConfig c = GoogleConfig.defaults();
        assertThat(c.voiceLanguage()).isEqualTo("en-US");
        assertThat(c.voiceStreams()).isTrue();
        assertThat(c.withVoice("cmn-CN-Chirp3-HD-Kore").voiceLanguage()).isEqualTo("cmn-CN");
        assertThat(c.withVoice("en-GB-Neural2-A").voiceStreams()).isFalse();
        assertThat(c.withVoice("en-GB-Neural2-A").voiceLanguage()).isEqualTo("en-GB");
        assertThat(c.withLanguage("de-DE").withVoice("Kore").voiceLanguage()).isEqualTo("de-DE");
    }

    @Test
    void endpointsAndPlaintext() {
        GoogleConfig c = GoogleConfig.defaults().withEndpoints("eu-speech.googleapis.com:443",
                "eu-texttospeech.googleapis.com:443");
        assertThat(c.speechEndpoint()).isEqualTo("eu-speech.googleapis.com:443");
        assertThat(c.plaintext()).isFalse();
        GoogleConfig fake = c.withPlaintextEndpoint("localhost:5000");
        assertThat(fake.plaintext()).isTrue();
        assertThat(fake.hasCredentials()).isTrue();
        assertThat(fake.ttsEndpoint()).isEqualTo("localhost:5000");
        assertThat(fake.toString()).contains("(plaintext)");
        assertThatThrownBy(() -> c.withEndpoints("https://speech.googleapis.com", "x:1"))
                .hasMessageStartingWith("speechEndpoint must be host:port");
        assertThatThrownBy(() -> c.withEndpoints("speech.googleapis.com", "x:1"))
                .hasMessageStartingWith("speechEndpoint must be host:port");
    }

    @Test
    void validatesRanges() {
        GoogleConfig c = GoogleConfig.defaults();
        assertThat(c.withPhrases(List.of("a", " b "), 20f).phrases()).containsExactly("a", "b");
        assertThatThrownBy(() -> c.withPhrases(List.of("a"), 21f)).hasMessage("boost must be 0 to 20, not 21.0");
        assertThatThrownBy(() -> c.withPhrases(List.of("a"), Float.NaN)).hasMessageStartingWith("boost must be");
        assertThatThrownBy(() -> c.withSpeakingRate(3)).hasMessage("speakingRate must be 0.25 to 2.0, not 3.0");
        assertThatThrownBy(() -> c.withTimeouts(Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessageStartingWith("connectTimeout must be positive");
        assertThatThrownBy(() -> c.withModel(" ")).hasMessage("model must not be empty");
        assertThatThrownBy(() -> c.withVoice("a\nb")).hasMessage("voice must not contain control characters");
    }
}

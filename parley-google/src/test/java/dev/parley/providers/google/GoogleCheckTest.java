package dev.parley.providers.google;

import com.google.cloud.texttospeech.v1.ListVoicesResponse;
import com.google.cloud.texttospeech.v1.Voice;
import dev.parley.providers.CheckResult;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GoogleCheckTest {
    private FakeGoogleServer server;

    @BeforeEach
    void start() throws Exception {
        server = new FakeGoogleServer();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private void voices(String... names) {
        server.listVoices = (req, out) -> {
            ListVoicesResponse.Builder b = ListVoicesResponse.newBuilder();
            for (String n : names) b.addVoices(Voice.newBuilder().setName(n).addLanguageCodes(req.getLanguageCode()));
            out.onNext(b.build());
            out.onCompleted();
        };
    }

    @Test
    void listsTheVoicesOfTheVoicesLanguage() {
        voices("en-US-Chirp3-HD-Aoede", "en-US-Neural2-F");
        CheckResult r = GoogleCheck.check(server.config());
        assertThat(r).isEqualTo(CheckResult.ok("google", "2 voices for en-US, including en-US-Chirp3-HD-Aoede"));
        assertThat(server.listVoicesRequests).singleElement()
                .satisfies(req -> assertThat(req.getLanguageCode()).isEqualTo("en-US"));
    }

    @Test
    void anUnknownVoiceFails() {
        voices("en-GB-Neural2-A");
        CheckResult r = GoogleCheck.check(server.config().withVoice("en-GB-Chirp3-HD-Nobody"));
        assertThat(r).isEqualTo(CheckResult.failed("google",
                "the voice en-GB-Chirp3-HD-Nobody is not among the 1 voices for en-GB"));
    }

    @Test
    void refusedCredentialsNameTheVariable() {
        server.listVoices = (req, out) -> out.onError(Status.PERMISSION_DENIED
                .withDescription("Cloud Text-to-Speech API has not been used in project 42").asRuntimeException());
        CheckResult r = GoogleCheck.check(server.config());
        assertThat(r.ok()).isFalse();
        assertThat(r.detail()).contains("set GOOGLE_APPLICATION_CREDENTIALS").contains("PERMISSION_DENIED")
                .contains("has not been used in project 42");
    }

    @Test
    void noCredentialsFailsWithoutACall() {
        CheckResult r = GoogleCheck.check(GoogleConfig.defaults());
        assertThat(r).isEqualTo(CheckResult.failed("google", GoogleConfig.missingCredentialsMessage()));
    }

    @Test
    void overTlsWithAServiceAccountATlsFailureIsUnavailable(@TempDir Path dir) throws Exception {
        // the production path: TLS channel and a service account's own JWT; the plaintext fake fails the handshake
        Path key = GoogleConfigTest.writeServiceAccount(dir, GoogleConfigTest.privateKeyPem());
        GoogleConfig config = GoogleConfig.fromEnvironment(Map.of("GOOGLE_APPLICATION_CREDENTIALS", key.toString()))
                .withEndpoints(server.endpoint(), server.endpoint());
        CheckResult r = GoogleCheck.check(config);
        assertThat(r.ok()).isFalse();
        assertThat(r.detail()).startsWith("Google Text-to-Speech is unavailable (UNAVAILABLE)");
        try (GoogleSpeechRecognizer stt = new GoogleSpeechRecognizer(config)) {
            var stream = stt.open();
            assertThatThrownBy(() -> {
                stream.accept(new short[320], 0, 320);
                stream.finish();
            }).isInstanceOfSatisfying(GoogleException.class,
                    e -> assertThat(e.kind()).isEqualTo(GoogleException.Kind.UNAVAILABLE));
        }
        assertThat(server.listVoicesRequests).isEmpty();
        assertThat(server.sttCalls).isEmpty();
    }

    @Test
    void nothingListeningIsUnavailable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        CheckResult r = GoogleCheck.check(GoogleConfig.defaults().withPlaintextEndpoint("localhost:" + port));
        assertThat(r.ok()).isFalse();
        assertThat(r.detail()).startsWith("Google Text-to-Speech is unavailable (UNAVAILABLE)");
    }
}

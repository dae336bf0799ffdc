package dev.parley.providers.google;

import com.google.cloud.texttospeech.v1.ListVoicesRequest;
import com.google.cloud.texttospeech.v1.ListVoicesResponse;
import com.google.cloud.texttospeech.v1.TextToSpeechClient;
import com.google.cloud.texttospeech.v1.Voice;
import dev.parley.providers.CheckResult;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The cheap credentials and reachability check behind {@code ./parley providers}: one Text-to-Speech
 * {@code ListVoices} call for the voice's language (free, authorised like every other call), which also tells
 * whether the configured voice exists. It never throws: every problem is a one-line {@link CheckResult#failed}.
 */
public final class GoogleCheck {
    public static final String PROVIDER = "google";

    private GoogleCheck() {
    }

    public static CheckResult check(GoogleConfig config) {
        if (!config.hasCredentials()) return CheckResult.failed(PROVIDER, GoogleConfig.missingCredentialsMessage());
        try (TextToSpeechClient client = GoogleClients.tts(config)) {
            ListVoicesResponse voices = client.listVoicesCallable()
                    .futureCall(ListVoicesRequest.newBuilder().setLanguageCode(config.voiceLanguage()).build())
                    .get(config.firstByteTimeout().toMillis() + 2_000, TimeUnit.MILLISECONDS);
            boolean known = voices.getVoicesList().stream().map(Voice::getName).anyMatch(config.voice()::equals);
            String summary = voices.getVoicesCount() + " voices for " + config.voiceLanguage();
            return known
                    ? CheckResult.ok(PROVIDER, summary + ", including " + config.voice())
                    : CheckResult.failed(PROVIDER, "the voice " + config.voice() + " is not among the " + summary);
        } catch (ExecutionException e) {
            return CheckResult.failed(PROVIDER, GoogleException.from("Google Text-to-Speech", e.getCause())
                    .getMessage());
        } catch (TimeoutException e) {
            return CheckResult.failed(PROVIDER, "Google Text-to-Speech: no answer within "
                    + config.firstByteTimeout().toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CheckResult.failed(PROVIDER, "interrupted");
        } catch (Exception e) {
            return CheckResult.failed(PROVIDER, GoogleException.from("Google Text-to-Speech", e).getMessage());
        }
    }
}

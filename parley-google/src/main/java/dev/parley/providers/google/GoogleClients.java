package dev.parley.providers.google;

import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.core.FixedCredentialsProvider;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.InstantiatingGrpcChannelProvider;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.StatusCode;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.speech.v1.SpeechClient;
import com.google.cloud.speech.v1.SpeechSettings;
import com.google.cloud.texttospeech.v1.TextToSpeechClient;
import com.google.cloud.texttospeech.v1.TextToSpeechSettings;
import io.grpc.ManagedChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;

import java.io.IOException;
import java.time.Duration;

/**
 * Builds Google's official v1 clients from a {@link GoogleConfig}: the endpoint, TLS or plaintext, the credentials,
 * a TCP connect timeout on the Netty transport the libraries bring (grpc-netty-shaded), and unary retry settings that
 * fit a conversation (Google's defaults retry for up to five minutes): at most three attempts, only on
 * {@code UNAVAILABLE}, all within the first-byte timeout. A unary call delivers nothing before it succeeds, so
 * retrying it is always safe; streaming calls are never retried.
 */
final class GoogleClients {
    private static final int MAX_ATTEMPTS = 3;

    private GoogleClients() {
    }

    static SpeechClient speech(GoogleConfig config) throws IOException {
        SpeechSettings.Builder b = SpeechSettings.newBuilder()
                .setEndpoint(config.speechEndpoint())
                .setCredentialsProvider(credentials(config))
                .setTransportChannelProvider(channel(config, config.speechEndpoint()));
        return SpeechClient.create(b.build());
    }

    static TextToSpeechClient tts(GoogleConfig config) throws IOException {
        TextToSpeechSettings.Builder b = TextToSpeechSettings.newBuilder()
                .setEndpoint(config.ttsEndpoint())
                .setCredentialsProvider(credentials(config))
                .setTransportChannelProvider(channel(config, config.ttsEndpoint()));
        RetrySettings retry = unaryRetry(config.firstByteTimeout());
        b.synthesizeSpeechSettings().setRetrySettings(retry).setRetryableCodes(StatusCode.Code.UNAVAILABLE);
        b.listVoicesSettings().setRetrySettings(retry).setRetryableCodes(StatusCode.Code.UNAVAILABLE);
        return TextToSpeechClient.create(b.build());
    }

    /** Up to three attempts, 200 ms then 400 ms apart, the whole call (retries included) within {@code limit}. */
    static RetrySettings unaryRetry(Duration limit) {
        return RetrySettings.newBuilder()
                .setInitialRetryDelayDuration(Duration.ofMillis(200))
                .setRetryDelayMultiplier(2.0)
                .setMaxRetryDelayDuration(Duration.ofSeconds(1))
                .setInitialRpcTimeoutDuration(limit)
                .setRpcTimeoutMultiplier(1.0)
                .setMaxRpcTimeoutDuration(limit)
                .setTotalTimeoutDuration(limit)
                .setMaxAttempts(MAX_ATTEMPTS)
                .build();
    }

    private static CredentialsProvider credentials(GoogleConfig config) {
        if (config.plaintext()) return NoCredentialsProvider.create();
        if (config.credentials() == null) {
            throw new GoogleException(GoogleException.Kind.CREDENTIALS, GoogleConfig.missingCredentialsMessage(),
                    null);
        }
        GoogleCredentials c = config.credentials();
        // as Google's own GoogleCredentialsProvider does: a service account signs its own JWT for each call instead
        // of first fetching an OAuth token from the token server (one round trip less, one dependency less)
        if (c instanceof ServiceAccountCredentials sa) c = sa.createWithUseJwtAccessWithScope(true);
        return FixedCredentialsProvider.create(c);
    }

    private static InstantiatingGrpcChannelProvider channel(GoogleConfig config, String endpoint) {
        int connectMillis = (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis());
        boolean plaintext = config.plaintext();
        return InstantiatingGrpcChannelProvider.newBuilder()
                .setEndpoint(endpoint)
                .setChannelConfigurator(builder -> configure(builder, plaintext, connectMillis))
                .build();
    }

    @SuppressWarnings("rawtypes")
    private static ManagedChannelBuilder configure(ManagedChannelBuilder builder, boolean plaintext, int connectMillis) {
        if (builder instanceof NettyChannelBuilder netty) {
            netty.withOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectMillis);
        }
        if (plaintext) builder.usePlaintext();
        return builder;
    }
}

package dev.parley.providers.google;

import com.google.cloud.speech.v1.RecognitionConfig;
import com.google.cloud.speech.v1.SpeechContext;
import com.google.cloud.speech.v1.SpeechRecognitionAlternative;
import com.google.cloud.speech.v1.StreamingRecognitionResult;
import com.google.cloud.speech.v1.StreamingRecognizeRequest;
import com.google.cloud.speech.v1.StreamingRecognizeResponse;
import dev.parley.failover.ProviderEvents;
import dev.parley.failover.ProviderTiming;
import dev.parley.stt.RecognitionStream;
import dev.parley.stt.Transcript;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GoogleSpeechRecognizerTest {

    private FakeGoogleServer server;
    private GoogleSpeechRecognizer recognizer;
    private final List<ProviderTiming> timings = new CopyOnWriteArrayList<>();
    private final ProviderEvents events = timings::add;

    @BeforeEach
    void start() throws Exception {
        server = new FakeGoogleServer();
    }

    @AfterEach
    void stop() throws Exception {
        if (recognizer != null) recognizer.close();
        server.close();
    }

    private GoogleSpeechRecognizer recognizer(GoogleConfig config) {
        recognizer = new GoogleSpeechRecognizer(config);
        return recognizer;
    }

    private static short[] tone(int n, int seed) {
        short[] s = new short[n];
        for (int i = 0; i < n; i++) s[i] = (short) ((i * 37 + seed) * 101);
        return s;
    }

    private static byte[] le(short[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (short[] p : parts) {
            for (short v : p) {
                out.write(v & 0xff);
                out.write((v >> 8) & 0xff);
            }
        }
        return out.toByteArray();
    }

    static StreamingRecognizeResponse result(String text, boolean isFinal, float confidence) {
        return StreamingRecognizeResponse.newBuilder()
                .addResults(StreamingRecognitionResult.newBuilder().setIsFinal(isFinal)
                        .addAlternatives(SpeechRecognitionAlternative.newBuilder().setTranscript(text)
                                .setConfidence(confidence)))
                .build();
    }

    @Test
    void sendsTheDocumentedConfigThenTheAudioAndReturnsTheFinalResult() throws Exception {
        server.stt = new FakeGoogleServer.SttScript() {
            @Override
            public void onRequest(FakeGoogleServer.SttCall call, StreamingRecognizeRequest r) {
                if (call.audioMessages() == 2 && r.getStreamingRequestCase()
                        == StreamingRecognizeRequest.StreamingRequestCase.AUDIO_CONTENT) {
                    // two results in one response, as Google sends them: stable then unstable
                    call.out.onNext(StreamingRecognizeResponse.newBuilder()
                            .addResults(StreamingRecognitionResult.newBuilder().setStability(0.9f)
                                    .addAlternatives(SpeechRecognitionAlternative.newBuilder().setTranscript("turn on")))
                            .addResults(StreamingRecognitionResult.newBuilder().setStability(0.01f)
                                    .addAlternatives(SpeechRecognitionAlternative.newBuilder().setTranscript(" the li")))
                            .build());
                }
            }

            @Override
            public void onHalfClose(FakeGoogleServer.SttCall call) {
                call.out.onNext(result("Turn on the lights.", true, 0.92f));
                call.out.onCompleted();
            }
        };
        GoogleConfig config = server.config().withLanguage("en-GB").withModel("telephony")
                .withPhrases(List.of("Parley", "kitchen lights"), 12.5f);
        short[] a = tone(320, 1), b = tone(320, 2), c = tone(9000, 3); // c is 18000 bytes: split in two messages

        RecognitionStream stream = recognizer(config).open(events);
        assertThat(stream.accept(a, 0, a.length)).isEmpty();
        stream.accept(b, 0, b.length);
        await().atMost(Duration.ofSeconds(10)).until(() -> stream.accept(new short[0], 0, 0),
                p -> p.equals("turn on the li"));
        stream.accept(c, 0, c.length);
        Transcript t = stream.finish();

        assertThat(t.text()).isEqualTo("Turn on the lights.");
        assertThat(t.confidence()).isCloseTo(0.92, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(timings).singleElement().satisfies(timing -> {
            assertThat(timing.provider()).isEqualTo("google");
            assertThat(timing.stage()).isEqualTo("stt");
        });

        FakeGoogleServer.SttCall call = server.sttCalls.getFirst();
        StreamingRecognizeRequest first = call.requests.getFirst();
        assertThat(first.getStreamingRequestCase())
                .isEqualTo(StreamingRecognizeRequest.StreamingRequestCase.STREAMING_CONFIG);
        var sc = first.getStreamingConfig();
        assertThat(sc.getInterimResults()).isTrue();
        assertThat(sc.getSingleUtterance()).isFalse();
        RecognitionConfig rc = sc.getConfig();
        assertThat(rc.getEncoding()).isEqualTo(RecognitionConfig.AudioEncoding.LINEAR16);
        assertThat(rc.getSampleRateHertz()).isEqualTo(16_000);
        assertThat(rc.getAudioChannelCount()).isEqualTo(1);
        assertThat(rc.getLanguageCode()).isEqualTo("en-GB");
        assertThat(rc.getModel()).isEqualTo("telephony");
        assertThat(rc.getEnableAutomaticPunctuation()).isTrue();
        assertThat(rc.getSpeechContextsList()).containsExactly(SpeechContext.newBuilder()
                .addPhrases("Parley").addPhrases("kitchen lights").setBoost(12.5f).build());
        // every later request is audio only, each at most 16000 bytes, and together exactly what was accepted
        assertThat(call.requests.subList(1, call.requests.size())).allSatisfy(r -> {
            assertThat(r.getStreamingRequestCase())
                    .isEqualTo(StreamingRecognizeRequest.StreamingRequestCase.AUDIO_CONTENT);
            assertThat(r.getAudioContent().size()).isBetween(1, GoogleSpeechRecognizer.MAX_AUDIO_BYTES);
        });
        assertThat(call.audioMessages()).isEqualTo(4);
        assertThat(call.audioBytes()).isEqualTo(le(a, b, c));
        assertThat(call.halfClosed.getCount()).isZero();
        // plaintext to a fake: no OAuth token goes out
        assertThat(server.headerNames()).doesNotContain("authorization");
    }

    @Test
    void joinsSeveralFinalResultsAndAveragesTheirConfidence() {
        server.stt = new FakeGoogleServer.SttScript() {
            @Override
            public void onRequest(FakeGoogleServer.SttCall call, StreamingRecognizeRequest r) {
                if (call.audioMessages() == 1) {
                    call.out.onNext(result("what is", true, 0.8f));
                    call.out.onNext(result(" the wea", false, 0f));
                }
            }

            @Override
            public void onHalfClose(FakeGoogleServer.SttCall call) {
                call.out.onNext(result(" the weather", true, 0.6f));
                call.out.onCompleted();
            }
        };
        RecognitionStream stream = recognizer(server.config()).open(events);
        short[] a = tone(1600, 5);
        stream.accept(a, 0, a.length);
        await().atMost(Duration.ofSeconds(10)).until(() -> stream.accept(new short[0], 0, 0),
                p -> p.equals("what is the wea"));
        Transcript t = stream.finish();
        assertThat(t.text()).isEqualTo("what is the weather");
        assertThat(t.confidence()).isCloseTo(0.7, org.assertj.core.data.Offset.offset(1e-6));
        // timed once, from the half-close: the final result that came before it is not the answer to it
        assertThat(timings).hasSize(1);
        // no phrases configured: no speech context, the defaults for language and model
        RecognitionConfig rc = server.sttCalls.getFirst().requests.getFirst().getStreamingConfig().getConfig();
        assertThat(rc.getSpeechContextsCount()).isZero();
        assertThat(rc.getLanguageCode()).isEqualTo("en-US");
        assertThat(rc.getModel()).isEqualTo("latest_short");
    }

    @Test
    void acceptNeverWaitsForTheNetwork() throws Exception {
        server.holdAudio = true; // the server reads the config and then nothing: the HTTP/2 window fills up
        server.stt = call -> {
            call.out.onNext(result("done", true, 0.5f));
            call.out.onCompleted();
        };
        RecognitionStream stream = recognizer(server.config()).open(events);
        await().atMost(Duration.ofSeconds(10)).until(() -> server.sttCalls.size() == 1
                && server.sttCalls.getFirst().requests.size() == 1);
        // 60 s of audio in 20 ms frames: 1.9 MB, about twice the transport's flow-control window (1 MiB)
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < 3_000; i++) {
            short[] frame = tone(320, i);
            stream.accept(frame, 0, frame.length);
            all.writeBytes(le(frame));
        }
        FakeGoogleServer.SttCall call = server.sttCalls.getFirst();
        assertThat(call.audioMessages()).as("the server has read no audio yet").isZero();
        call.out.request(Integer.MAX_VALUE);
        assertThat(stream.finish().text()).isEqualTo("done");
        assertThat(call.audioMessages()).isEqualTo(3_000);
        assertThat(call.audioBytes()).isEqualTo(all.toByteArray());
    }

    @Test
    void phrasesWithoutBoostSendNoBoost() {
        server.stt = call -> call.out.onCompleted();
        RecognitionStream stream = recognizer(server.config().withPhrases(List.of(" Parley ", "  "), 0f)).open();
        Transcript t = stream.finish();
        assertThat(t.isEmpty()).isTrue();
        assertThat(t.confidence()).isEqualTo(1.0);
        var contexts = server.sttCalls.getFirst().requests.getFirst().getStreamingConfig().getConfig()
                .getSpeechContextsList();
        assertThat(contexts).containsExactly(SpeechContext.newBuilder().addPhrases("Parley").build());
    }

    @Test
    void unauthenticatedNamesTheCredentialsVariable() {
        server.stt = new FakeGoogleServer.SttScript() {
            @Override
            public void onRequest(FakeGoogleServer.SttCall call, StreamingRecognizeRequest r) {
                if (call.requests.size() == 1) {
                    call.out.onError(Status.UNAUTHENTICATED.withDescription("Request had invalid authentication "
                            + "credentials. Bearer ya29.secret-token-value").asRuntimeException());
                }
            }

            @Override
            public void onHalfClose(FakeGoogleServer.SttCall call) {
            }
        };
        RecognitionStream stream = recognizer(server.config()).open(events);
        short[] a = tone(320, 1);
        // accept reports the failure as soon as it is known, so the fallback can take over mid-utterance
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThatThrownBy(() -> stream.accept(a, 0, a.length))
                        .isInstanceOfSatisfying(GoogleException.class, e -> {
                            assertThat(e.kind()).isEqualTo(GoogleException.Kind.CREDENTIALS);
                            assertThat(e.getMessage()).contains("set GOOGLE_APPLICATION_CREDENTIALS")
                                    .contains("UNAUTHENTICATED").doesNotContain("ya29.secret-token-value")
                                    .doesNotContain("\n");
                        }));
        assertThatThrownBy(stream::finish).isInstanceOf(GoogleException.class)
                .hasMessageContaining("GOOGLE_APPLICATION_CREDENTIALS");
        assertThat(timings).isEmpty();
    }

    @Test
    void unavailableServerFailsFinish() {
        server.stt = call -> call.out.onError(Status.UNAVAILABLE.withDescription("try later").asRuntimeException());
        RecognitionStream stream = recognizer(server.config()).open(events);
        short[] a = tone(320, 1);
        stream.accept(a, 0, a.length);
        assertThatThrownBy(stream::finish).isInstanceOfSatisfying(GoogleException.class, e -> {
            assertThat(e.kind()).isEqualTo(GoogleException.Kind.UNAVAILABLE);
            assertThat(e.getMessage()).isEqualTo("Google Speech-to-Text is unavailable (UNAVAILABLE): try later");
        });
    }

    @Test
    void nothingListeningIsUnavailable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        RecognitionStream stream = recognizer(GoogleConfig.defaults().withPlaintextEndpoint("localhost:" + port))
                .open(events);
        assertThatThrownBy(() -> {
            short[] a = tone(320, 1);
            stream.accept(a, 0, a.length);
            stream.finish();
        }).isInstanceOfSatisfying(GoogleException.class,
                e -> assertThat(e.kind()).isEqualTo(GoogleException.Kind.UNAVAILABLE));
    }

    @Test
    void aStalledFinalResultTimesOutAndCancelsTheCall() throws Exception {
        server.stt = call -> { }; // hears the end of the audio and never answers
        GoogleConfig config = server.config().withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(500));
        RecognitionStream stream = recognizer(config).open(events);
        short[] a = tone(320, 1);
        stream.accept(a, 0, a.length);
        // the first call also connects, which a slow machine may take longer than the timeout for
        await().atMost(Duration.ofSeconds(10)).until(() -> server.sttCalls.size() == 1
                && server.sttCalls.getFirst().audioMessages() == 1);
        assertThatThrownBy(stream::finish).isInstanceOfSatisfying(GoogleException.class, e -> {
            assertThat(e.kind()).isEqualTo(GoogleException.Kind.TIMED_OUT);
            assertThat(e.getMessage()).isEqualTo("Google Speech-to-Text: no final transcript within 500 ms");
        });
        FakeGoogleServer.SttCall call = server.sttCalls.getFirst();
        assertThat(call.halfClosed.getCount()).isZero();
        assertThat(call.awaitCancelled()).as("the server saw the cancellation").isTrue();
        assertThat(timings).isEmpty();
    }

    @Test
    void closeMidUtteranceCancelsTheCall() throws Exception {
        server.stt = call -> call.out.onCompleted();
        RecognitionStream stream = recognizer(server.config()).open(events);
        short[] a = tone(320, 1);
        stream.accept(a, 0, a.length);
        await().atMost(Duration.ofSeconds(10)).until(() -> server.sttCalls.size() == 1
                && server.sttCalls.getFirst().audioMessages() == 1);
        FakeGoogleServer.SttCall call = server.sttCalls.getFirst();
        assertThat(call.cancelled.getCount()).isEqualTo(1);
        stream.close();
        stream.close(); // idempotent
        assertThat(call.awaitCancelled()).as("the server saw the cancellation").isTrue();
        assertThat(call.halfClosed.getCount()).as("a barge-in is no end of audio").isEqualTo(1);
        assertThatThrownBy(stream::finish).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void noCredentialsIsAOneLineErrorNamingTheVariable() {
        assertThatThrownBy(() -> new GoogleSpeechRecognizer(GoogleConfig.defaults()))
                .isInstanceOfSatisfying(GoogleException.class,
                        e -> assertThat(e.kind()).isEqualTo(GoogleException.Kind.CREDENTIALS))
                .hasMessage("GOOGLE_APPLICATION_CREDENTIALS is not set: set it to the path of a Google Cloud "
                        + "service-account JSON key file");
    }
}

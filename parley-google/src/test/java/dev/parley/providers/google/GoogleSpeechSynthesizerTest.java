package dev.parley.providers.google;

import com.google.cloud.texttospeech.v1.AudioEncoding;
import com.google.cloud.texttospeech.v1.StreamingSynthesizeRequest;
import com.google.cloud.texttospeech.v1.StreamingSynthesizeResponse;
import com.google.cloud.texttospeech.v1.SynthesizeSpeechRequest;
import com.google.cloud.texttospeech.v1.SynthesizeSpeechResponse;
import com.google.protobuf.ByteString;
import dev.parley.audio.PcmAudio;
import dev.parley.audio.WavFile;
import dev.parley.failover.ProviderTiming;
import dev.parley.tts.TtsException;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GoogleSpeechSynthesizerTest {
    private static final String NEURAL = "en-GB-Neural2-A";
    private static final String CHIRP = "en-US-Chirp3-HD-Charon";

    private FakeGoogleServer server;
    private GoogleSpeechSynthesizer tts;
    private final List<ProviderTiming> timings = new CopyOnWriteArrayList<>();
    private final List<PcmAudio> chunks = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = new FakeGoogleServer();
    }

    @AfterEach
    void stop() throws Exception {
        if (tts != null) tts.close();
        server.close();
    }

    private GoogleSpeechSynthesizer tts(GoogleConfig config) {
        tts = new GoogleSpeechSynthesizer(config);
        return tts;
    }

    private static short[] samples(int n) {
        short[] s = new short[n];
        for (int i = 0; i < n; i++) s[i] = (short) (i * 131 - 20_000);
        return s;
    }

    private short[] delivered() {
        PcmAudio all = PcmAudio.concat(chunks);
        assertThat(all.sampleRate()).isEqualTo(24_000);
        return all.samples();
    }

    @Test
    void unaryVoiceSendsLinear16At24kHzAndStripsTheWavHeader() throws Exception {
        short[] pcm = samples(8_400); // 350 ms
        server.unary = call -> {
            call.out().onNext(SynthesizeSpeechResponse.newBuilder()
                    .setAudioContent(ByteString.copyFrom(WavFile.toWavBytes(new PcmAudio(pcm, 24_000)))).build());
            call.out().onCompleted();
        };
        tts(server.config().withVoice(NEURAL).withSpeakingRate(1.25))
                .synthesize("  Hello there.  ", chunks::add, () -> false, timings::add);

        assertThat(delivered()).isEqualTo(pcm);
        assertThat(chunks).hasSize(4).allSatisfy(c -> assertThat(c.length()).isLessThanOrEqualTo(2_400));
        assertThat(timings).singleElement().satisfies(t -> {
            assertThat(t.provider()).isEqualTo("google");
            assertThat(t.stage()).isEqualTo("tts");
        });
        SynthesizeSpeechRequest r = server.ttsCalls.getFirst().request();
        assertThat(r.getInput().getText()).isEqualTo("Hello there.");
        assertThat(r.getVoice().getName()).isEqualTo(NEURAL);
        assertThat(r.getVoice().getLanguageCode()).isEqualTo("en-GB");
        assertThat(r.getAudioConfig().getAudioEncoding()).isEqualTo(AudioEncoding.LINEAR16);
        assertThat(r.getAudioConfig().getSampleRateHertz()).isEqualTo(24_000);
        assertThat(r.getAudioConfig().getSpeakingRate()).isEqualTo(1.25);
        assertThat(server.ttsStreams).isEmpty();
        assertThat(server.headerNames()).doesNotContain("authorization");
    }

    /** A WAV header with a LIST chunk before the data: the header length is not a fixed 44 bytes. */
    @Test
    void parsesTheRiffHeaderRatherThanSkippingFortyFourBytes() throws Exception {
        short[] pcm = samples(1_000);
        byte[] list = "LIST\u0006\u0000\u0000\u0000INFOab".getBytes(StandardCharsets.ISO_8859_1);
        byte[] data = new PcmAudio(pcm, 24_000).toLittleEndianBytes();
        ByteBuffer b = ByteBuffer.allocate(12 + 24 + list.length + 8 + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(b.capacity() - 8)
                .put("WAVE".getBytes(StandardCharsets.US_ASCII))
                .put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(24_000).putInt(48_000).putShort((short) 2).putShort((short) 16)
                .put(list)
                .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(data.length).put(data);
        server.unary = call -> {
            call.out().onNext(SynthesizeSpeechResponse.newBuilder().setAudioContent(ByteString.copyFrom(b.array()))
                    .build());
            call.out().onCompleted();
        };
        tts(server.config().withVoice(NEURAL)).synthesize("Hi.", chunks::add, () -> false);
        assertThat(delivered()).isEqualTo(pcm);
    }

    @Test
    void anAnswerThatIsNotAWavIsAClearError() {
        server.unary = call -> {
            call.out().onNext(SynthesizeSpeechResponse.newBuilder()
                    .setAudioContent(ByteString.copyFromUtf8("ID3 this is an mp3")).build());
            call.out().onCompleted();
        };
        assertThatThrownBy(() -> tts(server.config().withVoice(NEURAL)).synthesize("Hi.", chunks::add, () -> false))
                .isInstanceOf(TtsException.class)
                .hasMessageStartingWith("Google Text-to-Speech sent audio that is not a LINEAR16 WAV");
        assertThat(chunks).isEmpty();
    }

    @Test
    void chirp3HdVoicesStreamAndAudioIsDeliveredAsItArrives() throws Exception {
        short[] pcm = samples(4_801);
        byte[] bytes = new PcmAudio(pcm, 24_000).toLittleEndianBytes();
        CountDownLatch firstDelivered = new CountDownLatch(1);
        AtomicBoolean restSentAfterFirstDelivered = new AtomicBoolean();
        server.streaming = call -> {
            // three pieces, the first two splitting a sample between them
            call.out.onNext(StreamingSynthesizeResponse.newBuilder()
                    .setAudioContent(ByteString.copyFrom(bytes, 0, 1001)).build());
            try {
                restSentAfterFirstDelivered.set(firstDelivered.await(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            call.out.onNext(StreamingSynthesizeResponse.newBuilder()
                    .setAudioContent(ByteString.copyFrom(bytes, 1001, 4000)).build());
            call.out.onNext(StreamingSynthesizeResponse.newBuilder()
                    .setAudioContent(ByteString.copyFrom(bytes, 5001, bytes.length - 5001)).build());
            call.out.onCompleted();
        };
        tts(server.config().withVoice(CHIRP).withSpeakingRate(0.9)).synthesize("Good morning.", c -> {
            chunks.add(c);
            firstDelivered.countDown();
        }, () -> false, timings::add);

        assertThat(restSentAfterFirstDelivered).as("the first audio was played before the rest existed").isTrue();
        assertThat(delivered()).isEqualTo(pcm);
        assertThat(chunks.getFirst().length()).isEqualTo(500);
        assertThat(timings).singleElement().satisfies(t -> assertThat(t.key()).isEqualTo("tts_google"));

        List<StreamingSynthesizeRequest> requests = server.ttsStreams.getFirst().requests;
        assertThat(requests).hasSize(2);
        var config = requests.get(0);
        assertThat(config.getStreamingRequestCase())
                .isEqualTo(StreamingSynthesizeRequest.StreamingRequestCase.STREAMING_CONFIG);
        assertThat(config.getStreamingConfig().getVoice().getName()).isEqualTo(CHIRP);
        assertThat(config.getStreamingConfig().getVoice().getLanguageCode()).isEqualTo("en-US");
        var audio = config.getStreamingConfig().getStreamingAudioConfig();
        assertThat(audio.getAudioEncoding()).isEqualTo(AudioEncoding.PCM);
        assertThat(audio.getSampleRateHertz()).isEqualTo(24_000);
        assertThat(audio.getSpeakingRate()).isEqualTo(0.9);
        assertThat(requests.get(1).getStreamingRequestCase())
                .isEqualTo(StreamingSynthesizeRequest.StreamingRequestCase.INPUT);
        assertThat(requests.get(1).getInput().getText()).isEqualTo("Good morning.");
        assertThat(server.ttsCalls).isEmpty();
    }

    @Test
    void cancellingMidStreamCancelsTheCall() throws Exception {
        server.streaming = call -> call.out.onNext(StreamingSynthesizeResponse.newBuilder()
                .setAudioContent(ByteString.copyFrom(new byte[960])).build()); // and then nothing more
        AtomicBoolean cancelled = new AtomicBoolean();
        tts(server.config().withVoice(CHIRP)).synthesize("A long answer.", c -> {
            chunks.add(c);
            cancelled.set(true); // barge-in right after the first audio
        }, cancelled::get);
        assertThat(chunks).hasSize(1);
        assertThat(server.ttsStreams.getFirst().awaitCancelled()).as("the server saw the cancellation").isTrue();
    }

    @Test
    void cancellingWhileWaitingForAUnaryAnswerCancelsTheCall() throws Exception {
        server.unary = call -> { }; // never answers
        AtomicBoolean cancelled = new AtomicBoolean();
        Thread bargeIn = Thread.ofVirtual().start(() -> {
            await().atMost(Duration.ofSeconds(10)).until(() -> !server.ttsCalls.isEmpty());
            cancelled.set(true);
        });
        tts(server.config().withVoice(NEURAL)).synthesize("Hello.", chunks::add, cancelled::get);
        bargeIn.join();
        assertThat(chunks).isEmpty();
        assertThat(server.ttsCalls.getFirst().awaitCancelled()).as("the server saw the cancellation").isTrue();
    }

    @Test
    void unauthenticatedNamesTheCredentialsVariable() {
        server.unary = call -> call.out().onError(Status.UNAUTHENTICATED
                .withDescription("Request had invalid authentication credentials.").asRuntimeException());
        assertThatThrownBy(() -> tts(server.config().withVoice(NEURAL)).synthesize("Hi.", chunks::add, () -> false))
                .isInstanceOf(TtsException.class)
                .hasMessage("Google Text-to-Speech refused the credentials (UNAUTHENTICATED); set "
                        + "GOOGLE_APPLICATION_CREDENTIALS to a service-account JSON key file allowed to use the API: "
                        + "Request had invalid authentication credentials.");
        assertThat(server.ttsCalls).as("not retried").hasSize(1);
    }

    @Test
    void permissionDeniedOnAStreamNamesTheCredentialsVariableToo() {
        server.streaming = call -> call.out.onError(Status.PERMISSION_DENIED.asRuntimeException());
        assertThatThrownBy(() -> tts(server.config()).synthesize("Hi.", chunks::add, () -> false))
                .isInstanceOf(TtsException.class).hasMessageContaining("set GOOGLE_APPLICATION_CREDENTIALS");
    }

    @Test
    void unavailableIsRetriedTwiceBeforeAnyAudioThenFails() {
        server.unary = call -> call.out().onError(Status.UNAVAILABLE.withDescription("overloaded")
                .asRuntimeException());
        assertThatThrownBy(() -> tts(server.config().withVoice(NEURAL)).synthesize("Hi.", chunks::add, () -> false))
                .isInstanceOfSatisfying(TtsException.class, e -> assertThat(e.getCause())
                        .isInstanceOfSatisfying(GoogleException.class,
                                g -> assertThat(g.kind()).isEqualTo(GoogleException.Kind.UNAVAILABLE)))
                .hasMessage("Google Text-to-Speech is unavailable (UNAVAILABLE): overloaded");
        assertThat(server.ttsCalls).hasSize(3);
    }

    @Test
    void aUnaryRetryThatSucceedsDeliversTheAudio() throws Exception {
        short[] pcm = samples(240);
        server.unary = call -> {
            if (server.ttsCalls.size() == 1) {
                call.out().onError(Status.UNAVAILABLE.asRuntimeException());
                return;
            }
            call.out().onNext(SynthesizeSpeechResponse.newBuilder()
                    .setAudioContent(ByteString.copyFrom(WavFile.toWavBytes(new PcmAudio(pcm, 24_000)))).build());
            call.out().onCompleted();
        };
        tts(server.config().withVoice(NEURAL)).synthesize("Hi.", chunks::add, () -> false);
        assertThat(delivered()).isEqualTo(pcm);
        assertThat(server.ttsCalls).hasSize(2);
    }

    @Test
    void aStalledUnaryAnswerTimesOut() throws Exception {
        server.unary = call -> { };
        GoogleConfig config = server.config().withVoice(NEURAL).withTimeouts(Duration.ofSeconds(5),
                Duration.ofMillis(1500));
        assertThatThrownBy(() -> tts(config).synthesize("Hi.", chunks::add, () -> false))
                .isInstanceOfSatisfying(TtsException.class, e -> assertThat(e.getCause())
                        .isInstanceOfSatisfying(GoogleException.class,
                                g -> assertThat(g.kind()).isEqualTo(GoogleException.Kind.TIMED_OUT)));
        assertThat(server.ttsCalls.getFirst().awaitCancelled()).as("the deadline reached the server").isTrue();
    }

    @Test
    void aStreamThatStallsAfterItsFirstAudioTimesOutAndIsCancelled() throws Exception {
        server.streaming = call -> call.out.onNext(StreamingSynthesizeResponse.newBuilder()
                .setAudioContent(ByteString.copyFrom(new byte[480])).build());
        GoogleConfig config = server.config().withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(500));
        assertThatThrownBy(() -> tts(config).synthesize("Hi.", chunks::add, () -> false))
                .isInstanceOf(TtsException.class)
                .hasMessage("Google Text-to-Speech: no further audio within 500 ms");
        assertThat(chunks).hasSize(1);
        assertThat(server.ttsStreams.getFirst().awaitCancelled()).isTrue();
    }

    @Test
    void blankTextCallsNothing() throws Exception {
        tts(server.config()).synthesize("  ", chunks::add, () -> false);
        assertThat(server.ttsStreams).isEmpty();
        assertThat(server.ttsCalls).isEmpty();
        assertThat(tts.sampleRate()).isEqualTo(24_000);
    }

    @Test
    void decodeResamplesAnAnswerAtAnotherRate() throws Exception {
        short[] pcm = new short[1_600];
        Arrays.fill(pcm, (short) 1000);
        PcmAudio out = GoogleSpeechSynthesizer.decodeWav(ByteString.copyFrom(
                WavFile.toWavBytes(new PcmAudio(pcm, 16_000))));
        assertThat(out.sampleRate()).isEqualTo(24_000);
        assertThat(out.length()).isBetween(2_300, 2_500);
    }
}

package dev.parley.providers.openai.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.audio.PcmAudio;
import dev.parley.audio.Resampler;
import dev.parley.failover.ProviderTiming;
import dev.parley.stt.RecognitionStream;
import dev.parley.stt.Transcript;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static dev.parley.providers.openai.realtime.FakeRealtimeServer.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class OpenAiRealtimeTranscriberTest {
    private static final String KEY = "sk-test-realtime-0123456789abcdef";

    @RegisterExtension
    final FakeRealtimeServer fake = new FakeRealtimeServer();
    private final List<ProviderTiming> timings = new CopyOnWriteArrayList<>();

    private OpenAiRealtimeTranscriber transcriber(OpenAiRealtimeConfig config) {
        return new OpenAiRealtimeTranscriber(new OpenAiRealtimeClient(config));
    }

    private OpenAiRealtimeConfig config() {
        return fake.config(KEY, Duration.ofSeconds(20)).withTranscriptionModel("gpt-4o-transcribe");
    }

    /** A stream of a transcriber on {@code c} that was given {@code audio}. */
    private RecognitionStream streaming(OpenAiRealtimeConfig c, short[] audio) {
        RecognitionStream stream = transcriber(c).open(timings::add);
        stream.accept(audio, 0, audio.length);
        return stream;
    }

    /** {@link #streaming} once the fake is set to serve a transcription session. */
    private RecognitionStream served(OpenAiRealtimeConfig c, short[] audio) {
        serveSession(fake);
        return streaming(c, audio);
    }

    /** Asserts that the client closed the socket normally (1000). */
    private void assertClosedNormally() throws Exception {
        assertThat(fake.clientClosed.get(10, TimeUnit.SECONDS)).isEqualTo(1000);
    }

    /** A {@code conversation.item.input_audio_transcription.*} event about content 0 of {@code itemId}. */
    private static ObjectNode transcription(String what, String itemId) {
        return event("conversation.item.input_audio_transcription." + what).put("item_id", itemId)
                .put("content_index", 0);
    }

    /** A 440 Hz tone at 16 kHz. */
    private static short[] tone(int samples) {
        short[] s = new short[samples];
        for (int i = 0; i < samples; i++) s[i] = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / 16_000.0));
        return s;
    }

    private static short[] decode(String base64) {
        ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN);
        short[] s = new short[b.remaining() / 2];
        for (int i = 0; i < s.length; i++) s[i] = b.getShort();
        return s;
    }

    private static void serveSession(FakeRealtimeServer fake) {
        fake.acceptUpgrade(ws -> {
            var created = event("session.created");
            created.putObject("session").put("type", "transcription").put("id", "sess_C9G8s");
            ws.send(created.toString());
        });
    }

    @Test
    void streamsResampledAudioCommitsAndReturnsTheCompletedTranscriptWithItsTiming() throws Exception {
        serveSession(fake);
        short[] audio = tone(16_000); // 1 s
        RecognitionStream stream = transcriber(config()).open(timings::add);
        for (int i = 0; i < audio.length; i += 320) assertThat(stream.accept(audio, i, 320)).isEmpty();

        RecordedRequest handshake = fake.handshake();
        assertThat(handshake.getUrl().encodedPath()).isEqualTo("/v1/realtime");
        assertThat(handshake.getUrl().query()).isEqualTo("intent=transcription");
        assertThat(handshake.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(handshake.getHeaders().get("OpenAI-Beta")).isNull();

        JsonNode update = fake.next();
        assertThat(update.toString()).isEqualTo("{\"type\":\"session.update\",\"session\":{\"type\":\"transcription\","
                + "\"audio\":{\"input\":{\"format\":{\"type\":\"audio/pcm\",\"rate\":24000},"
                + "\"transcription\":{\"model\":\"gpt-4o-transcribe\"},\"turn_detection\":null}}}}");

        var result = new java.util.concurrent.CompletableFuture<Transcript>();
        Thread.ofVirtual().start(() -> {
            try {
                result.complete(stream.finish());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });

        List<Short> samples = new ArrayList<>();
        JsonNode e;
        while ((e = fake.next()).path("type").asText().equals("input_audio_buffer.append")) {
            for (short s : decode(e.path("audio").asText())) samples.add(s);
        }
        assertThat(e.toString()).isEqualTo("{\"type\":\"input_audio_buffer.commit\"}");
        short[] expected = Resampler.convert(new PcmAudio(audio, 16_000), 24_000).samples();
        assertThat(samples).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) assertThat(samples.get(i)).as("sample %d", i).isEqualTo(expected[i]);

        var committed = event("input_audio_buffer.committed").put("previous_item_id", (String) null).put("item_id", "item_001");
        fake.send(committed);
        fake.send(transcription("delta", "item_001").put("delta", "Hello"));
        var completed = transcription("completed", "item_001").put("transcript", "Hello, world.");
        completed.putObject("usage").put("type", "duration").put("seconds", 1.0);
        fake.send(completed);

        Transcript t = result.get(10, TimeUnit.SECONDS);
        assertThat(t.text()).isEqualTo("Hello, world.");
        assertThat(timings).singleElement().satisfies(p -> {
            assertThat(p.provider()).isEqualTo("openai");
            assertThat(p.stage()).isEqualTo("stt");
            assertThat(p.ttfbNanos()).isPositive();
        });
        assertClosedNormally();
    }

    @Test
    void deltasBuildThePartialHypothesis() throws Exception {
        short[] audio = tone(3200);
        RecognitionStream stream = served(config(), audio);
        fake.socket.get(10, TimeUnit.SECONDS);
        fake.send(transcription("delta", "item_1").put("delta", "Turn on"));
        fake.send(transcription("delta", "item_1").put("delta", " the lights"));
        await().atMost(Duration.ofSeconds(10)).until(() -> stream.accept(audio, 0, 160).equals("Turn on the lights"));
        stream.close();
        assertClosedNormally();
    }

    @Test
    void closingMidStreamClosesTheSocket() throws Exception {
        RecognitionStream stream = served(config(), tone(1600));
        assertThat(fake.next().path("type").asText()).isEqualTo("session.update");
        stream.close();
        assertClosedNormally();
        assertThat(timings).isEmpty();
    }

    @Test
    void aRefusedKeyNamesTheVariableAndNeverTheKey() {
        fake.refuse(401, "{\"error\":{\"message\":\"Incorrect API key provided: sk-test-********cdef.\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}");
        RecognitionStream stream = streaming(config(), tone(1600));
        assertThatThrownBy(stream::finish).isInstanceOf(RealtimeSttException.class)
                .hasMessageContaining("OPENAI_API_KEY").hasMessageContaining("401").hasMessageNotContaining(KEY);
    }

    @Test
    void noFinalTranscriptInTimeFailsAndClosesTheSocket() throws Exception {
        OpenAiRealtimeConfig c = config().withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(800), Duration.ofSeconds(20));
        RecognitionStream stream = served(c, tone(1600));
        fake.socket.get(10, TimeUnit.SECONDS);
        assertThatThrownBy(stream::finish).isInstanceOf(RealtimeSttException.class).hasMessageContaining("no final transcript");
        assertClosedNormally();
    }

    @Test
    void aDroppedSocketFailsTheUtterance() throws Exception {
        RecognitionStream stream = served(config(), tone(1600));
        fake.socket.get(10, TimeUnit.SECONDS).close(1011, "internal error");
        assertThatThrownBy(stream::finish).isInstanceOf(RealtimeSttException.class).hasMessageContaining("ended")
                .hasMessageContaining("1011");
    }

    @Test
    void aFailedTranscriptionIsAnError() throws Exception {
        RecognitionStream stream = served(config(), tone(3200));
        fake.socket.get(10, TimeUnit.SECONDS);
        var failed = transcription("failed", "item_1");
        failed.putObject("error").put("type", "transcription_error").put("code", "audio_unintelligible").put("message", "The audio could not be transcribed.");
        fake.send(failed);
        assertThatThrownBy(stream::finish).isInstanceOf(RealtimeSttException.class).hasMessageContaining("could not be transcribed");
    }

    @Test
    void noAudioGivesAnEmptyTranscriptWithoutACommit() throws Exception {
        serveSession(fake);
        RecognitionStream stream = transcriber(config()).open(timings::add);
        assertThat(stream.finish().isEmpty()).isTrue();
        for (JsonNode e; (e = fake.received.poll(500, TimeUnit.MILLISECONDS)) != null; ) {
            assertThat(e.path("type").asText()).isNotIn("input_audio_buffer.commit", "input_audio_buffer.append");
        }
        assertThat(timings).isEmpty();
    }

    @Test
    void theBetaInterfaceSendsItsHeaderAndTranscriptionSessionUpdate() throws Exception {
        serveSession(fake);
        RecognitionStream stream = transcriber(config().withBeta(true).withLanguage("en")).open(timings::add);
        RecordedRequest handshake = fake.handshake();
        assertThat(handshake.getHeaders().get("OpenAI-Beta")).isEqualTo("realtime=v1");
        assertThat(fake.next().toString()).isEqualTo("{\"type\":\"transcription_session.update\",\"session\":{"
                + "\"input_audio_format\":\"pcm16\",\"input_audio_transcription\":{\"model\":\"gpt-4o-transcribe\",\"language\":\"en\"},"
                + "\"turn_detection\":null}}");
        stream.close();
    }

    @Test
    void theConfigDerivesSocketAddressesAndHidesTheKey() {
        OpenAiRealtimeConfig c = OpenAiRealtimeConfig.fromEnvironment(java.util.Map.of("OPENAI_API_KEY", KEY));
        assertThat(c.conversationUri().toString()).isEqualTo("wss://api.openai.com/v1/realtime?model=gpt-realtime");
        assertThat(c.transcriptionUri().toString()).isEqualTo("wss://api.openai.com/v1/realtime?intent=transcription");
        assertThat(c.toString()).doesNotContain(KEY);
        OpenAiRealtimeConfig local = OpenAiRealtimeConfig.fromEnvironment(java.util.Map.of("OPENAI_BASE_URL", "http://localhost:9000/v1/"));
        assertThat(local.withModel("gpt-realtime-mini").conversationUri().toString()).isEqualTo("ws://localhost:9000/v1/realtime?model=gpt-realtime-mini");
        assertThatThrownBy(() -> c.withBaseUrl("ftp://x/v1")).isInstanceOf(IllegalArgumentException.class);
    }
}

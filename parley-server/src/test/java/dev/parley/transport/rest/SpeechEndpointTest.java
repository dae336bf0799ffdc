package dev.parley.transport.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.audio.PcmAudio;
import dev.parley.audio.WavFile;
import dev.parley.testing.Patience;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code POST /v1/audio/speech} over real HTTP with a fake voice (100 ms at 16 kHz per word): 24 kHz PCM and WAV, the
 * audio sent while it is being synthesised, speed, every bad input 400, the size limit 413, a failing voice 502 (or a
 * response cut short once audio went out), and the limit on requests at once.
 */
class SpeechEndpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Two phrases, five words: 0.5 s, 12,000 samples at 24 kHz. */
    private static final String INPUT = "Hello there. How are you?";
    private RestFixture rest = new RestFixture();

    @AfterEach
    void stop() {
        rest.close();
    }

    private static String body(String format) {
        return "{\"model\":\"tts-1\",\"input\":\"" + INPUT + "\",\"voice\":\"alloy\""
                + (format == null ? "" : ",\"response_format\":\"" + format + "\"") + "}";
    }

    private HttpResponse<byte[]> speak(String json) throws IOException, InterruptedException {
        return rest.sendBytes(rest.post(RestEndpoints.SPEECH, "application/json", json.getBytes(StandardCharsets.UTF_8)));
    }

    private static JsonNode error(HttpResponse<String> r, int status) throws IOException {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode e = JSON.readTree(r.body()).get("error");
        assertThat(e.has("message") && e.has("type") && e.has("param") && e.has("code")).as(r.body()).isTrue();
        return e;
    }

    @Test
    void pcmIs24kHz16BitMonoLittleEndian() throws Exception {
        HttpResponse<byte[]> r = speak(body("pcm"));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("audio/pcm");
        assertThat(r.body()).hasSize(24_000);
        short middle = ByteBuffer.wrap(r.body(), 12_000, 2).order(ByteOrder.LITTLE_ENDIAN).getShort();
        assertThat(middle).isEqualTo((short) 1000);
        assertThat(rest.tts.phrases).containsExactly("Hello there.", "How are you?");
    }

    @Test
    void wavIsAStreamedWavFileAndTheDefault() throws Exception {
        for (String format : new String[]{"wav", null}) {
            HttpResponse<byte[]> r = speak(body(format));

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("content-type")).hasValue("audio/wav");
            assertThat(r.body()).hasSize(44 + 24_000);
            assertThat(ByteBuffer.wrap(r.body(), 40, 4).order(ByteOrder.LITTLE_ENDIAN).getInt()).isEqualTo(-1); // unknown size
            PcmAudio audio = WavFile.read(new ByteArrayInputStream(r.body()), "reply");
            assertThat(audio.sampleRate()).isEqualTo(24_000);
            assertThat(audio.length()).isEqualTo(12_000);
        }
    }

    @Test
    void audioIsSentWhileTheVoiceIsStillSpeaking() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        rest.tts.holdAfterFirst = release;
        HttpResponse<InputStream> r = rest.http.send(rest.post(RestEndpoints.SPEECH, "application/json",
                body("pcm").getBytes(StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            assertThat(r.statusCode()).isEqualTo(200);
            byte[] first = in.readNBytes(100); // arrives while the voice waits for the release
            assertThat(first).hasSize(100);
            release.countDown();
            assertThat(100 + in.readAllBytes().length).isEqualTo(24_000);
        }
    }

    @Test
    void speedStretchesTheAudio() throws Exception {
        HttpResponse<byte[]> r = speak("{\"model\":\"tts-1\",\"input\":\"" + INPUT + "\",\"voice\":\"alloy\",\"response_format\":\"pcm\",\"speed\":2.0}");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body().length / 2).isBetween(5_500, 6_500);
    }

    @Test
    void badInputIsA400() throws Exception {
        String longInput = "word ".repeat(1000); // 5000 characters
        assertThat(error(rest.json(RestEndpoints.SPEECH, "{\"model\":\"tts-1\",\"voice\":\"alloy\",\"input\":\"" + longInput + "\"}"), 400)
                .path("param").asText()).isEqualTo("input");
        assertThat(error(rest.json(RestEndpoints.SPEECH, "{\"model\":\"tts-1\",\"voice\":\"alloy\"}"), 400)
                .path("param").asText()).isEqualTo("input");
        assertThat(error(rest.json(RestEndpoints.SPEECH, "{\"model\":\"tts-1\",\"voice\":\"alloy\",\"input\":\"  \"}"), 400)
                .path("param").asText()).isEqualTo("input");
        assertThat(error(rest.json(RestEndpoints.SPEECH, "{\"model\":\"tts-1\",\"input\":\"hi\"}"), 400)
                .path("param").asText()).isEqualTo("voice");
        assertThat(error(rest.json(RestEndpoints.SPEECH, "{\"voice\":\"alloy\",\"input\":\"hi\"}"), 400)
                .path("param").asText()).isEqualTo("model");
        assertThat(error(rest.json(RestEndpoints.SPEECH, "{\"model\":\"tts-1\",\"voice\":\"alloy\",\"input\":42}"), 400)
                .path("code").asText()).isEqualTo("invalid_type");
        assertThat(error(rest.json(RestEndpoints.SPEECH, body("mp3")), 400).path("param").asText()).isEqualTo("response_format");
        assertThat(error(rest.json(RestEndpoints.SPEECH, "{\"model\":\"tts-1\",\"voice\":\"alloy\",\"input\":\"hi\",\"speed\":5}"), 400)
                .path("param").asText()).isEqualTo("speed");
        assertThat(error(rest.json(RestEndpoints.SPEECH, "{\"model\":\"tts-1\",\"voice\":\"alloy\",\"input\":\"hi\",\"stream_format\":\"sse\"}"), 400)
                .path("param").asText()).isEqualTo("stream_format");
        assertThat(error(rest.json(RestEndpoints.SPEECH, "{\"model\": \"tts-1\", \"input\": "), 400)
                .path("code").asText()).isEqualTo("invalid_json");
        assertThat(error(rest.json(RestEndpoints.SPEECH, "[1, 2]"), 400).path("code").asText()).isEqualTo("invalid_json");
        assertThat(error(rest.json(RestEndpoints.SPEECH, "[".repeat(100) + "]".repeat(100)), 400).path("code").asText())
                .isEqualTo("invalid_json");
        assertThat(error(rest.send(rest.post(RestEndpoints.SPEECH, "text/plain", body("pcm").getBytes(StandardCharsets.UTF_8))), 400)
                .path("code").asText()).isEqualTo("invalid_content_type");
        assertThat(error(rest.send(rest.post(RestEndpoints.SPEECH, null, body("pcm").getBytes(StandardCharsets.UTF_8))), 400)
                .path("code").asText()).isEqualTo("invalid_content_type");
        assertThat(rest.tts.phrases).isEmpty();
    }

    @Test
    void aBodyOverTheLimitIs413() throws Exception {
        String huge = "{\"model\":\"tts-1\",\"voice\":\"alloy\",\"input\":\"hi\",\"instructions\":\"" + "x".repeat(70_000) + "\"}";
        assertThat(error(rest.json(RestEndpoints.SPEECH, huge), 413).path("code").asText()).isEqualTo("request_too_large");
    }

    @Test
    void aVoiceFailingBeforeAnyAudioIs502() throws Exception {
        rest.tts.failAfterChunks = 0;
        JsonNode e = error(rest.json(RestEndpoints.SPEECH, body("pcm")), 502);
        assertThat(e.path("type").asText()).isEqualTo("server_error");
        assertThat(e.path("message").asText()).contains("the fake voice broke");
    }

    @Test
    void aVoiceFailingAfterAudioWentOutCutsTheResponseShort() {
        rest.tts.failAfterChunks = 1;
        assertThatThrownBy(() -> speak(body("pcm"))).isInstanceOf(IOException.class);
    }

    @Test
    void requestsBeyondTheLimitAtOnceAre503() throws Exception {
        rest.close();
        rest = new RestFixture(null, RestLimits.DEFAULT.withMaxInFlight(1));
        CountDownLatch release = new CountDownLatch(1);
        rest.tts.holdAfterFirst = release;
        HttpResponse<InputStream> held = rest.http.send(rest.post(RestEndpoints.SPEECH, "application/json",
                body("pcm").getBytes(StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = held.body()) {
            assertThat(in.readNBytes(2)).hasSize(2); // the first request is being served

            HttpResponse<String> second = rest.json(RestEndpoints.CHAT_COMPLETIONS,
                    "{\"model\":\"parley\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
            assertThat(error(second, 503).path("code").asText()).isEqualTo("server_busy");
            assertThat(second.headers().firstValue("retry-after")).hasValue("1");
            release.countDown();
            in.readAllBytes();
        }
        // once the first has ended (its slot is given back just after its last byte), others are served again
        await().atMost(Patience.CEILING).until(() -> rest.json(RestEndpoints.CHAT_COMPLETIONS,
                "{\"model\":\"parley\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").statusCode() == 200);
    }
}

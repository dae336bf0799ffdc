package dev.parley.transport.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.transport.rest.RestFixture.Form;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /v1/audio/transcriptions} over real HTTP with a fake recogniser: the formats, resampling to 16 kHz,
 * every bad input answered 400 with OpenAI's error JSON, the size limit (413, the upload not read on), the token, and
 * a failing recogniser (502).
 */
class TranscriptionsEndpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private RestFixture rest = new RestFixture();

    @AfterEach
    void stop() {
        rest.close();
    }

    private HttpResponse<String> transcribe(Form form) throws IOException, InterruptedException {
        return rest.send(rest.post(RestEndpoints.TRANSCRIPTIONS, form.contentType(), form.build()));
    }

    private static Form wavForm(byte[] wav) {
        return new Form().field("model", "whisper-1").file("file", "clip.wav", "audio/wav", wav);
    }

    private static JsonNode error(HttpResponse<String> r) throws IOException {
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode e = JSON.readTree(r.body()).get("error");
        assertThat(e).isNotNull();
        assertThat(e.has("message") && e.has("type") && e.has("param") && e.has("code")).as(r.body()).isTrue();
        return e;
    }

    @Test
    void aMonoWavGivesTheTranscriptAsJson() throws Exception {
        HttpResponse<String> r = transcribe(wavForm(RestFixture.wav(16_000, 1, 16_000)));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(JSON.readTree(r.body())).isEqualTo(JSON.readTree("{\"text\":\"what time is it\"}"));
        assertThat(rest.stt.samples).containsExactly(16_000L);
    }

    @Test
    void aStereo44kFileIsMixedAndResampledTo16k() throws Exception {
        Form form = new Form().file("file", "clip.wav", "audio/wav", RestFixture.wav(44_100, 2, 44_100))
                .field("model", "gpt-4o-transcribe").field("response_format", "text").field("language", "en");
        HttpResponse<String> r = transcribe(form);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("what time is it\n");
        assertThat(rest.stt.samples).singleElement().satisfies(n -> assertThat(n).isBetween(15_999L, 16_001L));
    }

    @Test
    void verboseJsonSrtAndVtt() throws Exception {
        JsonNode v = JSON.readTree(transcribe(wavForm(RestFixture.wav(8_000, 1, 12_000)).field("response_format", "verbose_json")).body());
        assertThat(v.path("task").asText()).isEqualTo("transcribe");
        assertThat(v.path("language").asText()).isEqualTo("english");
        assertThat(v.path("duration").asDouble()).isEqualTo(1.5);
        assertThat(v.path("text").asText()).isEqualTo("what time is it");
        assertThat(v.path("segments").get(0).path("end").asDouble()).isEqualTo(1.5);

        assertThat(transcribe(wavForm(RestFixture.wav(8_000, 1, 12_000)).field("response_format", "srt")).body())
                .isEqualTo("1\n00:00:00,000 --> 00:00:01,500\nwhat time is it\n\n");
        HttpResponse<String> vtt = transcribe(wavForm(RestFixture.wav(8_000, 1, 12_000)).field("response_format", "vtt"));
        assertThat(vtt.body()).isEqualTo("WEBVTT\n\n00:00:00.000 --> 00:00:01.500\nwhat time is it\n\n");
    }

    @Test
    void streamTrueAnswersWithTranscriptEvents() throws Exception {
        HttpResponse<String> r = transcribe(wavForm(RestFixture.wav(16_000, 1, 8_000)).field("stream", "true"));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        assertThat(r.body()).isEqualTo("data: {\"type\":\"transcript.text.delta\",\"delta\":\"what time is it\"}\n\n"
                + "data: {\"type\":\"transcript.text.done\",\"text\":\"what time is it\"}\n\n");
    }

    @Test
    void badInputIsA400WithAClearMessage() throws Exception {
        JsonNode notAudio = error(transcribe(new Form().field("model", "whisper-1")
                .file("file", "notes.txt", "text/plain", "hello there, not audio".getBytes(StandardCharsets.UTF_8))));
        assertThat(notAudio.path("param").asText()).isEqualTo("file");
        assertThat(notAudio.path("message").asText()).contains("not a WAV file");

        HttpResponse<String> noFile = transcribe(new Form().field("model", "whisper-1"));
        assertThat(noFile.statusCode()).isEqualTo(400);
        assertThat(error(noFile).path("param").asText()).isEqualTo("file");

        HttpResponse<String> noModel = transcribe(new Form().file("file", "a.wav", "audio/wav", RestFixture.wav(16_000, 1, 4_000)));
        assertThat(noModel.statusCode()).isEqualTo(400);
        assertThat(error(noModel).path("param").asText()).isEqualTo("model");

        HttpResponse<String> format = transcribe(wavForm(RestFixture.wav(16_000, 1, 4_000)).field("response_format", "mp3"));
        assertThat(format.statusCode()).isEqualTo(400);
        assertThat(error(format).path("param").asText()).isEqualTo("response_format");

        HttpResponse<String> tooShort = transcribe(wavForm(RestFixture.wav(16_000, 1, 100)));
        assertThat(tooShort.statusCode()).isEqualTo(400);
        assertThat(error(tooShort).path("code").asText()).isEqualTo("audio_too_short");

        HttpResponse<String> json = rest.json(RestEndpoints.TRANSCRIPTIONS, "{\"model\":\"whisper-1\"}");
        assertThat(json.statusCode()).isEqualTo(400);
        assertThat(error(json).path("message").asText()).contains("multipart/form-data");

        Form form = wavForm(RestFixture.wav(16_000, 1, 4_000));
        byte[] cut = java.util.Arrays.copyOf(form.build(), 200); // ends inside the file, no closing boundary
        HttpResponse<String> truncated = rest.send(rest.post(RestEndpoints.TRANSCRIPTIONS, form.contentType(), cut));
        assertThat(truncated.statusCode()).isEqualTo(400);
        assertThat(error(truncated).path("message").asText()).contains("boundary");

        HttpResponse<String> wrongBoundary = rest.send(rest.post(RestEndpoints.TRANSCRIPTIONS,
                "multipart/form-data; boundary=other", wavForm(RestFixture.wav(16_000, 1, 4_000)).build()));
        assertThat(wrongBoundary.statusCode()).isEqualTo(400);
        assertThat(rest.stt.samples).isEmpty();
    }

    @Test
    void anUploadOverTheLimitIs413AndIsNotReadOn() throws Exception {
        rest.close();
        rest = new RestFixture(null, RestLimits.DEFAULT.withMaxAudioBytes(100_000));
        // declared too large: refused before the body is read
        Form big = wavForm(RestFixture.wav(16_000, 1, 100_000));
        HttpResponse<String> declared = rest.send(rest.post(RestEndpoints.TRANSCRIPTIONS, big.contentType(), big.build())
                .expectContinue(true));
        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(error(declared).path("code").asText()).isEqualTo("request_too_large");

        // no length declared (chunked): read up to the limit, then refused
        Form chunked = wavForm(RestFixture.wav(16_000, 1, 100_000));
        byte[] body = chunked.build();
        HttpRequest.Builder req = java.net.http.HttpRequest.newBuilder(rest.uri(RestEndpoints.TRANSCRIPTIONS))
                .header("Content-Type", chunked.contentType())
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
        HttpResponse<String> streamed = rest.send(req);
        assertThat(streamed.statusCode()).isEqualTo(413);
        assertThat(rest.stt.samples).isEmpty();

        // just under the limit is taken
        HttpResponse<String> fits = transcribe(wavForm(RestFixture.wav(16_000, 1, 40_000)));
        assertThat(fits.statusCode()).as(fits.body()).isEqualTo(200);
    }

    @Test
    void aFailingRecogniserIs502() throws Exception {
        rest.stt.failure = new IllegalStateException("provider down");
        HttpResponse<String> r = transcribe(wavForm(RestFixture.wav(16_000, 1, 8_000)));

        assertThat(r.statusCode()).isEqualTo(502);
        JsonNode e = error(r);
        assertThat(e.path("type").asText()).isEqualTo("server_error");
        assertThat(e.path("message").asText()).contains("provider down");
    }

    @Test
    void theServersTokenIsRequired() throws Exception {
        rest.close();
        rest = new RestFixture("s3cret", RestLimits.DEFAULT);
        Form form = wavForm(RestFixture.wav(16_000, 1, 8_000));
        byte[] body = form.build();

        HttpResponse<String> none = rest.send(rest.post(RestEndpoints.TRANSCRIPTIONS, form.contentType(), body));
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(error(none).path("code").asText()).isEqualTo("invalid_api_key");
        assertThat(none.headers().firstValue("www-authenticate")).hasValue("Bearer");

        HttpResponse<String> wrong = rest.send(rest.post(RestEndpoints.TRANSCRIPTIONS, form.contentType(), body)
                .header("Authorization", "Bearer nope"));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).doesNotContain("s3cret");

        HttpResponse<String> right = rest.send(rest.post(RestEndpoints.TRANSCRIPTIONS, form.contentType(), body)
                .header("Authorization", "Bearer s3cret"));
        assertThat(right.statusCode()).isEqualTo(200);
        assertThat(rest.stt.samples).hasSize(1);
    }
}

package dev.parley.providers.openai;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.parley.failover.ProviderTiming;
import dev.parley.providers.http.ApiException;
import dev.parley.providers.http.RawHttpServer;
import dev.parley.providers.http.RetryInterceptor;
import dev.parley.providers.http.Secret;
import dev.parley.stt.RecognitionStream;
import dev.parley.stt.Transcript;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/** OpenAI speech to text against fakes on real sockets: the exact upload, both answer forms, every fault. */
class OpenAiSpeechRecognizerTest extends OpenAiAudioFakes {
    private static final String[] TOKENS = {"Turn", " on", " the", " lights", "."};
    private static final double[] LOGPROBS = {-0.1, -0.0001, 0.0, -2.0, -0.01};

    /** 0.2 s of a sawtooth spanning negative and positive samples. */
    private static short[] audio() {
        short[] s = new short[3200];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) (i * 37 - 30_000);
        }
        return s;
    }

    private RecognitionStream open(OpenAiSpeechConfig c) {
        return new OpenAiSpeechRecognizer(c, http).open(timings::add);
    }

    /** A stream that heard {@link #audio()} in three pieces. */
    private RecognitionStream heard(OpenAiSpeechConfig c) {
        RecognitionStream stream = open(c);
        short[] a = audio();
        assertThat(stream.accept(a, 0, 1000)).isEmpty();
        stream.accept(a, 1000, 1200);
        stream.accept(a, 2200, 1000);
        return stream;
    }

    private static double expectedConfidence() {
        double sum = 0;
        for (double lp : LOGPROBS) {
            sum += Math.exp(lp);
        }
        return sum / LOGPROBS.length;
    }

    private void enqueueEvents(String body) {
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
                .chunkedBody(body, 29).build());
    }

    private static String events() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < TOKENS.length; i++) {
            sb.append(OpenAiAudioWire.delta(TOKENS[i], LOGPROBS[i]));
        }
        return sb.append(OpenAiAudioWire.done(TOKENS, LOGPROBS)).toString();
    }

    @Test
    void theUploadIsAnExactMultipartFormWithAWavFileOfTheAudio() throws Exception {
        enqueueEvents(events());
        RecognitionStream stream = heard(config.withLanguage("en").withPrompt("Lights, \"kitchen\"\nand hall"));

        stream.finish();

        RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(r.getMethod()).isEqualTo("POST");
        assertThat(r.getTarget()).isEqualTo("/v1/audio/transcriptions");
        assertThat(r.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(r.getHeaders().get("Accept")).isEqualTo("text/event-stream");
        String contentType = r.getHeaders().get("Content-Type");
        assertThat(contentType).matches("multipart/form-data; boundary=----parley[0-9a-f]{32}");
        String boundary = contentType.substring(contentType.indexOf("boundary=") + 9);

        // the WAV header, byte by byte: RIFF, 36 + 6400, WAVE, fmt, 16, PCM, mono, 16000 Hz, 32000 B/s, 2, 16 bits
        byte[] header = {'R', 'I', 'F', 'F', 0x24, 0x19, 0, 0, 'W', 'A', 'V', 'E',
                'f', 'm', 't', ' ', 16, 0, 0, 0, 1, 0, 1, 0, (byte) 0x80, 0x3e, 0, 0, 0, 0x7d, 0, 0, 2, 0, 16, 0,
                'd', 'a', 't', 'a', 0, 0x19, 0, 0};
        ByteBuffer samples = ByteBuffer.allocate(6400).order(ByteOrder.LITTLE_ENDIAN);
        for (short s : audio()) {
            samples.putShort(s);
        }
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        String dash = "--" + boundary + "\r\n";
        expected.writeBytes((dash + "Content-Disposition: form-data; name=\"file\"; filename=\"utterance.wav\"\r\n"
                + "Content-Type: audio/wav\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        expected.writeBytes(header);
        expected.writeBytes(samples.array());
        expected.writeBytes(("\r\n"
                + dash + "Content-Disposition: form-data; name=\"model\"\r\n\r\ngpt-4o-mini-transcribe\r\n"
                + dash + "Content-Disposition: form-data; name=\"language\"\r\n\r\nen\r\n"
                + dash + "Content-Disposition: form-data; name=\"prompt\"\r\n\r\nLights, \"kitchen\"\nand hall\r\n"
                + dash + "Content-Disposition: form-data; name=\"response_format\"\r\n\r\njson\r\n"
                + dash + "Content-Disposition: form-data; name=\"include[]\"\r\n\r\nlogprobs\r\n"
                + dash + "Content-Disposition: form-data; name=\"stream\"\r\n\r\ntrue\r\n"
                + "--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        assertThat(r.getBody().toByteArray()).isEqualTo(expected.toByteArray());
        assertThat(r.getHeaders().get("Content-Length")).isEqualTo(String.valueOf(expected.size()));
    }

    @Test
    void whisperAsksForPlainJsonWithoutLogprobsOrStreamAndReadsTheTranscriptionObject() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .body(OpenAiAudioWire.json(TOKENS, null)).build());
        RecognitionStream stream = heard(config.withSttModel("whisper-1"));

        Transcript t = stream.finish();

        assertThat(t.text()).isEqualTo("Turn on the lights.");
        assertThat(t.confidence()).isEqualTo(1.0);
        RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
        String body = r.getBody().string(StandardCharsets.ISO_8859_1);
        assertThat(body).contains("name=\"model\"\r\n\r\nwhisper-1\r\n")
                .contains("name=\"response_format\"\r\n\r\njson\r\n")
                .doesNotContain("name=\"include[]\"").doesNotContain("name=\"stream\"")
                .doesNotContain("name=\"language\"").doesNotContain("name=\"prompt\"");
        assertThat(r.getHeaders().get("Accept")).isEqualTo("application/json");
        assertThat(timings).singleElement().satisfies(tm -> {
            assertThat(tm.provider()).isEqualTo("openai");
            assertThat(tm.stage()).isEqualTo("stt");
            assertThat(tm.ttfbNanos()).isPositive();
        });
    }

    @Test
    void aGpt4oJsonAnswerGivesTheMeanTokenProbabilityAsConfidence() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .body(OpenAiAudioWire.json(TOKENS, LOGPROBS)).build());
        RecognitionStream stream = heard(config.withSttModel("gpt-4o-transcribe").withSttStream(false));

        Transcript t = stream.finish();

        assertThat(t.text()).isEqualTo("Turn on the lights.");
        assertThat(t.confidence()).isCloseTo(expectedConfidence(), within(1e-9));
        String body = server.takeRequest(5, TimeUnit.SECONDS).getBody().string(StandardCharsets.ISO_8859_1);
        assertThat(body).contains("name=\"include[]\"\r\n\r\nlogprobs\r\n").doesNotContain("name=\"stream\"");
    }

    @Test
    void streamedDeltasGrowThePartialAsTheyArriveAndDoneGivesTheTranscript() throws Exception {
        CountDownLatch partialSeen = new CountDownLatch(1);
        CompletableFuture<Boolean> seenInTime = new CompletableFuture<>();
        raw.enqueue((req, ex) -> {
            ex.status(200, "text/event-stream; charset=utf-8");
            ex.chunk(OpenAiAudioWire.delta("Turn", -0.1));
            ex.chunk(OpenAiAudioWire.delta(" on", -0.0001));
            seenInTime.complete(partialSeen.await(5, TimeUnit.SECONDS));
            for (int i = 2; i < TOKENS.length; i++) {
                ex.chunk(OpenAiAudioWire.delta(TOKENS[i], LOGPROBS[i]));
            }
            ex.chunk(OpenAiAudioWire.done(TOKENS, LOGPROBS));
            ex.end();
        });
        RecognitionStream stream = heard(onRaw());
        CompletableFuture<Transcript> result = CompletableFuture.supplyAsync(stream::finish);

        short[] more = new short[160];
        await().atMost(Duration.ofSeconds(5)).until(() -> stream.accept(more, 0, 160).equals("Turn on"));
        partialSeen.countDown();

        Transcript t = result.get(10, TimeUnit.SECONDS);
        assertThat(seenInTime.get(5, TimeUnit.SECONDS)).as("the partial came before the stream ended").isTrue();
        assertThat(t.text()).isEqualTo("Turn on the lights.");
        assertThat(t.confidence()).isCloseTo(expectedConfidence(), within(1e-9));
        assertThat(stream.accept(more, 0, 160)).isEqualTo("Turn on the lights.");
        assertThat(timings).singleElement().extracting(ProviderTiming::stage).isEqualTo("stt");
        RawHttpServer.Request request = raw.takeRequest();
        assertThat(request.target()).isEqualTo("/v1/audio/transcriptions");
        assertThat(request.headers().get("authorization")).isEqualTo("Bearer " + KEY);
    }

    @Test
    void anAnswerOverMockWebServersChunksIsReadWhole() throws Exception {
        enqueueEvents(events());
        assertThat(heard(config).finish()).isEqualTo(new Transcript("Turn on the lights.", expectedConfidence()));
    }

    @Test
    void unauthorizedNamesTheKeyVariableAndNeverTheKey() {
        server.enqueue(new MockResponse.Builder().code(401).addHeader("Content-Type", "application/json")
                .body(OpenAiAudioWire.error("Incorrect API key provided: " + KEY + ". You can find your API key at "
                        + "https://platform.openai.com/account/api-keys.", "invalid_request_error",
                        "invalid_api_key")).build());
        RecognitionStream stream = heard(config.withApiKeyEnv("MY_OPENAI_KEY"));

        assertThatThrownBy(stream::finish).isInstanceOf(OpenAiSpeechException.class)
                .hasMessageContaining("rejected the API key (HTTP 401")
                .hasMessageEndingWith("Set MY_OPENAI_KEY to a valid key.")
                .hasMessageNotContaining(KEY)
                .hasMessageNotContaining("SECRET");
        assertThat(server.getRequestCount()).as("not retried").isEqualTo(1);
    }

    @Test
    void forbiddenSaysTheKeyMayNotUseTheModel() {
        server.enqueue(new MockResponse.Builder().code(403).addHeader("Content-Type", "application/json")
                .body(OpenAiAudioWire.error("You are not allowed to sample from this model", "invalid_request_error",
                        "model_not_found")).build());

        assertThatThrownBy(heard(config)::finish).isInstanceOf(OpenAiSpeechException.class)
                .hasMessage(config.serverName() + " refused the API key for model 'gpt-4o-mini-transcribe' (HTTP 403:"
                        + " You are not allowed to sample from this model). Set OPENAI_API_KEY to a key that may use"
                        + " it.");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void tooManyRequestsWaitsAsLongAsRetryAfterSaysThenSucceeds() throws Exception {
        server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "1")
                .addHeader("Content-Type", "application/json")
                .body(OpenAiAudioWire.error("Rate limit reached", "requests", "rate_limit_exceeded")).build());
        enqueueEvents(events());
        RecognitionStream stream = heard(config);

        long t0 = System.nanoTime();
        Transcript t = stream.finish();
        long waitedMs = (System.nanoTime() - t0) / 1_000_000;

        assertThat(t.text()).isEqualTo("Turn on the lights.");
        assertThat(waitedMs).as("Retry-After: 1 was honoured (the backoff alone is 50 ms)").isGreaterThanOrEqualTo(950);
        assertThat(server.getRequestCount()).isEqualTo(2);
        byte[] first = server.takeRequest(5, TimeUnit.SECONDS).getBody().toByteArray();
        byte[] second = server.takeRequest(5, TimeUnit.SECONDS).getBody().toByteArray();
        assertThat(second).as("the same upload again").isEqualTo(first);
    }

    @Test
    void aServerErrorIsRetriedThenSucceedsAndTheKeyNeverReachesTheLog() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(RetryInterceptor.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        Level before = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        logger.addAppender(appender);
        try {
            server.enqueue(new MockResponse.Builder().code(500).addHeader("Content-Type", "application/json")
                    .body(OpenAiAudioWire.error("The server had an error (key " + KEY + ")", "server_error", null))
                    .build());
            enqueueEvents(events());

            assertThat(heard(config).finish().text()).isEqualTo("Turn on the lights.");
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(before);
        }
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(appender.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("retry 1 of 2"));
        assertThat(appender.list).allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain(KEY)
                .doesNotContain("SECRET"));
    }

    @Test
    void serverErrorsUntilTheRetriesRunOutFailSayingHowOftenItWasTried() {
        for (int i = 0; i < 3; i++) {
            server.enqueue(new MockResponse.Builder().code(503).body("upstream busy").build());
        }
        assertThatThrownBy(heard(config)::finish).isInstanceOf(OpenAiSpeechException.class)
                .hasMessage(config.serverName() + " failed (HTTP 503: upstream busy) after 3 tries. Try again later.");
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void aStreamThatBreaksOffAfterItBeganFailsAndIsNotRetried() throws Exception {
        raw.enqueue((req, ex) -> {
            ex.status(200, "text/event-stream");
            ex.chunk(OpenAiAudioWire.delta("Turn", -0.1));
            ex.raw("40\r\ndata: {\"type\":\"transcript.te");
            ex.abort();
        });
        RecognitionStream stream = heard(onRaw());

        assertThatThrownBy(stream::finish).isInstanceOf(OpenAiSpeechException.class)
                .hasMessage("The transcript from " + onRaw().serverName() + " broke off.")
                .cause().isInstanceOfSatisfying(ApiException.StreamFailed.class,
                        e -> assertThat(e.reason()).isEqualTo(ApiException.StreamFailed.Reason.DROPPED));
        raw.takeRequest();
        assertThat(raw.pendingRequests()).as("not retried").isZero();
        assertThat(raw.connections()).isEqualTo(1);
    }

    @Test
    void aStreamThatEndsWithoutDoneIsABrokenTranscript() {
        enqueueEvents(OpenAiAudioWire.delta("Turn", -0.1));
        assertThatThrownBy(heard(config)::finish).isInstanceOf(OpenAiSpeechException.class)
                .hasMessage("The transcript from " + config.serverName() + " broke off.");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void anErrorEventAfterADeltaFailsWithTheServersWordsAndIsNotRetried() {
        enqueueEvents(OpenAiAudioWire.delta("Turn", -0.1) + "event: error\ndata: "
                + OpenAiAudioWire.error("The server had an error while processing your request.", "server_error",
                null) + "\n\n");
        assertThatThrownBy(heard(config)::finish).isInstanceOf(OpenAiSpeechException.class)
                .hasMessage(config.serverName() + " reported an error: The server had an error while processing "
                        + "your request.");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void noAnswerWithinTheFirstByteTimeoutFailsAndHangsUp() throws Exception {
        raw.enqueue((req, ex) -> ex.awaitClientClose(Duration.ofSeconds(10)));
        OpenAiSpeechConfig c = onRaw().withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(400),
                Duration.ofSeconds(5));

        assertThatThrownBy(heard(c)::finish).isInstanceOf(OpenAiSpeechException.class)
                .hasMessage(c.serverName() + " did not start answering within 1 second.")
                .cause().isInstanceOfSatisfying(ApiException.TimedOut.class,
                        e -> assertThat(e.phase()).isEqualTo(ApiException.TimedOut.Phase.FIRST_BYTE));
        assertThat(raw.awaitClientHangUp(Duration.ofSeconds(5))).as("the server saw the connection closed").isTrue();
        assertThat(raw.connections()).as("a timeout is not retried").isEqualTo(1);
    }

    @Test
    void aStreamThatStallsAfterADeltaFails() throws Exception {
        raw.enqueue((req, ex) -> {
            ex.status(200, "text/event-stream");
            ex.chunk(OpenAiAudioWire.delta("Turn", -0.1));
            ex.awaitClientClose(Duration.ofSeconds(10));
        });
        OpenAiSpeechConfig c = onRaw().withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5),
                Duration.ofMillis(400));

        assertThatThrownBy(heard(c)::finish).isInstanceOf(OpenAiSpeechException.class)
                .hasMessage("The transcript from " + c.serverName() + " stalled: nothing came for 1 second.");
        assertThat(raw.awaitClientHangUp(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void aRefusedConnectionIsRetriedThenNamesTheServer() {
        OpenAiSpeechConfig c = config.withBaseUrl("http://127.0.0.1:1/v1");
        assertThatThrownBy(heard(c)::finish).isInstanceOf(OpenAiSpeechException.class)
                .hasMessage("Cannot reach the speech-to-text service at http://127.0.0.1:1/v1 (connection refused) "
                        + "after 3 tries. Is it running?");
    }

    @Test
    void closingWhileTheAnswerStreamsClosesTheConnectionAndFinishReturnsEmpty() throws Exception {
        CountDownLatch deltaSent = new CountDownLatch(1);
        CompletableFuture<Boolean> hungUp = new CompletableFuture<>();
        raw.enqueue((req, ex) -> {
            ex.status(200, "text/event-stream");
            ex.chunk(OpenAiAudioWire.delta("Turn", -0.1));
            deltaSent.countDown();
            hungUp.complete(ex.awaitClientClose(Duration.ofSeconds(10)));
        });
        RecognitionStream stream = heard(onRaw());
        CompletableFuture<Transcript> result = CompletableFuture.supplyAsync(stream::finish);
        assertThat(deltaSent.await(5, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> stream.accept(new short[1], 0, 1).equals("Turn"));

        stream.close();

        assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo(new Transcript("", 0));
        assertThat(hungUp.get(5, TimeUnit.SECONDS)).as("the server saw the connection closed").isTrue();
    }

    @Test
    void closingBeforeTheAnswerAbortsTheRequest() throws Exception {
        CountDownLatch received = new CountDownLatch(1);
        raw.enqueue((req, ex) -> {
            received.countDown();
            ex.awaitClientClose(Duration.ofSeconds(10));
        });
        RecognitionStream stream = heard(onRaw());
        CompletableFuture<Transcript> result = CompletableFuture.supplyAsync(stream::finish);
        assertThat(received.await(5, TimeUnit.SECONDS)).isTrue();

        stream.close();

        assertThat(result.get(5, TimeUnit.SECONDS).isEmpty()).isTrue();
        assertThat(raw.awaitClientHangUp(Duration.ofSeconds(5))).as("the server saw the connection closed").isTrue();
    }

    @Test
    void aClosedStreamSendsNothing() {
        RecognitionStream stream = heard(config);
        stream.close();
        stream.close();
        assertThat(stream.finish().isEmpty()).isTrue();
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void lessThanATenthOfASecondIsNotSent() {
        RecognitionStream stream = open(config);
        stream.accept(new short[1599], 0, 1599);
        assertThat(stream.finish()).isEqualTo(new Transcript("", 1));
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void anUtteranceOverTwentyFiveMegabytesIsRefusedWithoutARequest() {
        RecognitionStream stream = open(config);
        short[] second = new short[16_000];
        for (int i = 0; i < 14 * 60; i++) { // 14 minutes: 26.9 MB as WAV
            stream.accept(second, 0, second.length);
        }
        assertThatThrownBy(stream::finish).isInstanceOf(OpenAiSpeechException.class)
                .hasMessage("The utterance is too long for " + config.serverName() + ": 25.6 MB as a WAV file, and "
                        + "the API takes at most 25 MB (13 minutes of 16 kHz audio).");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void finishingTwiceIsAnError() {
        RecognitionStream stream = open(config);
        stream.finish();
        assertThatThrownBy(stream::finish).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void badAudioArgumentsAreRefused() {
        RecognitionStream stream = open(config);
        assertThatThrownBy(() -> stream.accept(new short[10], 5, 6)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void theRecognizerDescribesItselfWithoutTheKey() {
        OpenAiSpeechRecognizer recognizer = new OpenAiSpeechRecognizer(config, http);
        assertThat(recognizer.toString()).contains("gpt-4o-mini-transcribe").doesNotContain(KEY);
        assertThat(recognizer.config().toString()).contains("Secret[set]").doesNotContain(KEY);
    }
}

package dev.parley.providers.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.audio.PcmAudio;
import dev.parley.providers.http.ApiException;
import dev.parley.tts.TtsException;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.RecordedRequest;
import okio.BufferedSink;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** OpenAI text to speech against fakes on real sockets: the exact request, streamed PCM, every fault, cancellation. */
class OpenAiSpeechSynthesizerTest extends OpenAiAudioFakes {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<PcmAudio> chunks = new CopyOnWriteArrayList<>();

    private void speak(OpenAiSpeechConfig c, String text) throws TtsException {
        new OpenAiSpeechSynthesizer(c, http).synthesize(text, chunks::add, () -> false, timings::add);
    }

    private short[] received() {
        return PcmAudio.concat(new ArrayList<>(chunks)).samples();
    }

    /**
     * A chunked body (Transfer-Encoding: chunked, written by hand as the wire carries it) of {@code pieces}, each
     * flushed on its own. Before each piece it waits until the client has played every whole sample of the bytes
     * sent so far ({@code played} counts them), so a test proves that audio is handed on while the body is still
     * open, piece by piece, and the pieces cannot be merged on the way.
     */
    private static final class ChunkedPcm implements MockResponseBody {
        final List<byte[]> pieces;
        final IntSupplier played;
        final CompletableFuture<Boolean> playedAsSent = new CompletableFuture<>();

        ChunkedPcm(List<byte[]> pieces, IntSupplier played) {
            this.pieces = pieces;
            this.played = played;
        }

        @Override
        public long getContentLength() {
            return -1;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            int sent = 0;
            boolean inTime = true;
            for (byte[] p : pieces) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (played.getAsInt() < sent / 2 && System.nanoTime() < deadline) {
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                }
                inTime &= played.getAsInt() == sent / 2;
                sink.writeUtf8(Integer.toHexString(p.length) + "\r\n").write(p).writeUtf8("\r\n");
                sink.flush();
                sent += p.length;
            }
            sink.writeUtf8("0\r\n\r\n");
            sink.flush();
            playedAsSent.complete(inTime);
        }
    }

    /** 24 kHz samples over the whole 16-bit range. */
    private static short[] samples(int n) {
        short[] s = new short[n];
        for (int i = 0; i < n; i++) {
            s[i] = (short) (i * 7919 + 12345);
        }
        return s;
    }

    private static byte[] littleEndian(short[] s) {
        return new PcmAudio(s, 24_000).toLittleEndianBytes();
    }

    /** {@code bytes} cut at the given sizes (the last piece takes the rest). */
    private static List<byte[]> cut(byte[] bytes, int... sizes) {
        List<byte[]> out = new ArrayList<>();
        int at = 0;
        for (int size : sizes) {
            out.add(Arrays.copyOfRange(bytes, at, at + size));
            at += size;
        }
        out.add(Arrays.copyOfRange(bytes, at, bytes.length));
        return out;
    }

    @Test
    void theRequestIsTheDocumentedJsonAndThePcmArrivesChunkByChunkAcrossOddBoundaries() throws Exception {
        short[] expected = samples(1000);
        ChunkedPcm body = new ChunkedPcm(cut(littleEndian(expected), 3, 1, 5, 2, 7, 1, 999),
                () -> chunks.stream().mapToInt(PcmAudio::length).sum());
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "audio/pcm")
                .addHeader("Transfer-Encoding", "chunked").body(body).build());
        OpenAiSpeechConfig c = config.withTtsModel("gpt-4o-mini-tts").withVoice("coral")
                .withInstructions("Speak in a cheerful tone.").withSpeed(1.25);

        new OpenAiSpeechSynthesizer(c, http).synthesize("Hello there!", chunks::add, () -> false, timings::add);

        assertThat(body.playedAsSent.get(5, TimeUnit.SECONDS))
                .as("each piece was played before the next one was sent").isTrue();
        assertThat(chunks).allSatisfy(ch -> assertThat(ch.sampleRate()).isEqualTo(24_000));
        // 3 bytes: one sample and a kept byte; +1: the kept byte's sample; +5: two and a kept byte; +2: one, kept…
        assertThat(chunks.stream().limit(5).map(PcmAudio::length).toList()).containsExactly(1, 1, 2, 1, 4);
        assertThat(received()).isEqualTo(expected);
        assertThat(timings).singleElement().satisfies(t -> {
            assertThat(t.provider()).isEqualTo("openai");
            assertThat(t.stage()).isEqualTo("tts");
            assertThat(t.ttfbNanos()).isPositive();
        });

        RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(r.getMethod()).isEqualTo("POST");
        assertThat(r.getTarget()).isEqualTo("/v1/audio/speech");
        assertThat(r.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(r.getHeaders().get("Content-Type")).isEqualTo("application/json");
        assertThat(JSON.readTree(r.getBody().utf8())).isEqualTo(JSON.readTree("""
                {"model":"gpt-4o-mini-tts","input":"Hello there!","voice":"coral",
                 "instructions":"Speak in a cheerful tone.","response_format":"pcm","speed":1.25}"""));
    }

    @Test
    void tts1GetsNoInstructionsAndTheDefaultsAreAlloyWithoutSpeed() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "audio/pcm")
                .body(new okio.Buffer().write(littleEndian(samples(10)))).build());

        speak(config.withTtsModel("tts-1").withInstructions("Whisper."), "  Hi.  ");

        assertThat(received()).isEqualTo(samples(10));
        assertThat(JSON.readTree(server.takeRequest(5, TimeUnit.SECONDS).getBody().utf8())).isEqualTo(JSON.readTree(
                "{\"model\":\"tts-1\",\"input\":\"Hi.\",\"voice\":\"alloy\",\"response_format\":\"pcm\"}"));
    }

    @Test
    void blankTextSendsNothingAndTooLongTextIsRefused() {
        OpenAiSpeechSynthesizer tts = new OpenAiSpeechSynthesizer(config, http);
        assertThat(tts.sampleRate()).isEqualTo(24_000);
        assertThatThrownBy(() -> tts.synthesize("a".repeat(4097), chunks::add, () -> false))
                .isInstanceOf(TtsException.class)
                .hasMessage("The text is too long for " + config.serverName() + " to speak at once (4097 characters; "
                        + "the API takes at most 4096).");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void unauthorizedNamesTheKeyVariableAndNeverTheKey() {
        server.enqueue(new MockResponse.Builder().code(401).addHeader("Content-Type", "application/json")
                .body(OpenAiAudioWire.error("Incorrect API key provided: " + KEY + ".", "invalid_request_error",
                        "invalid_api_key")).build());

        assertThatThrownBy(() -> speak(config, "Hello")).isInstanceOf(TtsException.class)
                .hasMessage(config.serverName() + " rejected the API key (HTTP 401: Incorrect API key provided: "
                        + "[REDACTED].). Set OPENAI_API_KEY to a valid key.")
                .hasMessageNotContaining("SECRET");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void forbiddenNamesTheModelAndTheKeyVariable() {
        server.enqueue(new MockResponse.Builder().code(403).addHeader("Content-Type", "application/json")
                .body(OpenAiAudioWire.error("Project does not have access to model gpt-4o-mini-tts",
                        "invalid_request_error", "model_not_found")).build());

        assertThatThrownBy(() -> speak(config, "Hello")).isInstanceOf(TtsException.class)
                .hasMessageContaining("refused the API key for model 'gpt-4o-mini-tts' (HTTP 403")
                .hasMessageEndingWith("Set OPENAI_API_KEY to a key that may use it.");
    }

    @Test
    void tooManyRequestsWaitsAsLongAsRetryAfterSaysThenSpeaks() throws Exception {
        server.enqueue(new MockResponse.Builder().code(429).addHeader("retry-after-ms", "600")
                .addHeader("Content-Type", "application/json")
                .body(OpenAiAudioWire.error("Rate limit reached", "requests", "rate_limit_exceeded")).build());
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "audio/pcm")
                .body(new okio.Buffer().write(littleEndian(samples(100)))).build());

        long t0 = System.nanoTime();
        speak(config, "Hello");
        long ms = (System.nanoTime() - t0) / 1_000_000;

        assertThat(received()).isEqualTo(samples(100));
        assertThat(ms).as("retry-after-ms: 600 was honoured (the backoff alone is 50 ms)").isGreaterThanOrEqualTo(580);
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void aQuotaThatIsUsedUpIsNotRetried() {
        server.enqueue(new MockResponse.Builder().code(429).addHeader("Content-Type", "application/json")
                .body(OpenAiAudioWire.error("You exceeded your current quota.", "insufficient_quota",
                        "insufficient_quota")).build());

        assertThatThrownBy(() -> speak(config, "Hello")).isInstanceOf(TtsException.class)
                .hasMessageContaining("quota is used up");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aServerErrorBeforeAnyAudioIsRetriedThenSpeaks() throws Exception {
        server.enqueue(new MockResponse.Builder().code(500).addHeader("Content-Type", "application/json")
                .body(OpenAiAudioWire.error("The server had an error", "server_error", null)).build());
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "audio/pcm")
                .chunkedBody(new okio.Buffer().write(littleEndian(samples(500))), 333).build());

        speak(config, "Hello");

        assertThat(received()).isEqualTo(samples(500));
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(timings).hasSize(1);
    }

    @Test
    void audioThatBreaksOffIsAnErrorAfterThePlayedPartAndIsNotRetried() throws Exception {
        raw.enqueue((req, ex) -> {
            ex.status(200, "audio/pcm");
            ex.chunk("ABCDE"); // five bytes of PCM: two samples and one kept byte
            ex.raw("100\r\n");
            ex.abort();
        });

        assertThatThrownBy(() -> speak(onRaw(), "Hello")).isInstanceOf(TtsException.class)
                .hasMessage("The audio from " + onRaw().serverName() + " broke off.")
                .cause().isInstanceOfSatisfying(ApiException.StreamFailed.class,
                        e -> assertThat(e.reason()).isEqualTo(ApiException.StreamFailed.Reason.DROPPED));
        assertThat(received()).containsExactly((short) 0x4241, (short) 0x4443);
        raw.takeRequest();
        assertThat(raw.pendingRequests()).as("not retried").isZero();
        assertThat(raw.connections()).isEqualTo(1);
    }

    @Test
    void aFailureAfterAudioBeganIsNotRetriedEvenThoughASuccessWaits() throws Exception {
        // audio was played: trying again would speak it twice, so the queued good answer is never asked for
        raw.enqueue((req, ex) -> {
            ex.status(200, "audio/pcm");
            ex.chunk("ABCD");
            ex.abort();
        });
        raw.enqueue((req, ex) -> {
            ex.status(200, "audio/pcm");
            ex.chunk("WXYZ");
            ex.end();
        });

        assertThatThrownBy(() -> speak(onRaw(), "Hello")).isInstanceOf(TtsException.class);
        assertThat(received()).containsExactly((short) 0x4241, (short) 0x4443);
        assertThat(raw.connections()).isEqualTo(1);
    }

    @Test
    void noAudioWithinTheFirstByteTimeoutFailsAndHangsUp() throws Exception {
        raw.enqueue((req, ex) -> {
            ex.status(200, "audio/pcm");
            ex.awaitClientClose(Duration.ofSeconds(10));
        });
        OpenAiSpeechConfig c = onRaw().withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(400),
                Duration.ofSeconds(5));

        assertThatThrownBy(() -> speak(c, "Hello")).isInstanceOf(TtsException.class)
                .hasMessage(c.serverName() + " did not start answering within 1 second.");
        assertThat(raw.awaitClientHangUp(Duration.ofSeconds(5))).as("the server saw the connection closed").isTrue();
        assertThat(raw.connections()).as("a timeout is not retried").isEqualTo(1);
        assertThat(timings).isEmpty();
    }

    @Test
    void audioThatStallsFails() throws Exception {
        raw.enqueue((req, ex) -> {
            ex.status(200, "audio/pcm");
            ex.chunk("ABCD");
            ex.awaitClientClose(Duration.ofSeconds(10));
        });
        OpenAiSpeechConfig c = onRaw().withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5),
                Duration.ofMillis(400));

        assertThatThrownBy(() -> speak(c, "Hello")).isInstanceOf(TtsException.class)
                .hasMessage("The audio from " + c.serverName() + " stalled: nothing came for 1 second.");
        assertThat(received()).hasSize(2);
        assertThat(raw.awaitClientHangUp(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void cancellingMidStreamStopsReadingAndClosesTheConnection() throws Exception {
        CompletableFuture<Boolean> hungUp = new CompletableFuture<>();
        CompletableFuture<Boolean> writeFailed = new CompletableFuture<>();
        raw.enqueue((req, ex) -> {
            ex.status(200, "audio/pcm");
            ex.chunk("ABCD");
            hungUp.complete(ex.awaitClientClose(Duration.ofSeconds(10)));
            writeFailed.complete(ex.writeFails());
        });
        AtomicBoolean cancelled = new AtomicBoolean();

        new OpenAiSpeechSynthesizer(onRaw(), http).synthesize("Hello", chunk -> {
            chunks.add(chunk);
            cancelled.set(true); // barge-in right after the first audio
        }, cancelled::get, timings::add);

        assertThat(received()).containsExactly((short) 0x4241, (short) 0x4443);
        assertThat(hungUp.get(5, TimeUnit.SECONDS)).as("the server saw the connection closed").isTrue();
        assertThat(writeFailed.get(5, TimeUnit.SECONDS)).as("and can write no more").isTrue();
    }

    @Test
    void cancellingBeforeAnyAudioAbortsTheRequest() throws Exception {
        CountDownLatch received = new CountDownLatch(1);
        raw.enqueue((req, ex) -> {
            received.countDown();
            ex.awaitClientClose(Duration.ofSeconds(10));
        });
        AtomicBoolean cancelled = new AtomicBoolean();
        CompletableFuture<Void> done = CompletableFuture.runAsync(() -> {
            try {
                new OpenAiSpeechSynthesizer(onRaw(), http).synthesize("Hello", chunks::add, cancelled::get);
            } catch (TtsException e) {
                throw new AssertionError(e);
            }
        });
        assertThat(received.await(5, TimeUnit.SECONDS)).isTrue();

        cancelled.set(true);

        done.get(5, TimeUnit.SECONDS);
        assertThat(chunks).isEmpty();
        assertThat(raw.awaitClientHangUp(Duration.ofSeconds(5))).as("the server saw the connection closed").isTrue();
    }

    @Test
    void aJsonAnswerIsNotAudio() {
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .body("{\"detail\":\"unsupported response_format\"}").build());

        assertThatThrownBy(() -> speak(config, "Hello")).isInstanceOf(TtsException.class)
                .hasMessage(config.serverName() + " sent malformed audio (not audio but application/json).");
        assertThat(chunks).isEmpty();
    }

    @Test
    void aRefusedConnectionNamesTheServiceAfterTheRetries() {
        assertThatThrownBy(() -> speak(config.withBaseUrl("http://127.0.0.1:1/v1"), "Hello"))
                .isInstanceOf(TtsException.class)
                .hasMessage("Cannot reach the text-to-speech service at http://127.0.0.1:1/v1 (connection refused) "
                        + "after 3 tries. Is it running?");
    }

    @Test
    void theSynthesizerDescribesItselfWithoutTheKey() {
        assertThat(new OpenAiSpeechSynthesizer(config, http).toString())
                .isEqualTo("OpenAiSpeechSynthesizer[gpt-4o-mini-tts/alloy at " + config.baseUrl() + "]")
                .doesNotContain(KEY);
        assertThat(new String(littleEndian(new short[]{0x4241}), StandardCharsets.ISO_8859_1)).isEqualTo("AB");
    }
}

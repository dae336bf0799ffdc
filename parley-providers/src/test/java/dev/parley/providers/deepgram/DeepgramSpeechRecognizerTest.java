package dev.parley.providers.deepgram;

import dev.parley.failover.ProviderLog;
import dev.parley.providers.http.Secret;
import dev.parley.stt.RecognitionStream;
import dev.parley.stt.Transcript;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.parley.providers.deepgram.DeepgramWire.Word;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The recogniser against a fake Deepgram live endpoint on a real socket: the exact handshake, frames and replies. */
class DeepgramSpeechRecognizerTest {
    private static final String KEY = "dg-test-key-0123456789abcdef";
    /** The audio of the tests that need some: 20 ms. */
    private static final short[] CHUNK = tone(320, 0);

    private FakeDeepgram fake;
    private DeepgramConfig config;
    private DeepgramSpeechRecognizer recognizer;

    @BeforeEach
    void start() throws IOException {
        fake = new FakeDeepgram();
        config = DeepgramConfig.defaults().withBaseUrl(fake.baseUrl()).withApiKey(Secret.of(KEY))
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5));
        recognizer = new DeepgramSpeechRecognizer(config);
    }

    @AfterEach
    void stop() {
        recognizer.close();
        fake.close();
    }

    /** Answers Finalize with a from_finalize result and CloseStream with Metadata and a close, as Deepgram does. */
    private static void deepgramLike(FakeDeepgram.Peer peer, String text, String finalizeAnswer) {
        if (text.contains("\"Finalize\"") && finalizeAnswer != null) {
            peer.send(finalizeAnswer);
        } else if (text.contains("\"CloseStream\"")) {
            peer.send(DeepgramWire.listenMetadata(2.5));
            peer.closeWith(1000, "");
        }
    }

    private static short[] tone(int n, int seed) {
        short[] s = new short[n];
        for (int i = 0; i < n; i++) {
            s[i] = (short) ((i * 31 + seed) * 977);
        }
        return s;
    }

    /** A stream of the recogniser that has sent {@link #CHUNK}. */
    private RecognitionStream streaming() {
        RecognitionStream stream = recognizer.open();
        stream.accept(CHUNK, 0, CHUNK.length);
        return stream;
    }

    /** Waits until the stream's partial transcript is {@code text}. */
    private static void awaitPartial(RecognitionStream stream, String text) {
        await().atMost(Duration.ofSeconds(10)).until(() -> stream.accept(CHUNK, 0, 0).equals(text));
    }

    /** Waits until more audio fails with a {@link DeepgramException} whose message holds every one of {@code parts}. */
    private static void awaitAcceptFails(RecognitionStream stream, String... parts) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThatThrownBy(
                () -> stream.accept(CHUNK, 0, CHUNK.length)).isInstanceOf(DeepgramException.class)
                .hasMessageContainingAll(parts));
    }

    /** Closes the recogniser and puts one with {@code c} in its place. */
    private void use(DeepgramConfig c) {
        recognizer.close();
        recognizer = new DeepgramSpeechRecognizer(c);
    }

    /** The binary frame of {@code s[from..to)} as little-endian PCM16. */
    private static FakeDeepgram.Binary pcm(short[] s, int from, int to) {
        Buffer b = new Buffer();
        for (int i = from; i < to; i++) b.writeShortLe(s[i]);
        return new FakeDeepgram.Binary(b.readByteString());
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> q = new LinkedHashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            q.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return q;
    }

    @Test
    void theHandshakeCarriesEveryQueryParameterAndTheTokenHeader() throws Exception {
        FakeDeepgram.Peer peer = fake.accept();
        use(config.withLanguage("en-US").withEndpointing(450, 1200).withFormatting(true, false));
        RecognitionStream stream = recognizer.open();

        RecordedRequest r = fake.takeRequest();
        assertThat(r.getMethod()).isEqualTo("GET");
        assertThat(r.getUrl().encodedPath()).isEqualTo("/v1/listen");
        assertThat(query(r.getUrl().uri())).containsExactly(
                Map.entry("model", "nova-3"), Map.entry("encoding", "linear16"), Map.entry("sample_rate", "16000"),
                Map.entry("channels", "1"), Map.entry("interim_results", "true"), Map.entry("endpointing", "450"),
                Map.entry("utterance_end_ms", "1200"), Map.entry("vad_events", "true"),
                Map.entry("smart_format", "true"), Map.entry("punctuate", "false"), Map.entry("language", "en-US"));
        assertThat(r.getHeaders().get("Authorization")).isEqualTo("Token " + KEY);
        assertThat(r.getHeaders().get("Upgrade")).isEqualToIgnoringCase("websocket");
        peer.socket();
        stream.close();
    }

    @Test
    void audioGoesOutAsLittleEndianBinaryFramesInOrderAndFinalizeGivesTheTranscript() throws Exception {
        String answer = DeepgramWire.results("Turn on the lights.", true, true, true, 0.0, 1.6,
                new Word("Turn", 0.1, 0.3, 0.9), new Word("on", 0.3, 0.4, 0.8), new Word("the", 0.4, 0.5, 0.7),
                new Word("lights.", 0.5, 0.9, 0.6));
        FakeDeepgram.Peer peer = fake.accept((p, text) -> deepgramLike(p, text, answer));
        ProviderLog log = new ProviderLog();
        RecognitionStream stream = recognizer.open(log);
        short[] a = tone(1600, 1), b = tone(333, 2), c = tone(3200, 3);
        stream.accept(a, 0, a.length);
        stream.accept(b, 0, b.length);
        stream.accept(c, 100, 2000);

        assertThat(peer.next()).isEqualTo(pcm(a, 0, a.length));
        assertThat(peer.next()).isEqualTo(pcm(b, 0, b.length));
        assertThat(peer.next()).isEqualTo(pcm(c, 100, 2100));

        Transcript t = stream.finish();

        assertThat(t.text()).isEqualTo("Turn on the lights.");
        assertThat(t.confidence()).isCloseTo(0.75, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(peer.next()).isEqualTo(new FakeDeepgram.Text("{\"type\":\"Finalize\"}"));
        assertThat(peer.next()).isEqualTo(new FakeDeepgram.Text("{\"type\":\"CloseStream\"}"));
        assertThat(peer.awaitEnd()).isInstanceOfAny(FakeDeepgram.Closing.class, FakeDeepgram.Failure.class);
        assertThat(log.timings()).hasSize(1);
        assertThat(log.timings().getFirst().provider()).isEqualTo("deepgram");
        assertThat(log.timings().getFirst().stage()).isEqualTo("stt");
    }

    @Test
    void acceptDoesNotWaitForTheHandshakeAudioIsQueuedAndSentInOrderOnceOpen() throws Exception {
        FakeDeepgram.Peer peer = fake.acceptSlowly(3000);
        RecognitionStream stream = recognizer.open();
        short[] a = tone(160, 1), b = tone(160, 2);

        assertThat(stream.accept(a, 0, a.length)).isEmpty();
        assertThat(stream.accept(b, 0, b.length)).isEmpty();
        assertThat(peer.opened()).as("both chunks were taken before the handshake finished").isFalse();

        assertThat(peer.next()).isEqualTo(pcm(a, 0, a.length));
        assertThat(peer.next()).isEqualTo(pcm(b, 0, b.length));
        stream.close();
    }

    @Test
    void partialsAreTheFinalizedSegmentsFollowedByTheLatestInterim() throws Exception {
        String answer = DeepgramWire.results("tomorrow?", true, true, true, 2.0, 0.8,
                new Word("tomorrow?", 2.1, 2.6, 0.9));
        FakeDeepgram.Peer peer = fake.accept((p, text) -> deepgramLike(p, text, answer));
        RecognitionStream stream = streaming();
        peer.socket();

        peer.send(DeepgramWire.speechStarted(0.12));
        peer.send(DeepgramWire.interim("what's the", 0.0, new Word("what's", 0.1, 0.3, 0.8),
                new Word("the", 0.3, 0.4, 0.8)));
        awaitPartial(stream, "what's the");

        peer.send(DeepgramWire.results("What's the weather", true, false, false, 0.0, 1.2,
                new Word("What's", 0.1, 0.3, 0.9), new Word("the", 0.3, 0.4, 0.9), new Word("weather", 0.4, 0.9, 0.9)));
        awaitPartial(stream, "What's the weather");

        peer.send(DeepgramWire.interim("like", 1.2, new Word("like", 1.3, 1.5, 0.7)));
        awaitPartial(stream, "What's the weather like");
        peer.send(DeepgramWire.interim("like tomorrow", 1.2, new Word("like", 1.3, 1.5, 0.7),
                new Word("tomorrow", 1.6, 2.0, 0.7)));
        awaitPartial(stream, "What's the weather like tomorrow");
        peer.send(DeepgramWire.results("like", true, false, false, 1.2, 0.8, new Word("like", 1.3, 1.5, 0.9)));
        awaitPartial(stream, "What's the weather like");
        assertThat(stream.endOfTurn()).as("no speech_final, no UtteranceEnd yet").isFalse();

        assertThat(stream.finish().text()).isEqualTo("What's the weather like tomorrow?");
    }

    @Test
    void speechFinalEndsTheTurn() throws Exception {
        FakeDeepgram.Peer peer = fake.accept();
        RecognitionStream stream = streaming();
        peer.send(DeepgramWire.results("Hello.", true, false, false, 0, 0.5, new Word("Hello.", 0.1, 0.4, 0.9)));
        awaitPartial(stream, "Hello.");
        assertThat(stream.endOfTurn()).isFalse();

        peer.send(DeepgramWire.results("", true, true, false, 0.5, 0.3));
        await().atMost(Duration.ofSeconds(10)).until(stream::endOfTurn);
        stream.close();
    }

    @Test
    void utteranceEndEndsTheTurnOnlyAfterWords() throws Exception {
        FakeDeepgram.Peer peer = fake.accept();
        RecognitionStream stream = streaming();
        peer.send(DeepgramWire.speechStarted(0.05));
        peer.send(DeepgramWire.utteranceEnd(0.0));
        peer.send(DeepgramWire.interim("yes", 0.0, new Word("yes", 0.1, 0.3, 0.9)));
        awaitPartial(stream, "yes");
        assertThat(stream.endOfTurn()).as("an UtteranceEnd before any word says nothing").isFalse();

        peer.send(DeepgramWire.utteranceEnd(0.3));
        await().atMost(Duration.ofSeconds(10)).until(stream::endOfTurn);
        stream.close();
    }

    @Test
    void withoutSpeechFinalTheTurnNeverEndsButFinishStillWorksThroughFinalize() throws Exception {
        String answer = DeepgramWire.results("two", true, false, true, 0.8, 0.4, new Word("two", 0.9, 1.1, 0.8));
        FakeDeepgram.Peer peer = fake.accept((p, text) -> deepgramLike(p, text, answer));
        RecognitionStream stream = streaming();
        peer.send(DeepgramWire.results("one", true, false, false, 0, 0.8, new Word("one", 0.1, 0.5, 0.6)));
        awaitPartial(stream, "one");
        Thread.sleep(200);
        assertThat(stream.endOfTurn()).isFalse();

        Transcript t = stream.finish();

        assertThat(t.text()).isEqualTo("one two");
        assertThat(t.confidence()).isCloseTo(0.7, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void whenFinalizeGetsNoAnswerTheMetadataAfterCloseStreamEndsTheUtterance() throws Exception {
        FakeDeepgram.Peer peer = fake.accept((p, text) -> deepgramLike(p, text, null));
        RecognitionStream stream = streaming();
        peer.send(DeepgramWire.results("Stop.", true, true, false, 0, 0.6, new Word("Stop.", 0.1, 0.4, 0.95)));
        awaitPartial(stream, "Stop.");

        assertThat(stream.finish()).isEqualTo(new Transcript("Stop.", 0.95));
    }

    @Test
    void keepAliveIsSentWhenNoAudioWasSentForTheInterval() throws Exception {
        use(config.withKeepAliveInterval(Duration.ofMillis(300)));
        FakeDeepgram.Peer peer = fake.accept();
        RecognitionStream stream = streaming();

        assertThat(peer.next()).isInstanceOf(FakeDeepgram.Binary.class);
        assertThat(peer.next()).isEqualTo(new FakeDeepgram.Text("{\"type\":\"KeepAlive\"}"));
        stream.close();
    }

    @Test
    void closeOnBargeInSendsCloseStreamAndDropsTheSocket() throws Exception {
        FakeDeepgram.Peer peer = fake.accept();
        RecognitionStream stream = streaming();
        assertThat(peer.next()).isInstanceOf(FakeDeepgram.Binary.class);

        stream.close();

        assertThat(peer.nextText()).isEqualTo("{\"type\":\"CloseStream\"}");
        assertThat(peer.awaitEnd()).isInstanceOfAny(FakeDeepgram.Closing.class, FakeDeepgram.Failure.class);
        assertThat(stream.accept(CHUNK, 0, CHUNK.length)).isEmpty();
    }

    @Test
    void aRefusedKeyNamesTheVariableAndNeverTheKey() throws Exception {
        fake.refuse(401, "{\"err_code\":\"INVALID_AUTH\",\"err_msg\":\"Invalid credentials.\","
                + "\"request_id\":\"b1f0c8a4-6a2e-4c52-9c39-0f5b8f3c2f11\"}", "dg-error", "Invalid credentials.");
        RecognitionStream stream = recognizer.open();

        assertThatThrownBy(stream::finish).isInstanceOf(DeepgramException.class)
                .hasMessageContaining("HTTP 401").hasMessageContaining("Invalid credentials.")
                .hasMessageContaining("DEEPGRAM_API_KEY").hasMessageNotContaining(KEY);
        assertThat(fake.takeRequest().getHeaders().get("Authorization")).isEqualTo("Token " + KEY);
    }

    @Test
    void aFailedHandshakeSurfacesOnTheNextAcceptSoTheFallbackTakesOverEarly() {
        fake.refuse(403, "{\"err_code\":\"FORBIDDEN\",\"err_msg\":\"Insufficient permissions.\"}");
        RecognitionStream stream = recognizer.open();

        awaitAcceptFails(stream, "HTTP 403", "DEEPGRAM_API_KEY");
        stream.close();
    }

    @Test
    void aRateLimitedHandshakeIsTriedOnceMoreAfterRetryAfter() throws Exception {
        fake.refuse(429, "{\"err_code\":\"TOO_MANY_REQUESTS\",\"err_msg\":\"Too many requests.\"}",
                "Retry-After", "1");
        String answer = DeepgramWire.results("ok", true, true, true, 0, 0.3, new Word("ok", 0.0, 0.2, 1.0));
        fake.accept((p, text) -> deepgramLike(p, text, answer));
        RecognitionStream stream = streaming();

        assertThat(stream.finish().text()).isEqualTo("ok");
        assertThat(fake.server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void aRateLimitedHandshakeFailsAtOnceWhenRetryingIsOff() {
        use(config.withMaxRetryAfter(Duration.ZERO));
        fake.refuse(429, "{\"err_code\":\"TOO_MANY_REQUESTS\",\"err_msg\":\"Too many requests.\"}",
                "Retry-After", "1");
        RecognitionStream stream = recognizer.open();

        assertThatThrownBy(stream::finish).isInstanceOf(DeepgramException.class)
                .hasMessageContaining("HTTP 429").hasMessageContaining("try again in 1 second");
        assertThat(fake.server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aDroppedSocketMidStreamFailsFinishClearly() throws Exception {
        FakeDeepgram.Peer peer = fake.accept();
        RecognitionStream stream = streaming();
        assertThat(peer.next()).isInstanceOf(FakeDeepgram.Binary.class);

        fake.dropConnections();

        awaitAcceptFails(stream, "broke off");
        assertThatThrownBy(stream::finish).isInstanceOf(DeepgramException.class).hasMessageContaining("broke off");
    }

    @Test
    void deepgramClosingWithAnErrorBeforeFinishFailsWithItsReason() throws Exception {
        FakeDeepgram.Peer peer = fake.accept();
        RecognitionStream stream = streaming();
        peer.socket();
        peer.closeWith(1011, "NET-0001");

        awaitAcceptFails(stream, "1011", "NET-0001");
    }

    @Test
    void aStalledFinalizeTimesOutInsteadOfHanging() throws Exception {
        use(config.withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(5)));
        FakeDeepgram.Peer peer = fake.accept();
        RecognitionStream stream = streaming();
        peer.socket();

        long t0 = System.nanoTime();
        assertThatThrownBy(stream::finish).isInstanceOf(DeepgramException.class)
                .hasMessage("Deepgram did not return the final transcript within 1 second.");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
        assertThat(peer.nextText()).isEqualTo("{\"type\":\"Finalize\"}");
        assertThat(peer.nextText()).isEqualTo("{\"type\":\"CloseStream\"}");
        assertThat(peer.awaitEnd()).as("the stalled socket is closed").isNotNull();
    }

    @Test
    void withoutAKeyOpeningFailsAtOnceNamingTheVariable() {
        DeepgramSpeechRecognizer noKey = new DeepgramSpeechRecognizer(config.withApiKey(Secret.none()));
        assertThatThrownBy(noKey::open).isInstanceOf(DeepgramException.class)
                .hasMessage("No Deepgram API key: set DEEPGRAM_API_KEY.");
        noKey.close();
        assertThat(fake.server.getRequestCount()).isZero();
    }

    @Test
    void theKeyIsNeverShown() {
        assertThat(config.toString()).doesNotContain(KEY).contains("Secret[set]");
        assertThat(recognizer.toString()).doesNotContain(KEY);
    }
}

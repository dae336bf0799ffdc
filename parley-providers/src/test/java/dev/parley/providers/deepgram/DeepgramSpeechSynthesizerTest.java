package dev.parley.providers.deepgram;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.audio.PcmAudio;
import dev.parley.failover.ProviderLog;
import dev.parley.providers.http.Secret;
import dev.parley.tts.TtsException;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The synthesizer against a fake Deepgram speak endpoint on a real socket. */
class DeepgramSpeechSynthesizerTest {
    private static final String KEY = "dg-test-key-0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();

    private FakeDeepgram fake;
    private DeepgramConfig config;
    private DeepgramSpeechSynthesizer tts;

    @BeforeEach
    void start() throws IOException {
        fake = new FakeDeepgram();
        config = DeepgramConfig.defaults().withBaseUrl(fake.baseUrl()).withApiKey(Secret.of(KEY))
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5));
        tts = new DeepgramSpeechSynthesizer(config);
    }

    @AfterEach
    void stop() {
        tts.close();
        fake.close();
    }

    private static byte[] pcm(int samples, int seed) {
        byte[] b = new byte[samples * 2];
        for (int i = 0; i < samples; i++) {
            short s = (short) ((i + seed) * 1237);
            b[2 * i] = (byte) s;
            b[2 * i + 1] = (byte) (s >> 8);
        }
        return b;
    }

    /** Answers each Flush with the given frames and Flushed, and each Clear with Cleared, as Deepgram does. */
    private static void speaks(FakeDeepgram.Peer p, String text, byte[]... frames) {
        if (text.contains("\"Flush\"")) {
            for (byte[] f : frames) {
                p.send(f);
            }
            p.send(DeepgramWire.flushed(0));
        } else if (text.contains("\"Clear\"")) {
            p.send(DeepgramWire.cleared(0));
        }
    }

    @Test
    void theHandshakeNamesModelEncodingRateAndCarriesTheToken() throws Exception {
        fake.accept((p, text) -> speaks(p, text, pcm(10, 0)));
        tts.close();
        tts = new DeepgramSpeechSynthesizer(config.withTtsModel("aura-2-orion-en"));

        tts.synthesize("Hi.", a -> { }, () -> false);

        RecordedRequest r = fake.takeRequest();
        assertThat(r.getUrl().encodedPath()).isEqualTo("/v1/speak");
        assertThat(r.getUrl().encodedQuery()).isEqualTo("model=aura-2-orion-en&encoding=linear16&sample_rate=24000");
        assertThat(r.getHeaders().get("Authorization")).isEqualTo("Token " + KEY);
        assertThat(tts.sampleRate()).isEqualTo(24_000);
    }

    @Test
    void speakThenFlushAndTheAudioArrivesFrameByFrameUntilFlushed() throws Exception {
        byte[] first = pcm(2400, 1), second = pcm(1200, 2);
        CountDownLatch firstDelivered = new CountDownLatch(1);
        AtomicBoolean secondSentBeforeFirstDelivered = new AtomicBoolean();
        FakeDeepgram.Peer peer = fake.accept((p, text) -> {
            if (text.contains("\"Flush\"")) {
                Thread.ofVirtual().start(() -> {
                    p.send(DeepgramWire.speakMetadata());
                    p.send(first);
                    try {
                        // the second frame waits until the client has delivered the first: proof of streaming
                        secondSentBeforeFirstDelivered.set(!firstDelivered.await(10, TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    p.send(second);
                    p.send(DeepgramWire.flushed(0));
                });
            }
        });
        List<PcmAudio> chunks = new CopyOnWriteArrayList<>();
        ProviderLog log = new ProviderLog();

        tts.synthesize("Hello there, \"friend\".", a -> {
            chunks.add(a);
            firstDelivered.countDown();
        }, () -> false, log);

        assertThat(JSON.readTree(peer.nextText()))
                .isEqualTo(JSON.readTree("{\"type\":\"Speak\",\"text\":\"Hello there, \\\"friend\\\".\"}"));
        assertThat(peer.nextText()).isEqualTo("{\"type\":\"Flush\"}");
        assertThat(secondSentBeforeFirstDelivered).isFalse();
        assertThat(chunks).containsExactly(PcmAudio.fromLittleEndianBytes(first, 0, first.length, 24_000),
                PcmAudio.fromLittleEndianBytes(second, 0, second.length, 24_000));
        assertThat(log.timings()).singleElement().satisfies(t -> {
            assertThat(t.provider()).isEqualTo("deepgram");
            assertThat(t.stage()).isEqualTo("tts");
        });
    }

    @Test
    void framesSplitInsideASampleAreJoined() throws Exception {
        byte[] all = pcm(5, 3);
        byte[] a = java.util.Arrays.copyOfRange(all, 0, 3), b = java.util.Arrays.copyOfRange(all, 3, 10);
        fake.accept((p, text) -> speaks(p, text, a, b));
        List<PcmAudio> chunks = new CopyOnWriteArrayList<>();

        tts.synthesize("Split.", chunks::add, () -> false);

        assertThat(PcmAudio.concat(chunks)).isEqualTo(PcmAudio.fromLittleEndianBytes(all, 0, all.length, 24_000));
    }

    @Test
    void phrasesReuseAnOpenSocketOneAtATime() throws Exception {
        FakeDeepgram.Peer peer = fake.accept((p, text) -> speaks(p, text, pcm(100, 0)));

        tts.synthesize("One.", a -> { }, () -> false);
        tts.synthesize("Two.", a -> { }, () -> false);

        assertThat(fake.server.getRequestCount()).isEqualTo(1);
        assertThat(tts.socketsOpened()).isEqualTo(1);
        assertThat(JSON.readTree(peer.nextText()).get("text").asText()).isEqualTo("One.");
        assertThat(peer.nextText()).isEqualTo("{\"type\":\"Flush\"}");
        assertThat(JSON.readTree(peer.nextText()).get("text").asText()).isEqualTo("Two.");
    }

    @Test
    void twoPhrasesAtOnceNeverShareASocket() throws Exception {
        CountDownLatch bothSpeaking = new CountDownLatch(2);
        for (int i = 0; i < 2; i++) {
            fake.accept((p, text) -> {
                if (text.contains("\"Flush\"")) {
                    bothSpeaking.countDown();
                    Thread.ofVirtual().start(() -> {
                        try {
                            bothSpeaking.await(10, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        p.send(pcm(100, 0));
                        p.send(DeepgramWire.flushed(0));
                    });
                }
            });
        }
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        Runnable speak = () -> {
            try {
                tts.synthesize("Concurrent.", a -> { }, () -> false);
            } catch (TtsException e) {
                errors.add(e);
            }
        };
        Thread t1 = Thread.ofVirtual().start(speak), t2 = Thread.ofVirtual().start(speak);
        t1.join(20_000);
        t2.join(20_000);

        assertThat(errors).isEmpty();
        assertThat(tts.socketsOpened()).isEqualTo(2);
    }

    @Test
    void cancelSendsClearAndAfterClearedTheSocketIsReused() throws Exception {
        FakeDeepgram.Peer peer = fake.accept((p, text) -> {
            if (text.contains("\"Flush\"")) {
                p.send(pcm(480, 0));   // then keeps "synthesizing": no Flushed
            } else if (text.contains("\"Clear\"")) {
                p.send(pcm(480, 1));   // audio already on its way is dropped by the client
                p.send(DeepgramWire.cleared(0));
            } else if (text.contains("\"Speak\"") && text.contains("Next")) {
                p.send(pcm(10, 2));
                p.send(DeepgramWire.flushed(1));
            }
        });
        AtomicBoolean cancelled = new AtomicBoolean();
        List<PcmAudio> chunks = new CopyOnWriteArrayList<>();

        tts.synthesize("A long answer that gets interrupted.", a -> {
            chunks.add(a);
            cancelled.set(true);
        }, cancelled::get);

        assertThat(chunks).hasSize(1);
        assertThat(peer.nextText()).contains("\"Speak\"");
        assertThat(peer.nextText()).isEqualTo("{\"type\":\"Flush\"}");
        assertThat(peer.nextText()).isEqualTo("{\"type\":\"Clear\"}");

        tts.synthesize("Next.", a -> { }, () -> false);
        assertThat(fake.server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aCancelWithoutClearedGivesTheSocketUp() throws Exception {
        FakeDeepgram.Peer peer = fake.accept((p, text) -> {
            if (text.contains("\"Flush\"")) {
                p.send(pcm(480, 0));
            }
        });
        AtomicBoolean cancelled = new AtomicBoolean();

        tts.synthesize("Interrupted.", a -> cancelled.set(true), cancelled::get);

        assertThat(peer.nextText()).contains("\"Speak\"");
        assertThat(peer.nextText()).isEqualTo("{\"type\":\"Flush\"}");
        assertThat(peer.nextText()).isEqualTo("{\"type\":\"Clear\"}");
        assertThat(peer.awaitEnd()).as("the upstream socket is really closed").isNotNull();
        fake.accept((p, text) -> speaks(p, text, pcm(10, 0)));
        tts.synthesize("Fresh.", a -> { }, () -> false);
        assertThat(tts.socketsOpened()).isEqualTo(2);
    }

    @Test
    void aWarningFailsThePhraseWithItsDescription() {
        fake.accept((p, text) -> {
            if (text.contains("\"Flush\"")) {
                p.send(DeepgramWire.warning("Flush limit exceeded. Please wait before sending more Flush messages.",
                        "FLUSH_LIMIT_EXCEEDED"));
            }
        });

        assertThatThrownBy(() -> tts.synthesize("Too many.", a -> { }, () -> false))
                .isInstanceOf(TtsException.class)
                .hasMessage("Deepgram reported a problem: Flush limit exceeded. Please wait before sending more "
                        + "Flush messages. (FLUSH_LIMIT_EXCEEDED)");
    }

    @Test
    void anErrorFailsThePhraseEvenAfterAudio() {
        fake.accept((p, text) -> {
            if (text.contains("\"Flush\"")) {
                p.send(pcm(100, 0));
                p.send(DeepgramWire.error("Internal synthesis error.", "INTERNAL_SERVER_ERROR"));
            }
        });
        List<PcmAudio> chunks = new CopyOnWriteArrayList<>();

        assertThatThrownBy(() -> tts.synthesize("Broken.", chunks::add, () -> false))
                .isInstanceOf(TtsException.class)
                .hasMessage("Deepgram reported an error: Internal synthesis error. (INTERNAL_SERVER_ERROR)");
        assertThat(chunks).hasSize(1);
    }

    @Test
    void aRefusedKeyNamesTheVariableAndNeverTheKey() {
        fake.refuse(401, "{\"err_code\":\"INVALID_AUTH\",\"err_msg\":\"Invalid credentials.\"}");

        assertThatThrownBy(() -> tts.synthesize("Hi.", a -> { }, () -> false))
                .isInstanceOf(TtsException.class)
                .hasMessage("Deepgram rejected the API key (HTTP 401: Invalid credentials.). Set DEEPGRAM_API_KEY "
                        + "to a valid key.")
                .hasMessageNotContaining(KEY);
    }

    @Test
    void aDroppedSocketMidStreamFails() throws Exception {
        FakeDeepgram.Peer peer = fake.accept((p, text) -> {
            if (text.contains("\"Flush\"")) {
                p.send(pcm(100, 0));
            }
        });
        List<PcmAudio> chunks = new CopyOnWriteArrayList<>();
        Thread.ofVirtual().start(() -> {
            try {
                peer.nextText();
                peer.nextText();
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
            fake.dropConnections();
        });

        assertThatThrownBy(() -> tts.synthesize("Dropped.", chunks::add, () -> false))
                .isInstanceOf(TtsException.class).hasMessageContaining("broke off");
        assertThat(chunks).hasSize(1);
    }

    @Test
    void noAudioWithinTheFirstByteTimeoutFailsInsteadOfHanging() {
        tts.close();
        tts = new DeepgramSpeechSynthesizer(config.withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofSeconds(1)));
        FakeDeepgram.Peer peer = fake.accept();

        assertThatThrownBy(() -> tts.synthesize("Silence.", a -> { }, () -> false))
                .isInstanceOf(TtsException.class).hasMessage("Deepgram did not start speaking within 1 second.");
        assertThat(peer.seen).isNotEmpty();
    }

    @Test
    void aPooledSocketDeepgramClosedIsReplacedWithoutLosingThePhrase() throws Exception {
        FakeDeepgram.Peer first = fake.accept((p, text) -> speaks(p, text, pcm(10, 0)));
        tts.synthesize("One.", a -> { }, () -> false);
        first.closeWith(1011, "NET-0001");
        first.awaitEnd();
        Thread.sleep(200);
        fake.accept((p, text) -> speaks(p, text, pcm(10, 0)));
        List<PcmAudio> chunks = new CopyOnWriteArrayList<>();

        tts.synthesize("Two.", chunks::add, () -> false);

        assertThat(chunks).hasSize(1);
        assertThat(tts.socketsOpened()).isEqualTo(2);
    }

    @Test
    void closingTheSynthesizerSendsCloseOnItsIdleSockets() throws Exception {
        FakeDeepgram.Peer peer = fake.accept((p, text) -> speaks(p, text, pcm(10, 0)));
        tts.synthesize("Bye.", a -> { }, () -> false);
        peer.nextText();
        peer.nextText();

        tts.close();

        assertThat(peer.nextText()).isEqualTo("{\"type\":\"Close\"}");
        assertThat(peer.awaitEnd()).isNotNull();
    }

    @Test
    void blankTextAndAMissingKeyNeedNoSocket() {
        DeepgramSpeechSynthesizer noKey = new DeepgramSpeechSynthesizer(config.withApiKey(Secret.none()));
        assertThatThrownBy(() -> noKey.synthesize("Hi.", a -> { }, () -> false)).isInstanceOf(TtsException.class)
                .hasMessage("No Deepgram API key: set DEEPGRAM_API_KEY.");
        noKey.close();
        assertThat(fake.server.getRequestCount()).isZero();
        assertThat(tts.toString()).doesNotContain(KEY);
    }
}

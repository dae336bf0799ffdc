package dev.parley.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.audio.PcmAudio;
import dev.parley.audio.WavFile;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cloud engines chosen per stage, end to end through {@code ./parley reply} on a real corpus recording: OpenAI's
 * transcription and speech endpoints faked on a local socket as the API answers, their times to first byte in the
 * turn's waterfall, and the embedded engines taking over within the turn (with a spoken apology) when the provider
 * fails.
 */
class CloudStagesTest {
    private static final Path CLIPS = Path.of(System.getProperty("parley.shared", "../../shared"), "corpus", "dev", "clips");
    private static final ObjectMapper JSON = new ObjectMapper();
    private MockWebServer openai;
    private final AtomicInteger transcriptions = new AtomicInteger(), speeches = new AtomicInteger();
    private volatile boolean sttDown;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        openai = new MockWebServer();
        openai.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                String path = r.getUrl().encodedPath();
                if (path.equals("/v1/audio/transcriptions")) {
                    transcriptions.incrementAndGet();
                    if (sttDown) {
                        return new MockResponse.Builder().code(500).addHeader("Content-Type", "application/json")
                                .body("{\"error\":{\"message\":\"The server had an error while processing your request.\",\"type\":\"server_error\"}}")
                                .build();
                    }
                    return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                            .body("{\"text\":\"What time is it?\",\"usage\":{\"type\":\"tokens\",\"total_tokens\":20}}").build();
                }
                if (path.equals("/v1/audio/speech")) {
                    speeches.incrementAndGet();
                    return new MockResponse.Builder().code(200).addHeader("Content-Type", "audio/pcm")
                            .chunkedBody(tone(), 4800).build();
                }
                return new MockResponse.Builder().code(404).build();
            }
        });
        openai.start();
    }

    @AfterEach
    void stop() {
        openai.close();
    }

    /** Half a second of a 440 Hz tone, 24 kHz PCM16 little-endian, as /audio/speech streams with response_format pcm. */
    private static Buffer tone() {
        ByteBuffer b = ByteBuffer.allocate(24_000).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 12_000; i++) b.putShort((short) (6000 * Math.sin(2 * Math.PI * 440 * i / 24_000.0)));
        return new Buffer().write(b.array());
    }

    private Path env() throws Exception {
        return Files.write(dir.resolve("test.env"), List.of("OPENAI_BASE_URL=" + openai.url("/v1"), "OPENAI_API_KEY=sk-test-cloud-stages-42"));
    }

    @Test
    void openAiHearsAndSpeaksAndItsFirstBytesAreInTheWaterfall() throws Exception {
        Path out = dir.resolve("answer.wav");
        ReplyCommandTest.Run run = ReplyCommandTest.parley("reply", CLIPS.resolve("speech2phrase__what_time_is_it.wav").toString(),
                "--out", out.toString(), "--json", "--fast", "--env-file", env().toString(), "--stt", "openai", "--tts", "openai");
        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode turn = JSON.readTree(run.out().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow());
        assertThat(turn.get("transcript").asText()).isEqualTo("What time is it?");
        assertThat(turn.get("reply").asText()).startsWith("It's ");
        assertThat(turn.at("/provider_ttfb_ms/stt_openai").isNumber()).as(turn.toString()).isTrue();
        assertThat(turn.at("/provider_ttfb_ms/tts_openai").isNumber()).as(turn.toString()).isTrue();
        assertThat(transcriptions.get()).isEqualTo(1);
        assertThat(speeches.get()).isPositive();
        PcmAudio answer = WavFile.read(out);
        assertThat(answer.length()).as("the provider's audio was played").isPositive();
        assertThat(run.out() + run.err()).doesNotContain("sk-test-cloud-stages-42");
    }

    @Test
    void whenTheProvidersRecognitionFailsTheEmbeddedOneAnswersTheSameTurnAfterAnApology() throws Exception {
        sttDown = true;
        ReplyCommandTest.Run run = ReplyCommandTest.parley("reply", CLIPS.resolve("speech2phrase__what_time_is_it.wav").toString(),
                "--out", dir.resolve("answer.wav").toString(), "--json", "--fast", "--env-file", env().toString(),
                "--stt", "openai", "--stt-timeout-ms", "3000");
        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode turn = JSON.readTree(run.out().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow());
        assertThat(turn.get("transcript").asText()).as("Vosk heard it").contains("time");
        assertThat(turn.get("reply").asText()).startsWith("Sorry, my speech recognition service failed, so I used my offline one.")
                .contains("It's ");
        assertThat(run.err()).contains("stt provider openai failed").contains("embedded took over");
        assertThat(transcriptions.get()).as("tried, with retries, before the fallback").isGreaterThanOrEqualTo(1);
    }
}

package dev.parley.transport.server;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.parley.audio.PcmAudio;
import dev.parley.audio.WavFile;
import dev.parley.dialog.TextStream;
import dev.parley.eval.CorpusManifest;
import dev.parley.eval.WordErrorRate;
import dev.parley.session.SessionConfig;
import dev.parley.embedded.testing.EmbeddedFixture;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The browser client in a real browser: Debian's Chromium, driven by Playwright, with a corpus recording as its
 * microphone, against the server on the real embedded engines. The page captures and resamples the "microphone",
 * streams it over {@code /v1/realtime}, plays the reply through its worklet and draws the latency waterfall.
 */
class BrowserClientTest {
    private static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    private static final Path SCREENSHOT = Path.of("target", "browser-client.png");

    private static ParleyServer server;
    private static Playwright playwright;

    @BeforeAll
    static void start() {
        if (!Files.isExecutable(CHROMIUM)) return; // each test says it is skipped
        var stack = EmbeddedFixture.stack();
        // the words heard, said back twice: a long reply for the barge-in test to speak over
        server = ParleyServer.start(ServerConfig.local(0, SessionConfig.DEFAULT, "cmu-slt-hsmm"),
                () -> stack.engines((history, turn) -> TextStream.of("You said: ", turn.text(), ". Once more: ", turn.text(), ".")));
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    }

    @BeforeEach
    void needsChromium() {
        assumeTrue(Files.isExecutable(CHROMIUM),
                "the browser test needs Debian's Chromium at " + CHROMIUM + " (apt-get install chromium); skipped");
    }

    @AfterAll
    static void stop() {
        if (playwright != null) playwright.close();
        if (server != null) server.close();
    }

    @Test
    void aSpokenQuestionIsTranscribedAnsweredAloudAndTimed(@TempDir Path tmp) throws IOException {
        CorpusManifest.Clip clip = EmbeddedFixture.clip(System.getProperty("parley.browser.clip", "speechbrain__spk1_snt1"));
        // Chromium loops the file: one utterance, then silence for longer than the test takes
        Path mic = BrowserAudio.write(tmp.resolve("mic.wav"), BrowserAudio.silence(1000), BrowserAudio.clip(clip),
                BrowserAudio.silence(40_000));

        try (Browser browser = launch(mic)) {
            Page page = browser.newPage(new Browser.NewPageOptions().setViewportSize(1000, 1000));
            List<String> problems = watchConsole(page);
            page.navigate(server.uri().toString());
            try {
                oneTurn(page, clip);
            } finally {
                screenshot(page, SCREENSHOT);
            }
            page.click("#start");
            awaitPage(page, "!window.parley.connected", Duration.ofSeconds(5), "the page disconnects on Stop");
            assertThat(page.textContent("#start")).isEqualTo("Start");
            assertThat(problems).as("console errors").isEmpty();
        }
    }

    /** One spoken turn through the page, checked from the microphone to the waterfall. */
    private static void oneTurn(Page page, CorpusManifest.Clip clip) {
        assertThat(page.textContent("#start")).isEqualTo("Start");
        page.click("#start");
        awaitPage(page, "window.parley.connected", Duration.ofSeconds(30), "the page connects");
        long connected = System.nanoTime();
        long chunksAtConnect = num(page, "window.parley.chunksSent");
        assertThat(page.textContent("#status")).isEqualTo("connected");
        assertThat(page.textContent("#start")).isEqualTo("Stop");

        // the user's words: live deltas, then the completed transcript, close to the manifest's
        awaitPage(page, "window.parley.transcripts.length > 0", Duration.ofSeconds(30), "a final transcript");
        String transcript = page.textContent("#partial");
        assertThat(page.getAttribute("#partial", "data-final")).isEqualTo("true");
        assertThat(num(page, "window.parley.events['conversation.item.input_audio_transcription.delta'] || 0"))
                .as("live transcript deltas").isPositive();
        assertThat(WordErrorRate.compute(clip.transcript(), transcript).wer())
                .as("heard \"%s\" for \"%s\"", transcript, clip.transcript()).isLessThanOrEqualTo(0.5);

        // the reply: text on the page, audio actually rendered by the playback worklet, all of it
        awaitPage(page, "window.parley.replies.length > 0 && window.parley.samplesPlayed > 0",
                Duration.ofSeconds(30), "the reply plays");
        awaitPage(page, "window.parley.samplesReceived > 0 && window.parley.state === 'listening'"
                + " && window.parley.samplesPlayed >= window.parley.samplesReceived", Duration.ofSeconds(30),
                "the whole reply plays");
        String reply = page.textContent("#reply");
        assertThat(reply).isEqualTo(str(page, "window.parley.replies[0]")).startsWith("You said").containsIgnoringCase(transcript);
        long received = num(page, "window.parley.samplesReceived");
        assertThat(received / 24_000.0).as("seconds of reply audio").isBetween(0.5, 10.0);
        assertThat(num(page, "window.parley.samplesPlayed")).as("samples played").isBetween(received, received + 240);
        assertThat(num(page, "window.parley.audioChunksPlayed")).isEqualTo(num(page, "window.parley.audioChunksReceived"));

        // the microphone went up as Opus (Chromium's WebCodecs encodes it), 100 ms of packets a message, in real
        // time: never faster (a busy machine can only slow the page down, so a lower bound on the rate would test the
        // machine, not the page)
        assertThat(str(page, "window.parley.inputCodec")).isEqualTo("opus");
        double seconds = (System.nanoTime() - connected) / 1e9;
        assertThat((num(page, "window.parley.chunksSent") - chunksAtConnect) / seconds).as("messages per second")
                .isPositive().isLessThanOrEqualTo(11.0);
        double kbps = dbl(page, "window.parley.inputBytesSent * 8 / window.parley.inputMsSent");
        assertThat(kbps).as("the microphone's kbit/s on the wire, base64 and JSON included").isBetween(5.0, 40.0);
        System.out.printf("browser microphone as Opus: %.1f kbit/s on the wire%n", kbps);

        // the waterfall, completed at the ear by parley.latency
        awaitPage(page, "document.querySelector('#waterfalls .waterfall[data-final=true]') !== null",
                Duration.ofSeconds(30), "the final waterfall");
        assertThat(page.locator("#waterfalls .waterfall").count()).isEqualTo(1);
        double total = Double.parseDouble(page.getAttribute("#waterfalls .waterfall", "data-total-ms"));
        // plausible: at least the endpoint silence (no upper bound: a busy machine makes any first turn slow)
        assertThat(total).isGreaterThanOrEqualTo(150.0)
                .isCloseTo(dbl(page, "window.parley.lastLatency.total_ms"), org.assertj.core.data.Offset.offset(1.0));
        double drawn = dbl(page, "[...document.querySelectorAll('#waterfalls .waterfall rect[data-segment]')]"
                + ".reduce((sum, r) => sum + Number(r.dataset.ms), 0)");
        assertThat(drawn).as("the segments add up to the total").isCloseTo(total, org.assertj.core.data.Offset.offset(4.0));
        for (String stage : List.of("endpoint", "stt", "tts", "playout")) {
            assertThat(page.locator("#waterfalls .waterfall rect[data-segment=" + stage + "]").count())
                    .as("%s segment drawn", stage).isEqualTo(1);
        }
        assertThat(dbl(page, "window.parley.lastLatency.playout_ms")).as("playout: jitter buffer and device latency")
                .isBetween(1.0, 500.0);
        assertThat(page.textContent("#p50")).matches("\\d+ ms");
        assertThat(page.textContent("#p95")).matches("\\d+ ms");
        assertThat(page.getAttribute("#p50", "data-ms")).isEqualTo(String.valueOf(Math.round(total)));

        // the conversation log holds the turn
        assertThat(page.locator("#log .turn.user .text").first().textContent()).isEqualTo(transcript);
        assertThat(page.locator("#log .turn.assistant .text").first().textContent()).isEqualTo(reply);
        assertThat(num(page, "window.parley.errors.length")).as("error events").isZero();
        System.out.println("browser turn: \"" + transcript + "\" -> \"" + reply + "\", " + Math.round(total)
                + " ms to first sound: " + page.evaluate("JSON.stringify(window.parley.lastLatency)")
                + ", playback " + page.evaluate("JSON.stringify(window.parley.lastPlayback)"));
    }

    @Test
    void speakingOverTheReplyStopsItAndTruncatesItToWhatWasHeard(@TempDir Path tmp) throws IOException {
        // a long sentence Parley says back twice (about 15 s of reply), then a command while the reply plays. The fake
        // microphone plays on in real time whatever the server does, so the command must come after the reply has
        // begun (before, it is a new turn that stops an unheard reply) and before it ends. On an idle machine the reply
        // starts 0.7 s after the sentence; under bin/contention-test it started 4.4 s late, once over 5 s: 7 s after
        // the sentence is inside the reply in both cases
        CorpusManifest.Clip sentence = EmbeddedFixture.clip("pocketsphinx__librivox_sense_0870");
        CorpusManifest.Clip command = EmbeddedFixture.clip("pocketsphinx__goforward");
        Path mic = BrowserAudio.write(tmp.resolve("mic.wav"), BrowserAudio.silence(1000), BrowserAudio.clip(sentence),
                BrowserAudio.silence(7000), BrowserAudio.clip(command), BrowserAudio.silence(40_000));

        try (Browser browser = launch(mic)) {
            Page page = browser.newPage(new Browser.NewPageOptions().setViewportSize(1000, 1000));
            List<String> problems = watchConsole(page);
            page.navigate(server.uri().resolve("/?codec=pcm").toString()); // the PCM16 fallback
            try {
                bargeIn(page);
            } finally {
                screenshot(page, SCREENSHOT.resolveSibling("browser-client-barge-in.png"));
            }
            assertThat(problems).as("console errors").isEmpty();
        }
    }

    private static void bargeIn(Page page) {
        page.click("#start");
        awaitPage(page, "window.parley.truncated > 0", Duration.ofSeconds(45), "a barge-in truncates the reply");
        assertThat(num(page, "window.parley.bargeIns")).isEqualTo(1);
        assertThat(num(page, "window.parley.truncatesSent")).isEqualTo(1);
        long audioEndMs = num(page, "window.parley.lastTruncate.audio_end_ms");
        long receivedMs = num(page, "window.parley.samplesReceived") / 24;
        // at most all that was received: on a busy machine the command can come in the gap after the first phrase,
        // while the long second one is still being synthesised
        assertThat(audioEndMs).as("heard of the reply, ms").isGreaterThan(200).isLessThanOrEqualTo(receivedMs);
        assertThat(page.locator("#log .turn.assistant.interrupted").count()).isEqualTo(1);
        assertThat(str(page, "window.parley.inputCodec")).as("?codec=pcm").isEqualTo("pcm");
        System.out.printf("browser microphone as PCM16: %.1f kbit/s on the wire%n",
                dbl(page, "window.parley.inputBytesSent * 8 / window.parley.inputMsSent"));
        // playback stopped at once: nothing more of the first reply is rendered
        assertThat(num(page, "window.parley.msPlayed")).isBetween(audioEndMs - 5, audioEndMs + 50);

        // and the words that interrupted are answered
        awaitPage(page, "window.parley.playbackStartedSent >= 2 && window.parley.replies.length >= 2",
                Duration.ofSeconds(30), "the interrupting words are answered");
        assertThat(str(page, "window.parley.replies[1]")).containsIgnoringCase("forward");
        assertThat(num(page, "window.parley.errors.length")).as("error events").isZero();
        System.out.println("barge-in: heard " + audioEndMs + " of " + receivedMs + " ms; "
                + page.evaluate("JSON.stringify({replies: window.parley.replies, transcripts: window.parley.transcripts})"));
    }

    // ---------------------------------------------------------------- helpers

    private static void screenshot(Page page, Path file) {
        try {
            Files.createDirectories(file.getParent());
            page.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(true));
        } catch (IOException | RuntimeException e) {
            System.err.println("no screenshot " + file + ": " + e);
        }
    }

    private static Browser launch(Path mic) {
        return playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(CHROMIUM).setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--autoplay-policy=no-user-gesture-required", "--use-fake-ui-for-media-stream",
                        "--use-fake-device-for-media-stream", "--disable-dev-shm-usage",
                        "--use-file-for-fake-audio-capture=" + mic.toAbsolutePath())));
    }

    /** Console errors and uncaught exceptions of the page. */
    private static List<String> watchConsole(Page page) {
        var seen = new ConcurrentLinkedQueue<String>();
        page.onConsoleMessage(m -> {
            if (m.type().equals("error")) seen.add("console: " + m.text());
        });
        page.onPageError(e -> seen.add("uncaught: " + e));
        return new ListView(seen);
    }

    /** Waits, polling on the test thread (Playwright is not thread-safe), and says what the page held on timeout. */
    private static void awaitPage(Page page, String condition, Duration timeout, String what) {
        try {
            await(what).atMost(timeout).pollInSameThread().pollInterval(Duration.ofMillis(100))
                    .until(() -> Boolean.TRUE.equals(page.evaluate("() => !!(" + condition + ")")));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "; the page holds " + state(page), e);
        }
    }

    private static String state(Page page) {
        return String.valueOf(page.evaluate("JSON.stringify({...window.parley, status: document.querySelector('#status').textContent})"));
    }

    private static long num(Page page, String expression) {
        return Math.round(((Number) page.evaluate(expression)).doubleValue());
    }

    private static double dbl(Page page, String expression) {
        return ((Number) page.evaluate(expression)).doubleValue();
    }

    private static String str(Page page, String expression) {
        return String.valueOf(page.evaluate(expression));
    }

    /** A live list view of a concurrent queue, for AssertJ. */
    private static final class ListView extends java.util.AbstractList<String> {
        private final ConcurrentLinkedQueue<String> q;

        ListView(ConcurrentLinkedQueue<String> q) {
            this.q = q;
        }

        @Override
        public String get(int i) {
            return new ArrayList<>(q).get(i);
        }

        @Override
        public int size() {
            return q.size();
        }
    }

    /** The fake microphone's recording: corpus clips and silence at 16 kHz, 16-bit PCM mono. */
    static final class BrowserAudio {
        static final int RATE = 16_000;

        static PcmAudio silence(long ms) {
            return PcmAudio.silence(RATE, ms);
        }

        static PcmAudio clip(CorpusManifest.Clip clip) throws IOException {
            PcmAudio a = WavFile.read(EmbeddedFixture.corpus().resolve(clip.file()));
            if (a.sampleRate() != RATE) throw new IllegalArgumentException(clip.name() + " is not at " + RATE + " Hz");
            return a;
        }

        static Path write(Path file, PcmAudio... parts) throws IOException {
            int n = 0;
            for (PcmAudio p : parts) n += p.length();
            short[] all = new short[n];
            int at = 0;
            for (PcmAudio p : parts) {
                System.arraycopy(p.samples(), 0, all, at, p.length());
                at += p.length();
            }
            WavFile.write(file, new PcmAudio(all, RATE));
            return file;
        }
    }
}

package dev.parley.providers;

import dev.parley.audio.PcmAudio;
import dev.parley.failover.Outage;
import dev.parley.dialog.FallbackDialog;
import dev.parley.dialog.TextStream;
import dev.parley.latency.Waterfall;
import dev.parley.providers.http.RetryPolicy;
import dev.parley.providers.http.Secret;
import dev.parley.providers.openai.OpenAiChatBrain;
import dev.parley.providers.openai.OpenAiChatConfig;
import dev.parley.providers.openai.OpenAiSpeechConfig;
import dev.parley.providers.openai.OpenAiSpeechRecognizer;
import dev.parley.providers.openai.OpenAiSpeechSynthesizer;
import dev.parley.session.SessionConfig;
import dev.parley.session.SessionEvent;
import dev.parley.session.VoiceSession;
import dev.parley.stt.FallbackRecognizer;
import dev.parley.testing.Fakes.FakeClock;
import dev.parley.testing.Fakes.LoudnessVad;
import dev.parley.testing.Fakes.RecordingSink;
import dev.parley.testing.Fakes.Script;
import dev.parley.testing.Fakes.ScriptedStt;
import dev.parley.testing.Fakes.ToneTts;
import dev.parley.testing.ManualScheduler;
import dev.parley.testing.RecordingTimers;
import dev.parley.tts.FallbackSynthesizer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The measured failure of issue 13, on real sockets: every cloud provider (STT, LLM, TTS) accepts the connection and
 * never answers. Each one's own timeout is a minute here, so only the turn's budget can get the user an answer: the
 * first audio comes within it, from the fallbacks, and the next turn goes straight to them without touching the
 * stalled server. Time is fake (the session's clock and the races' timers are one {@link RecordingTimers}); the test
 * waits on latches and timers being set, never on sleeps.
 */
class StalledProvidersTest {
    private static final Duration NEVER = Duration.ofSeconds(60);

    /** Accepts connections, reads whatever comes, answers nothing. */
    private static final class StallingServer implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final AtomicInteger connections = new AtomicInteger();
        final Semaphore connected = new Semaphore(0);
        final ConcurrentLinkedQueue<Socket> open = new ConcurrentLinkedQueue<>();

        StallingServer() throws IOException {
            Thread.ofPlatform().daemon().name("stalling-accept").start(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket s = socket.accept();
                        open.add(s);
                        connections.incrementAndGet();
                        connected.release();
                        Thread.ofVirtual().start(() -> drain(s));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        private static void drain(Socket s) {
            try (InputStream in = s.getInputStream()) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            } catch (IOException e) {
                // closed
            }
        }

        String url() {
            return "http://127.0.0.1:" + socket.getLocalPort() + "/v1";
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : open) s.close();
        }
    }

    private final RecordingTimers timers = new RecordingTimers();
    /** The outages' probes: never run here, so the outages last the whole test. */
    private final ManualScheduler probes = new ManualScheduler();
    private final List<SessionEvent> events = new CopyOnWriteArrayList<>();
    private final Semaphore turnsCompleted = new Semaphore(0);
    private StallingServer server;

    @AfterEach
    void stop() throws IOException {
        if (server != null) server.close();
    }

    private Outage outage() {
        return new Outage(timers::nanoTime, Duration.ofSeconds(5), Duration.ofSeconds(60), probes, () -> false);
    }

    private void on(SessionEvent e) {
        events.add(e);
        if (e instanceof SessionEvent.TurnCompleted) turnsCompleted.release();
    }

    private void feed(VoiceSession session, PcmAudio audio) {
        int chunk = audio.sampleRate() / 50;
        for (int i = 0; i < audio.length(); i += chunk) {
            PcmAudio piece = audio.slice(i, Math.min(audio.length(), i + chunk));
            timers.advance(Duration.ofNanos(piece.durationNanos()));
            session.accept(piece);
        }
    }

    /**
     * Once the provider of the race just started has its request on the stalling socket, moves fake time to the race's
     * hedge (its hedge and deadline timers are set together).
     */
    private void hedge() throws InterruptedException {
        Duration hedge = timers.next();
        Duration deadline = timers.next();
        assertThat(hedge).isLessThan(deadline);
        assertThat(server.connected.tryAcquire(10, TimeUnit.SECONDS)).as("the provider called the stalling server").isTrue();
        timers.advance(hedge);
    }

    @Test
    void withEveryProviderStalledTheFirstAudioComesWithinTheBudgetAndTheNextTurnSkipsThem() throws Exception {
        server = new StallingServer();
        OpenAiSpeechConfig speech = OpenAiSpeechConfig.defaults().withBaseUrl(server.url())
                .withApiKey(Secret.of("sk-test-0123456789abcdef")).withTimeouts(Duration.ofSeconds(5), NEVER, NEVER)
                .withRetry(RetryPolicy.none());
        OpenAiChatConfig chat = OpenAiChatConfig.defaults().withBaseUrl(server.url())
                .withApiKey(Secret.of("sk-test-0123456789abcdef")).withTimeouts(Duration.ofSeconds(5), NEVER, NEVER)
                .withRetry(RetryPolicy.none());
        ToneTts backupVoice = new ToneTts(null, 0);
        ScriptedStt offlineStt = new ScriptedStt(new FakeClock(), 0, "what time is it", "and now");
        RecordingSink sink = new RecordingSink(false);
        SessionConfig config = SessionConfig.DEFAULT.withDetection(SessionConfig.TurnDetection.SILENCE);
        assertThat(config.firstAudioMs()).isEqualTo(3000);
        try (OpenAiChatBrain llm = new OpenAiChatBrain(chat);
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
             VoiceSession session = new VoiceSession(new VoiceSession.Engines(new LoudnessVad(),
                     new FallbackRecognizer(new OpenAiSpeechRecognizer(speech), "openai", offlineStt, "embedded", outage(), timers),
                     new FallbackDialog(llm.newDialog(), "openai", (history, turn) -> TextStream.of("It's ten o'clock."),
                             "skills", outage(), timers),
                     new FallbackSynthesizer(new OpenAiSpeechSynthesizer(speech), "openai", backupVoice, "embedded", outage(), timers)),
                     sink, config, this::on, timers::nanoTime, pool)) {
            feed(session, new Script().silence(300).speech(800).silence(400).build());
            hedge(); // STT: the offline recogniser hears the kept audio
            hedge(); // TTS, on the first phrase (the STT's apology): the backup voice
            hedge(); // LLM: the skills
            assertThat(turnsCompleted.tryAcquire(10, TimeUnit.SECONDS)).as("turn 1 completed").isTrue();
            assertThat(events).filteredOn(SessionEvent.ProviderFailedOver.class::isInstance)
                    .extracting(e -> ((SessionEvent.ProviderFailedOver) e).failover().reason())
                    .as("each lost its race; none failed").containsOnly("no transcript within the turn's budget",
                            "no audio within the turn's budget", "no answer within the turn's budget");

            Waterfall first = completed().getFirst().waterfall();
            assertThat(first.endToEndMs()).as("first audio from the end of speech, in fake time").isLessThanOrEqualTo(3000);
            assertThat(completed().getFirst().replyText()).contains("It's ten o'clock.");
            assertThat(events).filteredOn(SessionEvent.ProviderFailedOver.class::isInstance).hasSize(3);

            feed(session, new Script().silence(300).speech(800).silence(400).build());
            assertThat(turnsCompleted.tryAcquire(10, TimeUnit.SECONDS)).as("turn 2 completed without moving time").isTrue();
            Waterfall second = completed().get(1).waterfall();
            assertThat(timers.unseen()).as("no race: every stage went straight to its fallback").isZero();
            assertThat(second.endToEndMs()).as("no wait beyond the endpoint").isLessThan(first.endToEndMs());
            assertThat(server.connections).as("the stalled server was not called again").hasValue(3);
            assertThat(completed().get(1).userText()).isEqualTo("and now");
        }
    }

    private List<SessionEvent.TurnCompleted> completed() {
        return events.stream().filter(SessionEvent.TurnCompleted.class::isInstance).map(SessionEvent.TurnCompleted.class::cast).toList();
    }
}

package dev.parley.session;

import dev.parley.audio.PcmAudio;
import dev.parley.dialog.Dialog;
import dev.parley.dialog.DialogContext;
import dev.parley.dialog.Message;
import dev.parley.dialog.TextStream;
import dev.parley.failover.Failover;
import dev.parley.failover.Outage;
import dev.parley.failover.ProviderEvents;
import dev.parley.failover.ProviderTiming;
import dev.parley.stt.FallbackRecognizer;
import dev.parley.stt.RecognitionStream;
import dev.parley.stt.SpeechRecognizer;
import dev.parley.stt.Transcript;
import dev.parley.testing.Fakes.Script;
import dev.parley.testing.Fakes.ToneTts;
import dev.parley.tts.SpeechSynthesizer;
import dev.parley.latency.Waterfall;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** What cloud engines tell a session: their times to first byte, a fallback taking over, their own end of turn. */
class VoiceSessionProvidersTest {
    private final SessionHarness harness = new SessionHarness();

    /** A session with the cloud brain and voice, hearing through {@code stt}. */
    private SessionHarness.SessionBuilder cloud(SpeechRecognizer stt) {
        return harness.session().stt(stt).dialog(new CloudBrain()).tts(new CloudTts());
    }

    /** Opens {@code session} on a pool, speaks one turn to it and waits until that turn has completed. */
    private void speakOneTurn(SessionHarness.SessionBuilder session) throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
             VoiceSession s = session.on(pool).open()) {
            harness.feed(s, new Script().silence(300).speech(800).silence(700));
            harness.awaitTurnsCompleted(1);
        }
    }

    /** A recogniser that reports a time to first byte, and says the turn is over once it heard {@code endAfter} samples. */
    private static final class CloudStt implements SpeechRecognizer {
        final String text;
        final long endAfter;

        CloudStt(String text, long endAfter) {
            this.text = text;
            this.endAfter = endAfter;
        }

        @Override
        public RecognitionStream open(ProviderEvents events) {
            return new RecognitionStream() {
                long heard;

                @Override
                public String accept(short[] pcm, int offset, int length) {
                    heard += length;
                    return text;
                }

                @Override
                public boolean endOfTurn() {
                    return heard >= endAfter;
                }

                @Override
                public Transcript finish() {
                    events.timing(new ProviderTiming("deepgram", "stt", 42_000_000));
                    return new Transcript(text, 0.9);
                }

                @Override
                public void close() {
                }
            };
        }
    }

    /** A brain that reports its provider's first byte through the session's context. */
    private static final class CloudBrain implements Dialog {
        volatile DialogContext context;

        @Override
        public TextStream respond(List<Message> history, Transcript userTurn) {
            context.providers().timing(new ProviderTiming("openai", "llm", 250_000_000));
            return TextStream.of("Hello.");
        }

        @Override
        public void attach(DialogContext context) {
            this.context = context;
        }
    }

    /** A voice that reports its first byte. */
    private static final class CloudTts implements SpeechSynthesizer {
        final ToneTts tone = new ToneTts(null, 0);

        @Override
        public int sampleRate() {
            return 16_000;
        }

        @Override
        public void synthesize(String text, Consumer<PcmAudio> out, BooleanSupplier cancelled, ProviderEvents events) {
            events.timing(new ProviderTiming("deepgram", "tts", 80_000_000));
            tone.synthesize(text, out, cancelled, events);
        }
    }

    @Test
    void everyProvidersTimeToFirstByteIsInTheTurnsWaterfall() throws Exception {
        speakOneTurn(cloud(new CloudStt("hi", Long.MAX_VALUE)));
        Waterfall w = harness.eventsOf(SessionEvent.TurnCompleted.class).getFirst().waterfall();
        assertThat(w.providerTtfbMs()).containsExactly(java.util.Map.entry("stt_deepgram", 42.0),
                java.util.Map.entry("llm_openai", 250.0), java.util.Map.entry("tts_deepgram", 80.0));
        assertThat(w.summary()).endsWith("; first byte deepgram stt 42 · openai llm 250 · deepgram tts 80");
    }

    @Test
    void aProvidersOwnEndOfTurnEndsItWithoutWaitingOutTheSilence() throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
             VoiceSession s = cloud(new CloudStt("hi", 0)).on(pool).open()) {
            harness.feed(s, new Script().silence(300).speech(800).silence(100));
            assertThat(harness.eventsOf(SessionEvent.InputCommitted.class)).as("ended within 100 ms of silence, not 300").hasSize(1);
            harness.awaitTurnsCompleted(1);
        }
        assertThat(harness.eventsOf(SessionEvent.TurnCompleted.class).getFirst().waterfall().endpointMs()).isLessThan(150);
    }

    @Test
    void withoutTheProvidersEndOfTurnTheSessionsOwnEndpointerEndsIt() throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
             VoiceSession s = cloud(new CloudStt("hi", Long.MAX_VALUE)).on(pool).open()) {
            harness.feed(s, new Script().silence(300).speech(800).silence(100));
            assertThat(harness.eventsOf(SessionEvent.InputCommitted.class)).isEmpty();
            harness.feed(s, new Script().silence(400));
            assertThat(harness.eventsOf(SessionEvent.InputCommitted.class)).hasSize(1);
        }
    }

    @Test
    void aFailedRecogniserIsReplacedWithinTheTurnAndTheReplyBeginsWithAnApology() throws Exception {
        SpeechRecognizer broken = events -> new RecognitionStream() {
            @Override
            public String accept(short[] pcm, int offset, int length) {
                return "";
            }

            @Override
            public Transcript finish() {
                throw new IllegalStateException("first byte timeout after 10 s");
            }

            @Override
            public void close() {
            }
        };
        SpeechRecognizer stt = new FallbackRecognizer(broken, "openai", harness.stt(0, "what time is it"), "embedded",
                Outage.standard());
        ToneTts tts = new ToneTts(null, 0);
        speakOneTurn(cloud(stt).tts(tts));
        assertThat(harness.eventsOf(SessionEvent.FinalTranscript.class).getFirst().transcript().text()).isEqualTo("what time is it");
        assertThat(harness.eventsOf(SessionEvent.ProviderFailedOver.class)).extracting(SessionEvent.ProviderFailedOver::failover)
                .containsExactly(new Failover("stt", "openai", "embedded", "first byte timeout after 10 s"));
        assertThat(tts.spoken).containsExactly("Sorry, my speech recognition service failed, so I used my offline one.", "Hello.");
    }
}

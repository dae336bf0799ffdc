package dev.parley.failover;

import dev.parley.audio.PcmAudio;
import dev.parley.dialog.Dialog;
import dev.parley.dialog.DialogContext;
import dev.parley.dialog.DialogException;
import dev.parley.dialog.FallbackDialog;
import dev.parley.dialog.Message;
import dev.parley.dialog.TextStream;
import dev.parley.stt.FallbackRecognizer;
import dev.parley.stt.RecognitionStream;
import dev.parley.stt.SpeechRecognizer;
import dev.parley.stt.Transcript;
import dev.parley.tts.FallbackSynthesizer;
import dev.parley.tts.SpeechSynthesizer;
import dev.parley.tts.TtsException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** The fallbacks that take over a failed provider within the same turn. */
class FallbackEnginesTest {
    private final AtomicLong now = new AtomicLong(1);
    private final Outage outage = new Outage(now::get, 30_000_000_000L);
    private final ProviderLog log = new ProviderLog();

    /** Counts the audio it hears; fails where told to. */
    private static final class Recogniser implements SpeechRecognizer {
        final String text;
        final boolean failOnAccept, failOnFinish;
        int opened, closed;

        Recogniser(String text, boolean failOnAccept, boolean failOnFinish) {
            this.text = text;
            this.failOnAccept = failOnAccept;
            this.failOnFinish = failOnFinish;
        }

        @Override
        public RecognitionStream open(ProviderEvents events) {
            opened++;
            return new RecognitionStream() {
                long heard;

                @Override
                public String accept(short[] pcm, int offset, int length) {
                    if (failOnAccept && heard > 0) throw new IllegalStateException("socket dropped");
                    heard += length;
                    return "partial";
                }

                @Override
                public Transcript finish() {
                    if (failOnFinish) throw new IllegalStateException("HTTP 503 from the provider\nsecond line");
                    return new Transcript(text + " (" + heard + ")", 0.8);
                }

                @Override
                public void close() {
                    closed++;
                }
            };
        }
    }

    @Test
    void aRecogniserThatFailsAtTheEndHandsTheWholeUtteranceToItsFallback() {
        Recogniser cloud = new Recogniser("cloud", false, true), local = new Recogniser("local", false, false);
        FallbackRecognizer stt = new FallbackRecognizer(cloud, "deepgram", local, "embedded", outage);
        RecognitionStream s = stt.open(log);
        assertThat(s.accept(new short[1600], 0, 1600)).isEqualTo("partial");
        s.accept(new short[800], 0, 800);
        assertThat(s.finish().text()).isEqualTo("local (2400)");
        s.close();
        assertThat(cloud.closed).as("the failed stream is closed").isEqualTo(1);
        assertThat(log.failovers()).containsExactly(new Failover("stt", "deepgram", "embedded", "HTTP 503 from the provider"));
        assertThat(outage.active()).isTrue();

        RecognitionStream next = stt.open(log);
        next.accept(new short[160], 0, 160);
        assertThat(next.finish().text()).as("while the provider is down, straight to the fallback").isEqualTo("local (160)");
        assertThat(cloud.opened).isEqualTo(1);
        assertThat(log.failovers()).hasSize(1);

        now.addAndGet(31_000_000_000L);
        stt.open(log).close();
        assertThat(cloud.opened).as("tried again after the outage interval").isEqualTo(2);
    }

    @Test
    void aRecogniserThatFailsWhileStreamingGoesOnWithTheFallbackFromTheFirstSample() {
        Recogniser cloud = new Recogniser("cloud", true, false), local = new Recogniser("local", false, false);
        RecognitionStream s = new FallbackRecognizer(cloud, "openai", local, "embedded", outage).open(log);
        s.accept(new short[100], 0, 100);
        assertThat(s.accept(new short[50], 0, 50)).as("the failing chunk is replayed to the fallback").isEqualTo("partial");
        s.accept(new short[25], 0, 25);
        assertThat(s.finish().text()).isEqualTo("local (175)");
        assertThat(log.failovers()).extracting(Failover::reason).containsExactly("socket dropped");
    }

    @Test
    void aWorkingRecogniserIsUsedAsIs() {
        Recogniser cloud = new Recogniser("cloud", false, false), local = new Recogniser("local", false, false);
        RecognitionStream s = new FallbackRecognizer(cloud, "openai", local, "embedded", outage).open(log);
        s.accept(new short[10], 0, 10);
        assertThat(s.finish().text()).isEqualTo("cloud (10)");
        assertThat(local.opened).isZero();
        assertThat(log.failovers()).isEmpty();
    }

    /** Delivers 10 ms chunks at its rate; fails after {@code failAfter} chunks (negative: never). */
    private static final class Voice implements SpeechSynthesizer {
        final int rate, failAfter;
        final List<String> said = new ArrayList<>();

        Voice(int rate, int failAfter) {
            this.rate = rate;
            this.failAfter = failAfter;
        }

        @Override
        public int sampleRate() {
            return rate;
        }

        @Override
        public void synthesize(String text, Consumer<PcmAudio> out, BooleanSupplier cancelled, ProviderEvents events)
                throws TtsException {
            said.add(text);
            for (int i = 0; i < 5 && !cancelled.getAsBoolean(); i++) {
                if (i == failAfter) throw new TtsException("voice service returned 500", null);
                out.accept(new PcmAudio(new short[rate / 100], rate));
            }
        }
    }

    @Test
    void aVoiceThatFailsApologisesInTheFallbackVoiceAtTheProvidersRate() throws TtsException {
        Voice cloud = new Voice(24_000, 0), local = new Voice(16_000, -1);
        FallbackSynthesizer tts = new FallbackSynthesizer(cloud, "openai", local, "embedded", outage);
        assertThat(tts.sampleRate()).isEqualTo(24_000);
        List<PcmAudio> out = new ArrayList<>();
        tts.synthesize("Hello there.", out::add, () -> false, log);
        assertThat(local.said).containsExactly("Sorry, my voice service failed, so here's my backup voice.", "Hello there.");
        assertThat(out).allSatisfy(a -> assertThat(a.sampleRate()).isEqualTo(24_000));
        int samples = out.stream().mapToInt(PcmAudio::length).sum();
        assertThat(samples).as("2 phrases × 50 ms at 24 kHz, resampled").isBetween(2 * 1200 - 10, 2 * 1200 + 10);
        assertThat(log.failovers()).extracting(Failover::stage, Failover::from).containsExactly(
                org.assertj.core.groups.Tuple.tuple("tts", "openai"));

        tts.synthesize("And again.", out::add, () -> false, log);
        assertThat(local.said).as("no second apology while the provider is down").endsWith("And again.").hasSize(3);
        assertThat(cloud.said).hasSize(1);
    }

    @Test
    void aCancelledPhraseIsNotHandedToTheFallback() {
        Voice cloud = new Voice(24_000, 1), local = new Voice(16_000, -1);
        FallbackSynthesizer tts = new FallbackSynthesizer(cloud, "openai", local, "embedded", outage);
        try {
            tts.synthesize("Hi.", a -> { }, () -> false, log);
        } catch (TtsException e) {
            throw new AssertionError(e);
        }
        assertThat(local.said).as("failed after its first chunk: apology and phrase in the fallback voice").hasSize(2);
        Voice cloud2 = new Voice(24_000, 1), local2 = new Voice(16_000, -1);
        FallbackSynthesizer tts2 = new FallbackSynthesizer(cloud2, "openai", local2, "embedded", new Outage(now::get, 1));
        boolean[] stop = {false};
        try {
            tts2.synthesize("Hi.", a -> stop[0] = true, () -> stop[0], log);
        } catch (TtsException e) {
            throw new AssertionError(e);
        }
        assertThat(local2.said).isEmpty();
    }

    /** Says its pieces; fails after {@code failAfter} of them (negative: never). */
    private static final class Brain implements Dialog {
        final String[] pieces;
        final int failAfter;
        int turns;
        DialogContext context;

        Brain(int failAfter, String... pieces) {
            this.failAfter = failAfter;
            this.pieces = pieces;
        }

        @Override
        public TextStream respond(List<Message> history, Transcript userTurn) {
            turns++;
            return new TextStream() {
                int i;

                @Override
                public String next() throws DialogException {
                    if (i == failAfter) throw new DialogException("HTTP 502 from https://api.example.com/v1");
                    return i < pieces.length ? pieces[i++] : null;
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public void attach(DialogContext context) {
            this.context = context;
        }
    }

    private static String all(TextStream s) throws DialogException {
        StringBuilder b = new StringBuilder();
        for (String p; (p = s.next()) != null; ) b.append(p);
        return b.toString();
    }

    private DialogContext context() {
        return new DialogContext() {
            @Override
            public void say(String text) {
            }

            @Override
            public ProviderEvents providers() {
                return log;
            }
        };
    }

    @Test
    void aBrainThatFailsBeforeSayingAnythingIsAnsweredForByTheFallbackAfterAnApology() throws DialogException {
        Brain llm = new Brain(0, "never"), skills = new Brain(-1, "It's ", "noon.");
        FallbackDialog d = new FallbackDialog(llm, "openai", skills, "skills", outage);
        d.attach(context());
        assertThat(skills.context).as("both brains get the session's context").isNotNull();
        assertThat(all(d.respond(List.of(), "what time is it")))
                .isEqualTo("Sorry, I couldn't reach my language model, so here's my offline answer. It's noon.");
        assertThat(log.failovers()).extracting(Failover::reason).containsExactly("HTTP 502 from https://api.example.com/v1");
        assertThat(all(d.respond(List.of(), "and now"))).as("down: straight to the fallback").isEqualTo("It's noon.");
        assertThat(llm.turns).isEqualTo(1);
    }

    @Test
    void aBrainThatFailsMidReplyEndsWithAnApology() throws DialogException {
        Brain llm = new Brain(2, "The capital ", "of France ", "is Paris."), skills = new Brain(-1, "x");
        FallbackDialog d = new FallbackDialog(llm, "openai", skills, "skills", outage);
        d.attach(context());
        assertThat(all(d.respond(List.of(), "capital of france")))
                .isEqualTo("The capital of France  Sorry, I lost the connection to my language model.");
        assertThat(skills.turns).isZero();
    }
}

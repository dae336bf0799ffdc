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
import dev.parley.testing.ManualScheduler;
import dev.parley.testing.RecordingTimers;
import dev.parley.tts.FallbackSynthesizer;
import dev.parley.tts.SpeechSynthesizer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each stage's fallback racing a stalled provider within the turn's budget, on fake time: the answer comes at the
 * hedge point (half of what is left), not after the provider's own timeout, and the next turn skips the provider.
 */
class BudgetedFallbacksTest {
    private final RecordingTimers timers = new RecordingTimers();
    /** Never probed here (its time never moves): the outage lasts the whole test. */
    private final ManualScheduler probeTimers = new ManualScheduler();
    private final Outage outage = new Outage(timers::nanoTime, Duration.ofSeconds(5), Duration.ofSeconds(60), probeTimers, () -> true);
    private final ProviderLog log = new ProviderLog();
    /** Released at the end: what the stalled providers wait for. */
    private final CountDownLatch stall = new CountDownLatch(1);

    BudgetedFallbacksTest() {
        log.budget(TurnBudget.starting(timers::nanoTime, timers.nanoTime(), 3000));
    }

    @AfterEach
    void release() {
        stall.countDown();
    }

    private static <T> CompletableFuture<T> async(Callable<T> call) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return call.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private long elapsedMs() {
        return (timers.nanoTime() - 1) / 1_000_000;
    }

    /** A recogniser whose final transcript never comes (until closed), or comes at once. */
    private final class Recogniser implements SpeechRecognizer {
        final String text;
        final AtomicInteger opened = new AtomicInteger(), closed = new AtomicInteger();

        Recogniser(String text) {
            this.text = text;
        }

        @Override
        public RecognitionStream open(ProviderEvents events) {
            opened.incrementAndGet();
            CountDownLatch shut = new CountDownLatch(1);
            return new RecognitionStream() {
                long heard;

                @Override
                public String accept(short[] pcm, int offset, int length) {
                    heard += length;
                    return "";
                }

                @Override
                public Transcript finish() {
                    if (text != null) return new Transcript(text + " (" + heard + ")", 0.9);
                    try {
                        shut.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    throw new IllegalStateException("closed");
                }

                @Override
                public void close() {
                    closed.incrementAndGet();
                    shut.countDown();
                }
            };
        }
    }

    @Test
    void aStalledRecogniserIsRacedByItsFallbackOnTheKeptAudio() throws Exception {
        Recogniser cloud = new Recogniser(null), local = new Recogniser("what time is it");
        FallbackRecognizer stt = new FallbackRecognizer(cloud, "openai", local, "embedded", outage, timers);
        RecognitionStream s = stt.open(log);
        s.accept(new short[1600], 0, 1600);
        CompletableFuture<Transcript> said = async(s::finish);
        timers.advance(timers.next());
        assertThat(said.get(10, TimeUnit.SECONDS).text()).isEqualTo("what time is it (1600)");
        assertThat(elapsedMs()).isEqualTo(1500);
        assertThat(cloud.closed).as("the stalled request is abandoned").hasPositiveValue();
        assertThat(log.failovers()).containsExactly(new Failover("stt", "openai", "embedded", "no transcript within the turn's budget"));
        assertThat(outage.active()).isTrue();
        s.close();

        RecognitionStream next = stt.open(new ProviderLog());
        assertThat(next.finish().text()).as("the next turn goes straight to the fallback").isEqualTo("what time is it (0)");
        assertThat(cloud.opened).hasValue(1);
    }

    @Test
    void aRecogniserThatAnswersWithinTheHedgeKeepsItsTurnAndTheFallbackNeverRuns() {
        Recogniser cloud = new Recogniser("cloud"), local = new Recogniser("local");
        RecognitionStream s = new FallbackRecognizer(cloud, "openai", local, "embedded", outage, timers).open(log);
        assertThat(s.finish().text()).isEqualTo("cloud (0)");
        assertThat(local.opened).hasValue(0);
        assertThat(outage.active()).isFalse();
    }

    /** A brain whose first words never come (until closed), or one that answers at once. */
    private final class Brain implements Dialog {
        final String answer;
        final AtomicInteger turns = new AtomicInteger();
        /** Counted down when a stream of this brain is closed (on whichever thread gets there). */
        final CountDownLatch closed = new CountDownLatch(1);

        Brain(String answer) {
            this.answer = answer;
        }

        @Override
        public TextStream respond(List<Message> history, Transcript userTurn) {
            turns.incrementAndGet();
            if (answer != null) return TextStream.of(answer);
            CountDownLatch shut = new CountDownLatch(1);
            return new TextStream() {
                @Override
                public String next() throws DialogException {
                    try {
                        shut.await();
                    } catch (InterruptedException e) {
                        throw new DialogException("interrupted", e);
                    }
                    return null;
                }

                @Override
                public void close() {
                    closed.countDown();
                    shut.countDown();
                }
            };
        }
    }

    private FallbackDialog brains(Brain llm, Brain skills) {
        FallbackDialog d = new FallbackDialog(llm, "openai", skills, "skills", outage, timers);
        d.attach(new DialogContext() {
            @Override
            public void say(String text) {
            }

            @Override
            public ProviderEvents providers() {
                return log;
            }
        });
        return d;
    }

    @Test
    void aStalledBrainIsRacedByItsFallbackWhichAnswersAfterAnApology() throws Exception {
        Brain llm = new Brain(null), skills = new Brain("It's ten o'clock.");
        FallbackDialog d = brains(llm, skills);
        TextStream s = d.respond(List.of(), "what time is it");
        CompletableFuture<String> first = async(s::next);
        timers.advance(timers.next());
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("Sorry, I couldn't reach my language model, so here's my offline answer. ");
        assertThat(s.next()).isEqualTo("It's ten o'clock.");
        assertThat(s.next()).isNull();
        assertThat(elapsedMs()).isEqualTo(1500);
        assertThat(llm.closed.await(10, TimeUnit.SECONDS)).as("the stalled request is closed").isTrue();
        assertThat(log.failovers()).extracting(Failover::stage).containsExactly("llm");

        assertThat(d.respond(List.of(), "and now").next()).as("next turn: straight to the fallback").isEqualTo("It's ten o'clock.");
        assertThat(llm.turns).hasValue(1);
    }

    @Test
    void whenBothBrainsStallTheSpentBudgetIsApologisedFor() throws Exception {
        FallbackDialog d = brains(new Brain(null), new Brain(null));
        TextStream s = d.respond(List.of(), "what time is it");
        CompletableFuture<String> first = async(s::next);
        timers.next();
        timers.next();
        timers.advance(Duration.ofSeconds(3));
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(FallbackDialog.STILL_THINKING);
        s.close();
    }

    /** A voice whose audio never comes (it waits for the test's end), or 10 ms chunks at once. */
    private final class Voice implements SpeechSynthesizer {
        final boolean stalls;
        final List<String> said = new CopyOnWriteArrayList<>();

        Voice(boolean stalls) {
            this.stalls = stalls;
        }

        @Override
        public int sampleRate() {
            return 16_000;
        }

        @Override
        public void synthesize(String text, Consumer<PcmAudio> out, BooleanSupplier cancelled, ProviderEvents events) {
            said.add(text);
            if (stalls) {
                try {
                    stall.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (!cancelled.getAsBoolean()) out.accept(new PcmAudio(new short[160], 16_000));
                return;
            }
            for (int i = 0; i < 3 && !cancelled.getAsBoolean(); i++) out.accept(new PcmAudio(new short[160], 16_000));
        }
    }

    @Test
    void aStalledVoiceIsRacedByTheFallbackVoiceWhichApologisesFirst() throws Exception {
        Voice cloud = new Voice(true), local = new Voice(false);
        FallbackSynthesizer tts = new FallbackSynthesizer(cloud, "openai", local, "embedded", outage, timers);
        List<PcmAudio> heard = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> done = CompletableFuture.runAsync(() -> {
            try {
                tts.synthesize("It's ten o'clock.", heard::add, () -> false, log);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        timers.advance(timers.next());
        done.get(10, TimeUnit.SECONDS);
        assertThat(elapsedMs()).as("the first audio at the hedge point").isEqualTo(1500);
        assertThat(local.said).containsExactly("Sorry, my voice service failed, so here's my backup voice.", "It's ten o'clock.");
        assertThat(heard).hasSize(6);
        assertThat(log.failovers()).extracting(Failover::stage).containsExactly("tts");
        stall.countDown();

        tts.synthesize("Anything else?", heard::add, () -> false, log);
        // (whether the raced cloud call got as far as the fake before it lost depends on its thread: not asserted)
        assertThat(cloud.said).as("next phrase: straight to the fallback").doesNotContain("Anything else?");
        assertThat(local.said).last().isEqualTo("Anything else?");
    }

    @Test
    void onceTheFirstAudioIsOutLaterPhrasesAreNotRaced() throws Exception {
        Voice cloud = new Voice(false), local = new Voice(false);
        log.budget().met();
        new FallbackSynthesizer(cloud, "openai", local, "embedded", outage, timers)
                .synthesize("Later.", a -> { }, () -> false, log);
        assertThat(timers.unseen()).isZero();
        assertThat(local.said).isEmpty();
    }
}

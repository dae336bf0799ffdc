package dev.parley.stt;

import dev.parley.failover.Failover;
import dev.parley.failover.ProviderEvents;
import dev.parley.failover.ProviderTiming;
import dev.parley.testing.Fakes.ScriptedStt;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** One utterance driven by hand: each feed gets the next scripted partial, finish gives the scripted transcript. */
class UtteranceTest {
    private static final short[] FRAME = new short[512];

    /** A recogniser whose stream returns scripted partials and final transcript, and reports its provider. */
    private static final class FakeRecognizer implements SpeechRecognizer {
        final Deque<String> partials = new ArrayDeque<>();
        Supplier<Transcript> finish = () -> new Transcript("", 1);
        ProviderEvents events;
        int closes;
        int finishes;
        boolean endOfTurn;
        String provider = "deepgram";

        FakeRecognizer partials(String... p) {
            partials.addAll(List.of(p));
            return this;
        }

        FakeRecognizer finish(String text, double confidence) {
            finish = () -> new Transcript(text, confidence);
            return this;
        }

        @Override
        public RecognitionStream open() {
            throw new AssertionError("the utterance opens its stream with its provider log");
        }

        @Override
        public RecognitionStream open(ProviderEvents events) {
            this.events = events;
            events.timing(new ProviderTiming(provider, "stt", 42_000_000));
            return new RecognitionStream() {
                String last = "";

                @Override
                public String accept(short[] pcm, int offset, int length) {
                    if (!partials.isEmpty()) last = partials.poll();
                    if (last.equals("!fail")) throw new IllegalStateException("recogniser went away");
                    return last;
                }

                @Override
                public boolean endOfTurn() {
                    return endOfTurn;
                }

                @Override
                public Transcript finish() {
                    finishes++;
                    return finish.get();
                }

                @Override
                public void close() {
                    closes++;
                }
            };
        }
    }

    @Test
    void feedReportsTheWordsOnlyWhenTheyChange() {
        FakeRecognizer r = new FakeRecognizer().partials("", "set", "set", "set a timer", "", "set a timer");
        Utterance u = new Utterance(3, r, null);
        assertThat(u.turn()).isEqualTo(3);
        assertThat(u.partial()).isEmpty();
        boolean[] changed = new boolean[6];
        for (int i = 0; i < 6; i++) changed[i] = u.feed(FRAME, FRAME.length);
        assertThat(changed).containsExactly(false, true, false, true, false, false);
        // an empty hypothesis (the recogniser has nothing new yet) keeps the words heard
        assertThat(u.partial()).isEqualTo("set a timer");
        assertThat(u.heardSoFar()).isEqualTo("set a timer");
    }

    @Test
    void aRecogniserFailingWhileFedThrows() {
        FakeRecognizer r = new FakeRecognizer().partials("set", "!fail");
        Utterance u = new Utterance(1, r, null);
        assertThat(u.feed(FRAME, FRAME.length)).isTrue();
        assertThatThrownBy(() -> u.feed(FRAME, FRAME.length)).hasMessage("recogniser went away");
    }

    @Test
    void heardSoFarPutsTheCarriedWordsFirstOnceTheyAreRecognised() {
        CompletableFuture<Transcript> carried = new CompletableFuture<>();
        Utterance u = new Utterance(2, new FakeRecognizer().partials("for ten minutes"), carried);
        u.feed(FRAME, FRAME.length);
        // not yet recognised: only this utterance's own words, without waiting
        assertThat(u.heardSoFar()).isEqualTo("for ten minutes");
        carried.complete(new Transcript("set a timer", 0.8));
        assertThat(u.heardSoFar()).isEqualTo("set a timer for ten minutes");
        assertThat(u.partial()).isEqualTo("for ten minutes");
    }

    @Test
    void heardSoFarBeforeAnyNewWordsIsTheCarriedWordsAlone() {
        Utterance u = new Utterance(2, new FakeRecognizer().partials(""),
                CompletableFuture.completedFuture(new Transcript("set a timer", 0.8)));
        u.feed(FRAME, FRAME.length);
        assertThat(u.heardSoFar()).isEqualTo("set a timer");
    }

    @Test
    void carriedWordsThatWereNothingAddNothing() {
        Utterance u = new Utterance(2, new FakeRecognizer().partials("hello").finish("hello", 0.7),
                CompletableFuture.completedFuture(new Transcript("  ", 0.3)));
        u.feed(FRAME, FRAME.length);
        assertThat(u.heardSoFar()).isEqualTo("hello");
        assertThat(u.finish()).isEqualTo(new Transcript("hello", 0.7));
    }

    @Test
    void finishMergesTheCarriedWordsAndItsOwnWithTheLowerConfidence() {
        Utterance u = new Utterance(2, new FakeRecognizer().finish("for ten minutes", 0.9),
                CompletableFuture.completedFuture(new Transcript("set a timer", 0.8)));
        assertThat(u.finish()).isEqualTo(new Transcript("set a timer for ten minutes", 0.8));

        Utterance v = new Utterance(3, new FakeRecognizer().finish("for ten minutes", 0.55),
                CompletableFuture.completedFuture(new Transcript("set a timer", 0.95)));
        assertThat(v.finish()).isEqualTo(new Transcript("set a timer for ten minutes", 0.55));
    }

    @Test
    void finishWithoutOwnWordsGivesTheCarriedWordsAtTheirConfidence() {
        Utterance u = new Utterance(2, new FakeRecognizer().finish("", 0.2),
                CompletableFuture.completedFuture(new Transcript("set a timer", 0.8)));
        Transcript t = u.finish();
        assertThat(t.text()).isEqualTo("set a timer");
        assertThat(t.confidence()).isCloseTo(0.8, within(1e-9));
    }

    @Test
    void finishWithoutCarriedWordsIsTheRecognisersTranscript() {
        FakeRecognizer r = new FakeRecognizer().finish("what time is it", 0.66);
        Utterance u = new Utterance(1, r, null);
        assertThat(u.finish()).isEqualTo(new Transcript("what time is it", 0.66));
        assertThat(u.failure()).isNull();
        assertThat(r.closes).as("the stream is closed once finished").isEqualTo(1);
    }

    @Test
    void finishWaitsForCarriedWordsRecognisedWhileItsOwnAreFinished() {
        CompletableFuture<Transcript> carried = new CompletableFuture<>();
        FakeRecognizer r = new FakeRecognizer();
        // the earlier words are recognised while this utterance's own recognition finishes: no thread needed
        r.finish = () -> {
            carried.complete(new Transcript("remind me", 0.7));
            return new Transcript("to call mum", 0.9);
        };
        Utterance u = new Utterance(4, r, carried);
        assertThat(u.finish()).isEqualTo(new Transcript("remind me to call mum", 0.7));
    }

    @Test
    void aRecogniserThatFailsToFinishGivesAnEmptyTranscriptAndItsFailure() {
        IllegalStateException boom = new IllegalStateException("socket closed");
        FakeRecognizer r = new FakeRecognizer();
        r.finish = () -> {
            throw boom;
        };
        Utterance u = new Utterance(1, r, null);
        Transcript t = u.finish();
        assertThat(t.isEmpty()).isTrue();
        assertThat(u.failure()).isSameAs(boom);
        assertThat(r.closes).isEqualTo(1);
    }

    @Test
    void aFailedFinishStillAnswersTheCarriedWords() {
        FakeRecognizer r = new FakeRecognizer();
        r.finish = () -> {
            throw new IllegalStateException("socket closed");
        };
        Utterance u = new Utterance(2, r, CompletableFuture.completedFuture(new Transcript("set a timer", 0.8)));
        Transcript t = u.finish();
        assertThat(t.text()).isEqualTo("set a timer");
        assertThat(t.confidence()).isCloseTo(0.8, within(1e-9));
        assertThat(u.failure()).hasMessage("socket closed");
    }

    @Test
    void keepsWhatTheProvidersReported() {
        FakeRecognizer r = new FakeRecognizer().finish("hello", 0.9);
        Failover failover = new Failover("stt", "deepgram", "vosk", "timed out");
        r.finish = () -> {
            // reported late, as a fallback taking over while the transcript is finished would
            r.events.failover(failover);
            r.events.timing(new ProviderTiming("vosk", "stt", 5_000_000));
            return new Transcript("hello", 0.9);
        };
        Utterance u = new Utterance(1, r, null);
        assertThat(u.timings()).containsExactly(new ProviderTiming("deepgram", "stt", 42_000_000));
        assertThat(u.failovers()).isEmpty();
        u.finish();
        assertThat(u.timings()).containsExactly(new ProviderTiming("deepgram", "stt", 42_000_000),
                new ProviderTiming("vosk", "stt", 5_000_000));
        assertThat(u.failovers()).containsExactly(failover);
    }

    @Test
    void endOfTurnIsTheProvidersWord() {
        FakeRecognizer r = new FakeRecognizer();
        Utterance u = new Utterance(1, r, null);
        assertThat(u.endOfTurn()).isFalse();
        r.endOfTurn = true;
        assertThat(u.endOfTurn()).isTrue();
    }

    @Test
    void closeIsIdempotentAndSafeAfterFinish() {
        ScriptedStt stt = new ScriptedStt(null, 0, "bye", "hello");
        Utterance u = new Utterance(1, stt, null);
        assertThat(stt.open).isEqualTo(1);
        u.close();
        u.close();
        assertThat(stt.open).isZero();

        Utterance v = new Utterance(2, stt, null);
        assertThat(v.finish()).isEqualTo(new Transcript("hello", 0.9));
        assertThat(stt.open).as("finish closes the stream").isZero();
        v.close();
        assertThat(stt.open).isZero();
    }
}

package dev.parley.stt;

import dev.parley.dialog.Scheduler;
import dev.parley.failover.Failover;
import dev.parley.failover.Outage;
import dev.parley.failover.ProviderEvents;
import dev.parley.failover.Race;
import dev.parley.failover.TurnBudget;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A provider's recogniser with a fallback (by default the embedded one) that takes over within the same utterance:
 * the audio heard so far is kept, so when the provider fails (an error while streaming, or at the end: a 5xx, a
 * stall past its first-byte timeout, a dropped stream) the fallback hears the whole utterance and the user gets an
 * answer, introduced by the failover's apology. While the provider is {@linkplain Outage down} new utterances go to
 * the fallback directly.
 *
 * <p>Within a turn's {@link TurnBudget} the final transcript is a {@link Race}: when the provider has not answered by
 * the budget's hedge point the fallback hears the kept audio alongside, and the first transcript wins. When the budget
 * is spent with neither, the utterance fails (an empty transcript, which the brain answers with "say it again").
 */
public final class FallbackRecognizer implements SpeechRecognizer {
    /** At most this much audio is kept for the fallback: the longest turn at 16 kHz. */
    private static final int MAX_KEPT = 16_000 * 120;

    private final SpeechRecognizer primary, fallback;
    private final String primaryName, fallbackName;
    private final Outage outage;
    private final Scheduler timers;

    public FallbackRecognizer(SpeechRecognizer primary, String primaryName, SpeechRecognizer fallback, String fallbackName,
                              Outage outage) {
        this(primary, primaryName, fallback, fallbackName, outage, Scheduler.system());
    }

    /** @param timers the clock of the race against the turn's budget */
    public FallbackRecognizer(SpeechRecognizer primary, String primaryName, SpeechRecognizer fallback, String fallbackName,
                              Outage outage, Scheduler timers) {
        this.timers = Objects.requireNonNull(timers);
        this.primary = Objects.requireNonNull(primary);
        this.fallback = Objects.requireNonNull(fallback);
        this.primaryName = primaryName;
        this.fallbackName = fallbackName;
        this.outage = outage;
    }

    @Override
    public RecognitionStream open(ProviderEvents events) {
        if (outage.active()) return fallback.open(events);
        RecognitionStream stream;
        try {
            stream = primary.open(events);
        } catch (RuntimeException e) {
            Stream s = new Stream(null, events);
            s.fail(e);
            return s;
        }
        return new Stream(stream, events);
    }

    @Override
    public void close() {
        primary.close();
    }

    private final class Stream implements RecognitionStream {
        private final ProviderEvents events;
        private RecognitionStream active;
        private boolean onFallback;
        private short[] kept = new short[16_000 * 5];
        private int keptLength;

        Stream(RecognitionStream primaryStream, ProviderEvents events) {
            this.active = primaryStream;
            this.events = events;
        }

        @Override
        public String accept(short[] pcm, int offset, int length) {
            if (!onFallback) keep(pcm, offset, length);
            try {
                return active.accept(pcm, offset, length);
            } catch (RuntimeException e) {
                if (onFallback) throw e;
                return fail(e);
            }
        }

        @Override
        public boolean endOfTurn() {
            return !onFallback && active.endOfTurn();
        }

        @Override
        public java.util.Optional<String> settle() {
            try {
                return active.settle();
            } catch (RuntimeException e) {
                return java.util.Optional.empty(); // the next audio or the finish meets the failure and falls back
            }
        }

        @Override
        public Transcript finish() {
            TurnBudget budget = events.budget();
            if (!onFallback && budget.bounded()) return race(budget);
            if (!onFallback) {
                try {
                    Transcript t = active.finish();
                    outage.recovered();
                    return t;
                } catch (RuntimeException e) {
                    fail(e);
                }
            }
            return active.finish();
        }

        @Override
        public void close() {
            if (active != null) active.close();
        }

        /** The provider's transcript and, from the hedge point on, the fallback's on the kept audio: the first wins. */
        private Transcript race(TurnBudget budget) {
            RecognitionStream first = active;
            short[] audio = Arrays.copyOf(kept, keptLength);
            kept = null;
            onFallback = true; // whoever wins, this stream is done with the provider's partials
            // the fallback's stream is used and closed on its own thread only: an embedded (native) recogniser must
            // never be closed while it decodes; a provider's stream may be, which is how a stalled request is dropped
            AtomicBoolean over = new AtomicBoolean();
            Race<Transcript> race = Race.start(answer -> answer.accept(first.finish()), answer -> {
                try (RecognitionStream s = fallback.open(events)) {
                    if (audio.length > 0 && !over.get()) s.accept(audio, 0, audio.length);
                    if (!over.get()) answer.accept(s.finish());
                }
            }, t -> { }, budget, timers);
            Race.Win<Transcript> win;
            try {
                win = race.await(true);
            } catch (Exception e) {
                outage.failed();
                throw e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
            } finally {
                over.set(true);
                race.abandon();
            }
            if (win != null && win.side() == Race.Side.PRIMARY) {
                outage.recovered();
                return win.value();
            }
            outage.failed();
            first.close();
            if (win == null) throw new IllegalStateException("no transcript within the turn's " + budget.budgetMs() + " ms");
            Throwable why = race.primaryFailure();
            events.failover(why != null ? Failover.of("stt", primaryName, fallbackName, why)
                    : new Failover("stt", primaryName, fallbackName, "no transcript within the turn's budget"));
            return win.value();
        }

        /** Hands the utterance to the fallback, with all the audio heard so far; returns its partial. */
        String fail(RuntimeException cause) {
            if (active != null) active.close();
            outage.failed();
            events.failover(Failover.of("stt", primaryName, fallbackName, cause));
            onFallback = true;
            active = fallback.open(events);
            String partial = keptLength > 0 ? active.accept(kept, 0, keptLength) : "";
            kept = null;
            return partial;
        }

        private void keep(short[] pcm, int offset, int length) {
            if (keptLength + length > MAX_KEPT) return;
            if (keptLength + length > kept.length) {
                kept = Arrays.copyOf(kept, Math.min(MAX_KEPT, Math.max(kept.length * 2, keptLength + length)));
            }
            System.arraycopy(pcm, offset, kept, keptLength, length);
            keptLength += length;
        }
    }
}

package dev.parley.tts;

import dev.parley.audio.PcmAudio;
import dev.parley.audio.Resampler;
import dev.parley.dialog.Scheduler;
import dev.parley.failover.Failover;
import dev.parley.failover.Outage;
import dev.parley.failover.ProviderEvents;
import dev.parley.failover.Race;
import dev.parley.failover.TurnBudget;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A provider's voice with a fallback voice (by default MaryTTS) that takes over within the same phrase: when the
 * provider fails (an error, a 5xx, a stall past its first-byte timeout, a dropped stream) the fallback says the
 * failover's apology and then the phrase, so the user hears an explanation rather than silence. The fallback's audio
 * is resampled to the provider's rate, which is the rate this synthesizer declares. While the provider is
 * {@linkplain Outage down} phrases go to the fallback directly, without a new apology each time.
 *
 * <p>Until the turn's first audio, within its {@link TurnBudget}, a phrase is a {@link Race}: when the provider has sent
 * no audio by the budget's hedge point the fallback starts alongside (apology first), and whichever sounds first is
 * heard; the other is cancelled.
 */
public final class FallbackSynthesizer implements SpeechSynthesizer {
    private final SpeechSynthesizer primary, fallback;
    private final String primaryName, fallbackName;
    private final Outage outage;
    private final Scheduler timers;

    public FallbackSynthesizer(SpeechSynthesizer primary, String primaryName, SpeechSynthesizer fallback,
                               String fallbackName, Outage outage) {
        this(primary, primaryName, fallback, fallbackName, outage, Scheduler.system());
    }

    /** @param timers the clock of the race against the turn's budget */
    public FallbackSynthesizer(SpeechSynthesizer primary, String primaryName, SpeechSynthesizer fallback,
                               String fallbackName, Outage outage, Scheduler timers) {
        this.timers = Objects.requireNonNull(timers);
        this.primary = Objects.requireNonNull(primary);
        this.fallback = Objects.requireNonNull(fallback);
        this.primaryName = primaryName;
        this.fallbackName = fallbackName;
        this.outage = outage;
    }

    @Override
    public int sampleRate() {
        return primary.sampleRate();
    }

    @Override
    public void synthesize(String text, Consumer<PcmAudio> out, BooleanSupplier cancelled, ProviderEvents events)
            throws TtsException {
        if (outage.active()) {
            onFallback(text, out, cancelled, events);
            return;
        }
        if (events.budget().bounded() && !events.budget().isMet()) {
            race(text, out, cancelled, events);
            return;
        }
        AtomicBoolean delivered = new AtomicBoolean();
        try {
            primary.synthesize(text, a -> {
                delivered.set(true);
                out.accept(a);
            }, cancelled, events);
            outage.recovered();
        } catch (TtsException | RuntimeException e) {
            if (cancelled.getAsBoolean()) return;
            outage.failed();
            Failover f = Failover.of("tts", primaryName, fallbackName, e);
            events.failover(f);
            onFallback(f.apology(), out, cancelled, events);
            if (!cancelled.getAsBoolean()) onFallback(text, out, cancelled, events);
        }
    }

    /** The end of one side's audio in its queue. */
    private static final PcmAudio END = new PcmAudio(new short[0], 1);

    /** The provider and, from the hedge point on, the fallback (apology first): the first to sound is heard. */
    private void race(String text, Consumer<PcmAudio> out, BooleanSupplier cancelled, ProviderEvents events)
            throws TtsException {
        LinkedBlockingQueue<PcmAudio> fromPrimary = new LinkedBlockingQueue<>(), fromFallback = new LinkedBlockingQueue<>();
        AtomicReference<Race<PcmAudio>> ref = new AtomicReference<>();
        BooleanSupplier primaryStops = () -> cancelled.getAsBoolean() || lost(ref, Race.Side.PRIMARY);
        BooleanSupplier fallbackStops = () -> cancelled.getAsBoolean() || lost(ref, Race.Side.FALLBACK);
        String apology = new Failover("tts", primaryName, fallbackName, null).apology();
        Race<PcmAudio> race = Race.start(answer -> {
            try {
                primary.synthesize(text, a -> {
                    if (a.isEmpty()) return;
                    answer.accept(a);
                    fromPrimary.add(a);
                }, primaryStops, events);
            } finally {
                fromPrimary.add(END);
            }
        }, answer -> {
            try {
                Consumer<PcmAudio> to = a -> {
                    if (a.isEmpty()) return;
                    answer.accept(a);
                    fromFallback.add(a);
                };
                onFallback(apology, to, fallbackStops, events);
                if (!fallbackStops.getAsBoolean()) onFallback(text, to, fallbackStops, events);
            } finally {
                fromFallback.add(END);
            }
        }, a -> { }, events.budget(), timers);
        ref.set(race);
        Race.Win<PcmAudio> win;
        try {
            win = race.await(false);
        } catch (Exception e) {
            outage.failed();
            throw e instanceof TtsException t ? t : new TtsException(e.getMessage(), e);
        }
        boolean fromProvider = win.side() == Race.Side.PRIMARY;
        if (!fromProvider) {
            outage.failed();
            Throwable why = race.primaryFailure();
            events.failover(why != null ? Failover.of("tts", primaryName, fallbackName, why)
                    : new Failover("tts", primaryName, fallbackName, "no audio within the turn's budget"));
        }
        try {
            LinkedBlockingQueue<PcmAudio> queue = fromProvider ? fromPrimary : fromFallback;
            for (PcmAudio a; (a = queue.take()) != END; ) {
                if (!cancelled.getAsBoolean()) out.accept(a);
            }
            race.done(win.side()).join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (java.util.concurrent.CompletionException e) {
            if (cancelled.getAsBoolean()) return;
            if (!fromProvider) throw new TtsException(e.getCause().getMessage(), e.getCause());
            outage.failed(); // the provider broke off after it began: the rest is the backup voice's, as without a race
            Failover f = Failover.of("tts", primaryName, fallbackName, e.getCause());
            events.failover(f);
            onFallback(f.apology(), out, cancelled, events);
            if (!cancelled.getAsBoolean()) onFallback(text, out, cancelled, events);
            return;
        } finally {
            race.abandon();
        }
        if (fromProvider) outage.recovered();
    }

    private static boolean lost(AtomicReference<Race<PcmAudio>> ref, Race.Side side) {
        Race<PcmAudio> r = ref.get();
        return r != null && r.lost(side);
    }

    private void onFallback(String text, Consumer<PcmAudio> out, BooleanSupplier cancelled, ProviderEvents events)
            throws TtsException {
        if (fallback.sampleRate() == sampleRate()) {
            fallback.synthesize(text, out, cancelled, events);
            return;
        }
        Resampler r = new Resampler(fallback.sampleRate(), sampleRate());
        fallback.synthesize(text, a -> {
            PcmAudio converted = r.process(a);
            if (!converted.isEmpty()) out.accept(converted);
        }, cancelled, events);
        short[] tail = r.flush();
        if (tail.length > 0 && !cancelled.getAsBoolean()) out.accept(new PcmAudio(tail, sampleRate()));
    }

    @Override
    public void close() {
        primary.close();
    }
}

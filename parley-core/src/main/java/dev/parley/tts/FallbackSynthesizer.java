package dev.parley.tts;

import dev.parley.audio.PcmAudio;
import dev.parley.audio.Resampler;
import dev.parley.providers.Failover;
import dev.parley.providers.Outage;
import dev.parley.providers.ProviderEvents;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A provider's voice with a fallback voice (by default MaryTTS) that takes over within the same phrase: when the
 * provider fails (an error, a 5xx, a stall past its first-byte timeout, a dropped stream) the fallback says the
 * failover's apology and then the phrase, so the user hears an explanation rather than silence. The fallback's audio
 * is resampled to the provider's rate, which is the rate this synthesizer declares. While the provider is
 * {@linkplain Outage down} phrases go to the fallback directly, without a new apology each time.
 */
public final class FallbackSynthesizer implements SpeechSynthesizer {
    private final SpeechSynthesizer primary, fallback;
    private final String primaryName, fallbackName;
    private final Outage outage;

    public FallbackSynthesizer(SpeechSynthesizer primary, String primaryName, SpeechSynthesizer fallback,
                               String fallbackName, Outage outage) {
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
    public void synthesize(String text, Consumer<PcmAudio> out, BooleanSupplier cancelled) throws TtsException {
        synthesize(text, out, cancelled, ProviderEvents.NONE);
    }

    @Override
    public void synthesize(String text, Consumer<PcmAudio> out, BooleanSupplier cancelled, ProviderEvents events)
            throws TtsException {
        if (outage.active()) {
            onFallback(text, out, cancelled, events);
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

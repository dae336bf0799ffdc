package dev.parley.tts;

import dev.parley.audio.PcmAudio;
import dev.parley.failover.ProviderEvents;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One session's voice, chosen from a {@link VoiceCatalog} and changed while the session goes on: a reply speaks with
 * the voice chosen when its phrase starts (the voices themselves are shared; this holds only the choice).
 */
public final class ChosenVoice implements SpeechSynthesizer {
    private final VoiceCatalog catalog;
    private volatile String name;
    private volatile SpeechSynthesizer voice;

    public ChosenVoice(VoiceCatalog catalog) {
        this.catalog = catalog;
        this.name = catalog.defaultName();
        this.voice = catalog.voice(name);
    }

    /**
     * Speaks with {@code next} from now on.
     *
     * @throws IllegalArgumentException for a name the catalog does not know (the voice stays as it was)
     */
    public void select(String next) {
        SpeechSynthesizer v = catalog.voice(next);
        voice = v;
        name = next;
    }

    public String name() {
        return name;
    }

    @Override
    public int sampleRate() {
        return voice.sampleRate();
    }

    @Override
    public void synthesize(String text, Consumer<PcmAudio> out, BooleanSupplier cancelled, ProviderEvents events) throws TtsException {
        voice.synthesize(text, out, cancelled, events);
    }
}

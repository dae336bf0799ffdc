package dev.parley.embedded.tts;

import dev.parley.failover.ProviderEvents;
import dev.parley.tts.SpeechSynthesizer;
import dev.parley.tts.TtsException;

import dev.parley.audio.PcmAudio;
import marytts.LocalMaryInterface;
import marytts.exceptions.MaryConfigurationException;
import marytts.exceptions.SynthesisException;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * MaryTTS, in process, pure Java. MaryTTS renders a whole phrase at once, so the pipeline keeps phrases short (the
 * sentence chunker cuts the first one early) and the audio is handed on in {@link #CHUNK_MS} pieces.
 *
 * <p>Its runtime is process-wide: starting it is serialised, but rendering is not. Each {@code generateAudio} call
 * builds a request of its own over shared, read-only voice data (MaryTTS's own server renders requests in parallel
 * the same way); {@code MaryTtsSynthesizerTest} checks that phrases rendered on several threads at once are the
 * same bytes as when rendered alone. At most one render per core runs at a time, first come first served, so a
 * busy server finishes the phrases it started instead of slowing every one of them down.
 */
public final class MaryTtsSynthesizer implements SpeechSynthesizer {
    public static final String DEFAULT_VOICE = "cmu-slt-hsmm";
    private static final int CHUNK_MS = 40;
    private static final Object RUNTIME = new Object();
    private static final Semaphore RENDERS = new Semaphore(Runtime.getRuntime().availableProcessors(), true);

    private final LocalMaryInterface mary;
    private final int sampleRate;

    private MaryTtsSynthesizer(LocalMaryInterface mary, int sampleRate) {
        this.mary = mary;
        this.sampleRate = sampleRate;
    }

    /** Starts MaryTTS with the given voice and warms it up, so the first reply is as fast as the rest. */
    public static MaryTtsSynthesizer load(String voice) throws TtsException {
        synchronized (RUNTIME) {
            LocalMaryInterface mary;
            try {
                mary = new LocalMaryInterface();
            } catch (MaryConfigurationException e) {
                throw new TtsException("MaryTTS could not start: " + e.getMessage(), e);
            }
            Set<String> voices = mary.getAvailableVoices();
            if (!voices.contains(voice)) {
                throw new TtsException("MaryTTS has no voice '" + voice + "'; available: " + String.join(", ", voices), null);
            }
            mary.setVoice(voice);
            mary.setLocale(Locale.US);
            PcmAudio warm = render(mary, "Hello, I am ready. It is ten past five.");
            for (int i = 0; i < 2; i++) render(mary, "Warming up the voice, one two three.");
            return new MaryTtsSynthesizer(mary, warm.sampleRate());
        }
    }

    @Override
    public int sampleRate() {
        return sampleRate;
    }

    @Override
    public void synthesize(String text, Consumer<PcmAudio> out, BooleanSupplier cancelled, ProviderEvents events)
            throws TtsException {
        if (text.isBlank() || cancelled.getAsBoolean()) return;
        PcmAudio audio;
        try {
            RENDERS.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TtsException("MaryTTS was interrupted before speaking", e);
        }
        try {
            audio = render(mary, text);
        } finally {
            RENDERS.release();
        }
        int chunk = sampleRate * CHUNK_MS / 1000;
        for (int i = 0; i < audio.length() && !cancelled.getAsBoolean(); i += chunk) {
            out.accept(audio.slice(i, Math.min(audio.length(), i + chunk)));
        }
    }

    private static PcmAudio render(LocalMaryInterface mary, String text) throws TtsException {
        try (AudioInputStream raw = mary.generateAudio(text)) {
            AudioFormat f = raw.getFormat();
            AudioFormat pcm = new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, f.getSampleRate(), 16, 1, 2, f.getSampleRate(), false);
            try (AudioInputStream in = f.matches(pcm) ? raw : AudioSystem.getAudioInputStream(pcm, raw)) {
                // read() until the end: MaryTTS's stream returns only its first buffer from readAllBytes()
                ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
                byte[] buf = new byte[16 * 1024];
                for (int n; (n = in.read(buf)) > 0; ) bytes.write(buf, 0, n);
                byte[] b = bytes.toByteArray();
                return PcmAudio.fromLittleEndianBytes(b, 0, b.length & ~1, Math.round(f.getSampleRate()));
            }
        } catch (SynthesisException | IOException | RuntimeException e) {
            throw new TtsException("MaryTTS could not speak \"" + abbreviate(text) + "\": " + e.getMessage(), e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}

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
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * MaryTTS, in process, pure Java. MaryTTS prepares a whole phrase before its vocoder starts (text analysis, then the
 * HMM's parameters), but the vocoder streams: each {@link #CHUNK_MS} of audio is handed on as soon as it is rendered,
 * so the first audio of a phrase costs the preparation and 40 ms of vocoding, not the whole phrase (the pipeline
 * keeps the first phrase short too, see the sentence chunker). HMM voices (the default) are driven step by step
 * ({@link HmmSynthesis}), which costs about a third of the CPU of MaryTTS's own audio stream and stops the vocoder
 * when a phrase is cancelled; other voices use that stream.
 *
 * <p>Its runtime is process-wide: starting it is serialised, but rendering is not. Each phrase builds a request of its
 * own over shared, read-only voice data (MaryTTS's own server renders requests in parallel the same way);
 * {@code MaryTtsSynthesizerTest} checks that phrases rendered on several threads at once are the same samples as when
 * rendered alone. At most one phrase per core is rendered at a time, on platform threads ({@link RenderThreads}),
 * first come first served, so a busy server finishes the phrases it started instead of slowing every one down.
 */
public final class MaryTtsSynthesizer implements SpeechSynthesizer {
    public static final String DEFAULT_VOICE = "cmu-slt-hsmm";
    private static final int CHUNK_MS = 40;
    private static final Object RUNTIME = new Object();
    private static final RenderThreads RENDERS = new RenderThreads(Runtime.getRuntime().availableProcessors(), "marytts");
    /** Phrases like the first ones of replies (short, a number, a question), spoken at start so the JIT is warm. */
    private static final List<String> WARM_UP = List.of("Sorry,", "Timer set", "for ten minutes.",
            "Warming up the voice, one two three.", "It's five oh seven PM.", "Did you say: add milk?", "Sure,");

    private final LocalMaryInterface mary;
    /** The HMM voices' own path (most of MaryTTS's voices, and the default); null: MaryTTS's audio stream. */
    private final HmmSynthesis hmm;
    private final int sampleRate;

    private MaryTtsSynthesizer(LocalMaryInterface mary, HmmSynthesis hmm, int sampleRate) {
        this.mary = mary;
        this.hmm = hmm;
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
            HmmSynthesis hmm;
            try {
                hmm = HmmSynthesis.of(voice, Locale.US).orElse(null);
            } catch (MaryConfigurationException e) {
                throw new TtsException("MaryTTS could not start: " + e.getMessage(), e);
            }
            int rate = render(mary, hmm, "Hello, I am ready. It is ten past five.").sampleRate();
            for (String warm : WARM_UP) render(mary, hmm, warm);
            return new MaryTtsSynthesizer(mary, hmm, rate);
        }
    }

    /** Speaks {@code text} at start-up (not counted, nothing delivered): the voice's code paths warm for it. */
    public PcmAudio speak(String text) throws TtsException {
        return render(mary, hmm, text);
    }

    @Override
    public int sampleRate() {
        return sampleRate;
    }

    @Override
    public void synthesize(String text, Consumer<PcmAudio> out, BooleanSupplier cancelled, ProviderEvents events)
            throws TtsException {
        if (text.isBlank() || cancelled.getAsBoolean()) return;
        stream(mary, hmm, text, out, cancelled);
    }

    private static PcmAudio render(LocalMaryInterface mary, HmmSynthesis hmm, String text) throws TtsException {
        List<PcmAudio> chunks = new ArrayList<>();
        stream(mary, hmm, text, chunks::add, () -> false);
        return PcmAudio.concat(chunks);
    }

    /**
     * Speaks {@code text} into {@code out}, each chunk as soon as the vocoder has rendered it, on a render thread: the
     * HMM path when the voice has one ({@code hmm} not null), else MaryTTS's own audio stream.
     */
    private static void stream(LocalMaryInterface mary, HmmSynthesis hmm, String text, Consumer<PcmAudio> out,
                               BooleanSupplier cancelled) throws TtsException {
        try {
            RENDERS.run((Consumer<PcmAudio> blocks, BooleanSupplier stop) -> {
                if (hmm == null) {
                    streamAudio(mary, text, blocks, stop);
                    return;
                }
                int rate = hmm.sampleRate();
                hmm.speak(text, rate * CHUNK_MS / 1000, pcm -> blocks.accept(new PcmAudio(pcm, rate)), stop);
            }, out, cancelled);
        } catch (TtsException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TtsException("MaryTTS was interrupted while speaking", e);
        } catch (Exception e) {
            throw new TtsException("MaryTTS could not speak \"" + abbreviate(text) + "\": " + e.getMessage(), e);
        }
    }

    /** MaryTTS's own audio stream, for voices that are not HMM voices. */
    private static void streamAudio(LocalMaryInterface mary, String text, Consumer<PcmAudio> out, BooleanSupplier cancelled)
            throws TtsException {
        try (AudioInputStream raw = mary.generateAudio(text)) {
            AudioFormat f = raw.getFormat();
            int rate = Math.round(f.getSampleRate());
            AudioFormat pcm = new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, f.getSampleRate(), 16, 1, 2, f.getSampleRate(), false);
            try (AudioInputStream in = f.matches(pcm) ? raw : AudioSystem.getAudioInputStream(pcm, raw)) {
                new PcmChunks(rate * CHUNK_MS / 1000, rate).stream(in, out, cancelled);
            }
        } catch (SynthesisException | IOException | RuntimeException e) {
            throw new TtsException("MaryTTS could not speak \"" + abbreviate(text) + "\": " + e.getMessage(), e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}

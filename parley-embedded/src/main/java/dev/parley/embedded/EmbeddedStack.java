package dev.parley.embedded;

import dev.parley.dialog.Dialog;
import dev.parley.embedded.models.EmbeddedModels;
import dev.parley.embedded.models.ModelCache;
import dev.parley.embedded.models.ModelFetchException;
import dev.parley.session.VoiceSession;
import dev.parley.turn.WordRules;
import dev.parley.embedded.stt.VoskSpeechRecognizer;
import dev.parley.embedded.tts.MaryTtsSynthesizer;
import dev.parley.tts.TtsException;
import dev.parley.wake.WakeDetector;
import dev.parley.embedded.vad.SileroVadModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.parley.startup.LoadProgress;
import dev.parley.startup.ParallelLoader;

/**
 * The offline default: Silero VAD, Vosk STT and MaryTTS, loaded once per process and shared by its sessions (each
 * session gets its own VAD state). Each engine fetches its model into the cache if missing and loads, all three in
 * parallel ({@link ParallelLoader}), so start-up costs the slowest of them rather than their sum; an app loads its
 * brain alongside them with {@link #submit}. A stack with both Vosk and MaryTTS then runs them once on a spoken
 * question ({@link WarmUp}), so the first turn is as fast as later ones.
 */
public final class EmbeddedStack implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedStack.class);

    private final SileroVadModel vad;
    private final VoskSpeechRecognizer stt;
    private final MaryTtsSynthesizer tts;
    private final long loadMillis;

    /** Why the stack could not start; the message is one line a user can act on. */
    public static final class LoadException extends Exception {
        public LoadException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private EmbeddedStack(SileroVadModel vad, VoskSpeechRecognizer stt, MaryTtsSynthesizer tts, long loadMillis) {
        this.vad = vad;
        this.stt = stt;
        this.tts = tts;
        this.loadMillis = loadMillis;
    }

    /**
     * Which engines to load besides the VAD (always: the endpointer decides turns whatever the recogniser): a cloud
     * recogniser or voice without the embedded fallback needs no Vosk or no MaryTTS, and their memory is saved.
     */
    public record Parts(boolean stt, boolean tts) {
        public static final Parts ALL = new Parts(true, true);

        /** True when a stack of these parts has every engine {@code wanted} has. */
        public boolean covers(Parts wanted) {
            return (stt || !wanted.stt) && (tts || !wanted.tts);
        }
    }

    /** The stack of every engine, loaded in parallel (progress of downloads only). */
    public static EmbeddedStack load(ModelCache cache, String voice) throws LoadException {
        ParallelLoader loader = new ParallelLoader(LoadProgress.NONE);
        Pending pending = submit(loader, cache, voice, Parts.ALL);
        try {
            loader.run();
        } catch (ParallelLoader.LoadFailure e) {
            throw failure(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoadException("loading was interrupted", e);
        }
        EmbeddedStack stack = pending.stack();
        log.info("embedded stack ready in {} ms", stack.loadMillis);
        return stack;
    }

    /**
     * Adds the loading of these parts to a loader, to run alongside the process's other parts (the brain); each
     * engine fetches its model into the cache first if missing. The stack is {@link Pending#stack()} after
     * {@link ParallelLoader#run()}.
     */
    public static Pending submit(ParallelLoader loader, ModelCache cache, String voice, Parts parts) {
        long t0 = System.nanoTime();
        ParallelLoader.Part<SileroVadModel> vad = loader.add("Silero VAD",
                () -> SileroVadModel.load(cache.ensure(EmbeddedModels.SILERO_VAD_V5)));
        ParallelLoader.Part<VoskSpeechRecognizer> stt = parts.stt()
                ? loader.add("Vosk", () -> VoskSpeechRecognizer.load(cache.ensure(EmbeddedModels.VOSK_EN_US))) : null;
        ParallelLoader.Part<MaryTtsSynthesizer> tts = parts.tts()
                ? loader.add("MaryTTS " + voice, () -> MaryTtsSynthesizer.load(voice)) : null;
        return () -> {
            EmbeddedStack stack = new EmbeddedStack(vad.get(), stt == null ? null : stt.get(), tts == null ? null : tts.get(),
                    (System.nanoTime() - t0) / 1_000_000);
            if (stack.stt != null && stack.tts != null) stack.warmUp();
            return stack;
        };
    }

    /** Runs the engines once; a failure here is only logged, since a real turn will say what is wrong. */
    private void warmUp() {
        long t0 = System.nanoTime();
        try {
            String heard = WarmUp.run(vad, stt, tts);
            log.info("engines warmed up in {} ms (heard \"{}\")", (System.nanoTime() - t0) / 1_000_000, heard);
        } catch (TtsException | RuntimeException e) {
            log.warn("the engines' warm-up failed: {}", e.toString());
        }
    }

    /** A stack being loaded by a {@link ParallelLoader}. */
    public interface Pending {
        /** The stack, once the loader has run without failure. */
        EmbeddedStack stack();
    }

    /** A loader's failure as the one-line error of this stack (a voice's own message is kept as it is). */
    public static LoadException failure(ParallelLoader.LoadFailure e) {
        Throwable c = e.getCause();
        if (c instanceof ModelFetchException || c instanceof TtsException) return new LoadException(c.getMessage(), c);
        return new LoadException(e.getMessage(), c);
    }

    /** The engines this stack has. */
    public Parts parts() {
        return new Parts(stt != null, tts != null);
    }

    /** The engines for one new session, with the given brain, judging English words for the end of a turn. */
    public VoiceSession.Engines engines(Dialog dialog) {
        return new VoiceSession.Engines(vad.newDetector(), stt(), dialog, tts(), WordRules.ENGLISH);
    }

    public SileroVadModel vad() {
        return vad;
    }

    /** The recogniser; only in a stack loaded with it ({@link Parts#stt()}). */
    public VoskSpeechRecognizer stt() {
        if (stt == null) throw new IllegalStateException("this embedded stack was loaded without Vosk");
        return stt;
    }

    /** The wake-word detector, on Vosk's model; {@link WakeDetector#NONE} in a stack loaded without Vosk. */
    public WakeDetector wake() {
        return WakeDetector.NONE; // PENDING: the Vosk detector
    }

    /** The voice; only in a stack loaded with it ({@link Parts#tts()}). */
    public MaryTtsSynthesizer tts() {
        if (tts == null) throw new IllegalStateException("this embedded stack was loaded without MaryTTS");
        return tts;
    }

    public long loadMillis() {
        return loadMillis;
    }

    @Override
    public void close() {
        try {
            vad.close();
        } catch (Exception e) {
            log.debug("closing VAD", e);
        }
        if (stt != null) stt.close();
    }
}

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
import dev.parley.embedded.vad.SileroVadModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The offline default: Silero VAD, Vosk STT and MaryTTS, loaded once per process and shared by its sessions (each
 * session gets its own VAD state). Loading fetches missing models into the cache, then starts the three engines in
 * parallel, so start-up costs the slowest of them rather than their sum, then runs them once on a spoken question
 * ({@link WarmUp}), so the first turn is as fast as later ones.
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

    public static EmbeddedStack load(ModelCache cache, String voice) throws LoadException {
        long t0 = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            // MaryTTS needs no download: start it while the models are fetched and loaded.
            Future<MaryTtsSynthesizer> tts = pool.submit(() -> MaryTtsSynthesizer.load(voice));
            Path vadFile = cache.ensure(EmbeddedModels.SILERO_VAD_V5);
            Path voskDir = cache.ensure(EmbeddedModels.VOSK_EN_US);
            Future<SileroVadModel> vad = pool.submit(() -> SileroVadModel.load(vadFile));
            Future<VoskSpeechRecognizer> stt = pool.submit(() -> VoskSpeechRecognizer.load(voskDir));
            SileroVadModel v = get(vad, "Silero VAD");
            VoskSpeechRecognizer s = get(stt, "Vosk");
            MaryTtsSynthesizer t = get(tts, "MaryTTS");
            long t1 = System.nanoTime();
            String heard = warm(v, s, t);
            EmbeddedStack stack = new EmbeddedStack(v, s, t, (System.nanoTime() - t0) / 1_000_000);
            log.info("embedded stack ready in {} ms (warm-up {} ms, heard \"{}\")", stack.loadMillis,
                    (System.nanoTime() - t1) / 1_000_000, heard);
            return stack;
        } catch (ModelFetchException e) {
            throw new LoadException(e.getMessage(), e);
        }
    }

    private static String warm(SileroVadModel vad, VoskSpeechRecognizer stt, MaryTtsSynthesizer tts) throws LoadException {
        try {
            return WarmUp.run(vad, stt, tts);
        } catch (TtsException | RuntimeException e) {
            new EmbeddedStack(vad, stt, tts, 0).close();
            throw new LoadException("the engines failed their warm-up: " + e.getMessage(), e);
        }
    }

    private static <T> T get(Future<T> f, String what) throws LoadException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            String msg = c instanceof TtsException ? c.getMessage() : what + " could not start: " + c.getMessage();
            throw new LoadException(msg, c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoadException(what + " loading was interrupted", e);
        }
    }

    /** The engines for one new session, with the given brain, judging English words for the end of a turn. */
    public VoiceSession.Engines engines(Dialog dialog) {
        return new VoiceSession.Engines(vad.newDetector(), stt, dialog, tts, WordRules.ENGLISH);
    }

    public SileroVadModel vad() {
        return vad;
    }

    public VoskSpeechRecognizer stt() {
        return stt;
    }

    public MaryTtsSynthesizer tts() {
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
        stt.close();
    }
}

package dev.parley.jmh;

import ai.onnxruntime.OrtException;
import dev.parley.audio.PcmAudio;
import dev.parley.embedded.models.EmbeddedModels;
import dev.parley.embedded.models.ModelCache;
import dev.parley.embedded.models.ModelFetchException;
import dev.parley.embedded.models.ProgressListener;
import dev.parley.turn.Endpointer;
import dev.parley.embedded.vad.SileroVadModel;
import dev.parley.vad.VoiceActivityDetector;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The endpointer's decision on one 32 ms frame, with the default settings, as a session makes it after the VAD:
 * the frame's speech probability and level go in, a speech start or turn end may come out. The probabilities are
 * Silero v5's on a real speech clip (computed once, in setup), the levels the frames' RMS as the session measures
 * it, and the clip is followed by 0.6 s of silence, so every pass through it starts speech and ends a turn.
 *
 * <p>Budget: it runs on every 32 ms frame of every listening session, after the VAD; it should cost well under
 * a microsecond, a negligible share of the frame's 32 ms and of the VAD's own cost.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx512m", "-Xss8m", "--enable-native-access=ALL-UNNAMED"})
public class EndpointerBenchmark {

    private float[] probabilities;
    private double[] levels;
    private Endpointer endpointer;
    private int next;
    private long frameEnd;

    @Setup(Level.Trial)
    public void load() throws ModelFetchException, OrtException {
        PcmAudio speech = BenchAudio.speech();
        PcmAudio clip = PcmAudio.concat(java.util.List.of(speech, PcmAudio.silence(speech.sampleRate(), 600)));
        short[][] frames = SileroVadBenchmark.frames(clip);
        probabilities = new float[frames.length];
        levels = new double[frames.length];
        try (SileroVadModel model = SileroVadModel.load(ModelCache.createDefault(ProgressListener.NONE).ensure(EmbeddedModels.SILERO_VAD_V5));
             VoiceActivityDetector vad = model.newDetector()) {
            for (int i = 0; i < frames.length; i++) {
                probabilities[i] = vad.speechProbability(frames[i]);
                levels[i] = rms(frames[i]);
            }
        }
        endpointer = new Endpointer(Endpointer.Config.DEFAULT, 16_000);
    }

    /** As VoiceSession measures a frame's level. */
    private static double rms(short[] f) {
        double sum = 0;
        for (short s : f) sum += (double) s * s;
        return Math.sqrt(sum / f.length);
    }

    @Benchmark
    public Endpointer.Event frame32ms() {
        int i = next;
        next = i + 1 == probabilities.length ? 0 : i + 1;
        frameEnd += SileroVadModel.FRAME;
        return endpointer.onFrame(probabilities[i], levels[i], frameEnd, SileroVadModel.FRAME);
    }
}

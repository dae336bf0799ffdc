package dev.parley.jmh;

import ai.onnxruntime.OrtException;
import dev.parley.audio.PcmAudio;
import dev.parley.audio.Resampler;
import dev.parley.embedded.models.EmbeddedModels;
import dev.parley.embedded.models.ModelCache;
import dev.parley.embedded.models.ModelFetchException;
import dev.parley.embedded.models.ProgressListener;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Silero VAD v5 on onnxruntime, one 32 ms frame (512 samples at 16 kHz) per operation: the model every session
 * runs on every frame it hears. The model is the one the server uses, from the model cache
 * ({@code $PARLEY_HOME/models}, fetched on first use as {@code ./parley} does), loaded as
 * {@code EmbeddedStack} loads it (one intra-op thread); the frames are consecutive frames of a real speech clip,
 * through one detector whose recurrent state carries over, as in a session.
 *
 * <p>The fork runs with {@code -Xss8m}, as {@code ./parley} and the tests do: onnxruntime's graph optimizer
 * overflows a default 1 MB Java thread stack while loading this model (a segmentation fault, not an exception).
 *
 * <p>Budget: a frame is 32 ms of audio, so one must cost far less than 32 ms; the cost per frame divided by 32 ms
 * is the share of a core each listening session takes for its VAD.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx512m", "-Xss8m", "--enable-native-access=ALL-UNNAMED"})
public class SileroVadBenchmark {

    private SileroVadModel model;
    private VoiceActivityDetector detector;
    private short[][] frames;
    private int next;

    @Setup(Level.Trial)
    public void load() throws ModelFetchException, OrtException {
        model = SileroVadModel.load(ModelCache.createDefault(ProgressListener.NONE).ensure(EmbeddedModels.SILERO_VAD_V5));
        detector = model.newDetector();
        frames = frames(BenchAudio.speech());
    }

    /** The clip at 16 kHz, as whole 512-sample frames. */
    static short[][] frames(PcmAudio speech) {
        PcmAudio at16k = speech.sampleRate() == 16_000 ? speech : Resampler.convert(speech, 16_000);
        short[][] out = new short[at16k.length() / SileroVadModel.FRAME][];
        for (int i = 0; i < out.length; i++) {
            out[i] = at16k.slice(i * SileroVadModel.FRAME, (i + 1) * SileroVadModel.FRAME).samples();
        }
        return out;
    }

    @TearDown(Level.Trial)
    public void unload() throws OrtException {
        detector.close();
        model.close();
    }

    @Benchmark
    public float frame32ms() {
        short[] frame = frames[next];
        next = next + 1 == frames.length ? 0 : next + 1;
        return detector.speechProbability(frame);
    }
}

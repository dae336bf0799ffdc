package dev.parley.jmh;

import dev.parley.audio.PcmAudio;
import dev.parley.audio.Resampler;
import dev.parley.embedded.models.EmbeddedModels;
import dev.parley.embedded.models.ModelCache;
import dev.parley.embedded.models.ProgressListener;
import dev.parley.embedded.tts.MaryTtsSynthesizer;
import marytts.LocalMaryInterface;
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
import org.vosk.Model;
import org.vosk.Recognizer;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * What the embedded engines cost per utterance, on one thread (so time is CPU): the benchmark clip (2.8 s, "go forward
 * ten meters") through Vosk in 32 ms frames, as a session feeds it, with a new recognizer (what Parley did before it
 * kept them) and with a kept one (what it does now); and one reply phrase (2.8 s of speech) through MaryTTS's own audio
 * stream and through Parley's step-by-step HMM path. Divide by the audio's length for the share of a core each second
 * of speech takes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgs = {"-Xmx512m", "-Xss8m", "--enable-native-access=ALL-UNNAMED", "-Djava.awt.headless=true"})
public class EngineCostBenchmark {
    static final String PHRASE = "Timer set for three hours and ten minutes.";

    private Model vosk;
    private Recognizer kept;
    private short[][] frames;
    private MaryTtsSynthesizer mary;
    private LocalMaryInterface maryStream;

    @Setup(Level.Trial)
    public void load() throws Exception {
        vosk = new Model(ModelCache.createDefault(ProgressListener.NONE).ensure(EmbeddedModels.VOSK_EN_US).toString());
        kept = new Recognizer(vosk, 16_000f);
        kept.setWords(true);
        PcmAudio speech = BenchAudio.speech();
        PcmAudio at16k = speech.sampleRate() == 16_000 ? speech : Resampler.convert(speech, 16_000);
        frames = new short[at16k.length() / 512][];
        for (int i = 0; i < frames.length; i++) frames[i] = at16k.slice(i * 512, (i + 1) * 512).samples();
        mary = MaryTtsSynthesizer.load(MaryTtsSynthesizer.DEFAULT_VOICE);
        maryStream = new LocalMaryInterface();
        maryStream.setVoice(MaryTtsSynthesizer.DEFAULT_VOICE);
        maryStream.setLocale(Locale.US);
    }

    @TearDown(Level.Trial)
    public void unload() {
        kept.close();
        vosk.close();
    }

    private String decode(Recognizer r) {
        for (short[] f : frames) {
            if (!r.acceptWaveForm(f, f.length)) r.getPartialResult();
        }
        return r.getFinalResult();
    }

    @Benchmark
    public String voskUtteranceNewRecognizer() throws Exception {
        try (Recognizer r = new Recognizer(vosk, 16_000f)) {
            r.setWords(true);
            return decode(r);
        }
    }

    @Benchmark
    public String voskUtteranceKeptRecognizer() {
        return decode(kept);
    }

    @Benchmark
    public int maryTtsOwnAudioStream() throws Exception {
        byte[] buf = new byte[3840];
        int total = 0;
        try (var in = maryStream.generateAudio(PHRASE)) {
            for (int n; (n = in.read(buf, 0, buf.length)) >= 0; ) total += n; // to the end, as Parley read it
        }
        return total / 2;
    }

    @Benchmark
    public int maryTtsHmmPath() throws Exception {
        int[] samples = {0};
        mary.synthesize(PHRASE, c -> samples[0] += c.length(), () -> false);
        return samples[0];
    }
}

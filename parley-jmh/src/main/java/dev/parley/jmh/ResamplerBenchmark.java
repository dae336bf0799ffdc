package dev.parley.jmh;

import dev.parley.audio.PcmAudio;
import dev.parley.audio.Resampler;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * The streaming resampler on one 20 ms chunk, as a Realtime session uses it: 24 kHz client audio down to the 16 kHz
 * pipeline, and 16 kHz speech up to 24 kHz for the client. The chunks are consecutive pieces of a real speech clip,
 * fed to one long-lived converter (its history carries over from chunk to chunk, as in a session).
 *
 * <p>Budget: a chunk holds 20 ms of audio, and every live session converts its audio in both directions, so one
 * conversion must cost far less than 20 ms (tens of microseconds leaves room for hundreds of sessions per core).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx512m", "-Xss8m", "--enable-native-access=ALL-UNNAMED"})
public class ResamplerBenchmark {

    /** input rate → output rate */
    @Param({"24000->16000", "16000->24000"})
    public String conversion;

    private Resampler resampler;
    private short[][] chunks;
    private int next;

    @Setup(Level.Trial)
    public void load() {
        String[] rates = conversion.split("->");
        int in = Integer.parseInt(rates[0]);
        int out = Integer.parseInt(rates[1]);
        PcmAudio speech = BenchAudio.speech();
        PcmAudio source = speech.sampleRate() == in ? speech : Resampler.convert(speech, in);
        PcmAudio[] pieces = BenchAudio.chunks(source, 20);
        chunks = new short[pieces.length][];
        for (int i = 0; i < pieces.length; i++) chunks[i] = pieces[i].samples();
        resampler = new Resampler(in, out);
    }

    @Benchmark
    public void chunk20ms(Blackhole bh) {
        short[] chunk = chunks[next];
        next = next + 1 == chunks.length ? 0 : next + 1;
        bh.consume(resampler.process(chunk, 0, chunk.length));
    }
}

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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * Base64 audio alone, 20 ms of 24 kHz PCM16 (480 samples, 960 bytes) of a real speech clip per operation, the
 * share of {@link RealtimeEventBenchmark}'s events that is not JSON:
 * <ul>
 *   <li>{@link #encode}: samples to little-endian bytes to base64, as {@code RealtimeSession} writes
 *       {@code response.output_audio.delta};</li>
 *   <li>{@link #decode}: base64 to bytes to samples, as {@code ClientEventParser} reads
 *       {@code input_audio_buffer.append} (its decoder is private, so this mirrors it).</li>
 * </ul>
 *
 * <p>Budget: one each way every 20 ms per session; it should cost around a microsecond, far less than 20 ms.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx512m", "-Xss8m", "--enable-native-access=ALL-UNNAMED"})
public class Base64AudioBenchmark {
    private PcmAudio[] chunks;
    private String[] encoded;
    private int next;

    @Setup(Level.Trial)
    public void load() {
        chunks = BenchAudio.chunks(Resampler.convert(BenchAudio.speech(), 24_000), 20);
        encoded = new String[chunks.length];
        for (int i = 0; i < chunks.length; i++) encoded[i] = Base64.getEncoder().encodeToString(chunks[i].toLittleEndianBytes());
    }

    private int advance() {
        int i = next;
        next = i + 1 == chunks.length ? 0 : i + 1;
        return i;
    }

    @Benchmark
    public String encode() {
        return Base64.getEncoder().encodeToString(chunks[advance()].toLittleEndianBytes());
    }

    @Benchmark
    public short[] decode() {
        byte[] bytes = Base64.getDecoder().decode(encoded[advance()]);
        short[] samples = new short[bytes.length / 2];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (short) ((bytes[2 * i] & 0xff) | (bytes[2 * i + 1] << 8));
        }
        return samples;
    }
}

package dev.parley.jmh;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.audio.PcmAudio;
import dev.parley.audio.Resampler;
import dev.parley.transport.realtime.ClientEvent;
import dev.parley.transport.realtime.ClientEventParser;
import dev.parley.transport.realtime.Ids;
import dev.parley.transport.realtime.ProtocolException;
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
 * The Realtime protocol's two busiest events, each carrying 20 ms of 24 kHz PCM16 (960 bytes, 1280 base64
 * characters) of a real speech clip:
 * <ul>
 *   <li>{@link #decodeAudioAppend}: a client's {@code input_audio_buffer.append}, read and checked by the server's
 *       {@link ClientEventParser} (JSON, then base64, then samples);</li>
 *   <li>{@link #encodeAudioDelta}: a {@code response.output_audio.delta}, built as {@code RealtimeSession}'s sink
 *       builds it (a Jackson tree with type, event_id, response_id, item_id, output_index, content_index and the
 *       base64 delta, written with a plain {@code ObjectMapper}); the session's builders are private, so this
 *       mirrors them field for field;</li>
 *   <li>{@link #eventId}: the fresh {@code event_id} every server event carries ({@link Ids#next}), alone, to show
 *       its share of the encoding.</li>
 * </ul>
 *
 * <p>Budget: a client sends an append every 20 ms and the server streams a delta per chunk of reply audio, so each
 * must cost far less than 20 ms; a few microseconds keeps the protocol a small share of a session's CPU next to
 * the VAD.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx512m", "-Xss8m", "--enable-native-access=ALL-UNNAMED"})
public class RealtimeEventBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ClientEventParser parser = new ClientEventParser();
    private final String responseId = Ids.next("resp");
    private final String itemId = Ids.next("item");
    private String[] appends;
    private PcmAudio[] chunks;
    private int next;

    @Setup(Level.Trial)
    public void load() {
        chunks = BenchAudio.chunks(Resampler.convert(BenchAudio.speech(), 24_000), 20);
        appends = new String[chunks.length];
        for (int i = 0; i < chunks.length; i++) {
            appends[i] = "{\"type\":\"input_audio_buffer.append\",\"event_id\":\"event_" + i + "\",\"audio\":\""
                    + Base64.getEncoder().encodeToString(chunks[i].toLittleEndianBytes()) + "\"}";
        }
    }

    private int advance() {
        int i = next;
        next = i + 1 == chunks.length ? 0 : i + 1;
        return i;
    }

    @Benchmark
    public ClientEvent decodeAudioAppend() throws ProtocolException {
        return parser.parse(appends[advance()]);
    }

    @Benchmark
    public String encodeAudioDelta() throws JsonProcessingException {
        PcmAudio chunk = chunks[advance()];
        ObjectNode e = NODES.objectNode();
        e.put("type", "response.output_audio.delta");
        e.put("event_id", Ids.next("event"));
        e.put("response_id", responseId);
        e.put("item_id", itemId);
        e.put("output_index", 0);
        e.put("content_index", 0);
        e.put("delta", Base64.getEncoder().encodeToString(chunk.toLittleEndianBytes()));
        return JSON.writeValueAsString(e);
    }

    @Benchmark
    public String eventId() {
        return Ids.next("event");
    }
}

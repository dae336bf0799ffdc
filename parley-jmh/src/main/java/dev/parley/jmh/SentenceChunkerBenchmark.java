package dev.parley.jmh;

import dev.parley.tts.SentenceChunker;
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
import org.openjdk.jmh.infra.Blackhole;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sentence chunker over a streamed reply, reported per token: an LLM-style answer (markdown emphasis, a list,
 * a link, numbers, abbreviations, a decimal and a time) cut into tokens the way BPE tokenizers stream text (a word
 * with its leading space, punctuation on its own), fed one token per operation and flushed after its last token, as the reply
 * path does before synthesis.
 *
 * <p>Budget: a streaming LLM delivers a token every 10 to 50 ms, and the first phrase is on the critical path to the
 * first audio, so a token must cost far less than 10 ms; microseconds make it invisible next to synthesis.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx512m", "-Xss8m", "--enable-native-access=ALL-UNNAMED"})
public class SentenceChunkerBenchmark {
    static final String REPLY = """
            Sure, here's what I found. The **Eiffel Tower** is about 330 m tall, and Mr. Eiffel's company finished it \
            in 1889, i.e. just in time for the World's Fair. A few tips for your visit:
            1. Go early, before 9:30 a.m., when the queues are short.
            2. Book tickets online at [the official site](https://www.toureiffel.paris/en) to skip the line.
            3. The summit costs €36.10 for adults; the second floor is cheaper.
            Would you like me to set a reminder, e.g. for tomorrow morning? I can also check the weather first!""";
    /** The tokens of {@link #REPLY}: a word with the space before it, a number, or one punctuation mark. */
    static final List<String> TOKENS = tokens(REPLY);

    private final String[] tokens = TOKENS.toArray(String[]::new);
    private SentenceChunker chunker;
    private int next;

    static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile(" ?[\\p{L}']+| ?\\d+|\\s+|.").matcher(text);
        while (m.find()) out.add(m.group());
        return out;
    }

    @Setup(Level.Trial)
    public void load() {
        chunker = new SentenceChunker();
    }

    /** One token; the reply's last token also flushes, so the next token starts a new reply. */
    @Benchmark
    public void perToken(Blackhole bh) {
        bh.consume(chunker.add(tokens[next]));
        if (++next == tokens.length) {
            next = 0;
            bh.consume(chunker.flush());
        }
    }
}

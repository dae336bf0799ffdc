package dev.parley.jmh;

import dev.parley.dialog.DialogException;
import dev.parley.dialog.Scheduler;
import dev.parley.dialog.TextStream;
import dev.parley.dialog.skills.SkillsBrain;
import dev.parley.dialog.skills.SkillsDialog;
import dev.parley.stt.Transcript;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The offline assistant's time to its first phrase: from the user's words to the first piece of the reply, for the
 * kinds of turn it meets (a question, an action, arithmetic, a conversion, small talk, and out of scope, which also
 * searches the notes). Each call has a new session's brain, as a new user would, with the real all-MiniLM-L6-v2
 * classifier. The goal is under 20 ms on a 2-core machine.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx512m", "--enable-native-access=ALL-UNNAMED"})
public class SkillsReplyBenchmark {

    @Param({"what time is it", "set a timer for five minutes", "what is seventeen times twenty three",
            "how many miles is ten kilometres", "hello there", "book me a flight to paris"})
    public String utterance;

    private SkillsBrain brain;
    private final Scheduler scheduler = Scheduler.system();
    private SkillsDialog dialog;

    @Setup(Level.Trial)
    public void load() throws IOException {
        brain = SkillsBrain.load(SkillsBrain.Settings.DEFAULT);
    }

    @Setup(Level.Invocation)
    public void newSession() {
        dialog = brain.newDialog(scheduler, "bench", null);
    }

    @TearDown(Level.Invocation)
    public void endSession() {
        dialog.close();
    }

    @TearDown(Level.Trial)
    public void unload() {
        brain.close();
    }

    @Benchmark
    public String firstPhrase() throws DialogException {
        try (TextStream reply = dialog.respond(List.of(), new Transcript(utterance, 0.95))) {
            return reply.next();
        }
    }
}

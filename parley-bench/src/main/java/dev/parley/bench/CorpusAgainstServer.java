package dev.parley.bench;


import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.parley.bench.BenchOutput.finish;
import static dev.parley.bench.BenchOutput.ms;
import static dev.parley.bench.BenchOutput.writeCharts;
import static dev.parley.bench.BenchOutput.writeJson;

/**
 * {@code parley bench --url}: the corpus against a Realtime server that runs elsewhere ({@link ServerBenchmark#runRemote}),
 * loading nothing here.
 */
public final class CorpusAgainstServer {
    private CorpusAgainstServer() {
    }

    /** The server at {@code url}, with {@code Authorization: Bearer token} on every upgrade unless the token is null. */
    public static ServerBenchmark.Target target(URI url, String token) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        String bearer = token == null ? null : "Bearer " + token.strip();
        return new ServerBenchmark.Target(url, () -> {
            WebSocket.Builder b = http.newWebSocketBuilder();
            return bearer == null ? b : b.header("Authorization", bearer);
        });
    }

    /**
     * Runs the corpus against {@code target} and prints (or writes) the results; returns the exit code.
     *
     * @throws UncheckedIOException when the server cannot be reached or fails the session (its message says why)
     */
    public static int run(BenchRun run, ServerBenchmark.Target target, int outputRate) throws Exception {
        PrintWriter o = run.out(), err = run.err();
        boolean json = run.json();
        String shown = ServerBenchmark.shown(target.uri());
        int warm = run.warmup() == null ? 1 : run.warmup();
        String loadBefore = ProcStatus.loadAverage();
        ServerBenchmark.Report report;
        boolean[] header = {false};
        try {
            report = ServerBenchmark.runRemote(run.clips(), target, outputRate, warm, note -> {
                if (!json) err.println(note);
            }, c -> {
                if (json) return;
                // after the first clip went through: a server that cannot be reached gets its one-line error alone
                if (!header[0]) err.printf("%-44s %10s  %s%n", "clip", "end to end", "transcript");
                header[0] = true;
                err.printf("%-44s %10s  %s%n", c.clip(), ms(c.webSocket().endToEndMs()), c.webSocket().transcript());
                for (String e : c.webSocket().errors()) err.println("    error: " + e);
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        BenchFigures figures = BenchFigures.ofServer(report);
        int errors = figures.clips().stream().mapToInt(c -> c.errors().size()).sum();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("transport", "websocket");
        m.put("server", shown);
        m.putAll(figures.json());
        m.put("warmup_clips", report.warmupClips());
        m.put("errors", errors);
        m.put("load_average", Map.of("before", loadBefore, "after", ProcStatus.loadAverage()));
        finish(m);
        writeCharts(run.outDir(), figures, m, shown);
        if (json) {
            o.println(writeJson(m));
            return 0;
        }
        o.printf("%n%d clips (after %d warm-up), %d answered, over the WebSocket to %s; %s%n", figures.clips().size(), report.warmupClips(),
                figures.answered(), shown, ZonedDateTime.now().withNano(0));
        figures.printTable(o);
        o.printf("errors                 %d%n", errors);
        if (run.outDir() != null) o.printf("charts and results.json in %s%n", run.outDir());
        return 0;
    }
}

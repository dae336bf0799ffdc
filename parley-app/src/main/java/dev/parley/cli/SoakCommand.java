package dev.parley.cli;

import dev.parley.bench.ProcStatus;
import dev.parley.bench.ServerProcess;
import dev.parley.bench.load.ClipStream;
import dev.parley.bench.load.FakeEngines;
import dev.parley.bench.load.FakeLatencies;
import dev.parley.bench.load.Flatness;
import dev.parley.bench.load.LoadTest;
import dev.parley.bench.load.Soak;
import dev.parley.bench.load.SoakInterval;
import dev.parley.transport.server.ParleyServer;
import dev.parley.transport.server.ServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code parley soak}: the load test's callers held for minutes while the server's resident memory, threads and open
 * file descriptors and the callers' p95 first-audio latency are printed every interval, then whether each stayed flat.
 * A leak or a slow-down shows only over time, which the load test's short steps do not give it. Exit code 1 when a
 * line rose, so a script can run it.
 */
@Command(name = "soak", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"N callers (the load test's: corpus clips turn after turn, in real time) held on a",
                "Realtime server for M minutes. Every interval it prints the server process's",
                "resident memory (VmRSS), threads and open file descriptors (/proc/PID/status and",
                "/proc/PID/fd) and the p95 of end of speech to first reply audio of that interval's",
                "turns; then, after a warm-up, whether each line stayed flat (the last interval",
                "within --tolerance-pct of the first; a small slack for thread and fd counts).",
                "Exit code 1 when a line rose.",
                "",
                "--providers fake (default): fake engines of fixed latency, server in this process,",
                "so its figures include the callers (a few virtual threads and a socket each).",
                "--providers local: the embedded models in a child JVM, measured alone.",
                "--url with --pid: a server already running on this machine."})
final class SoakCommand implements Callable<Integer> {
    @Option(names = "--sessions", paramLabel = "N", defaultValue = "4", description = "Callers held at once. Default: ${DEFAULT-VALUE}.")
    int sessions;

    @Option(names = "--minutes", paramLabel = "M", defaultValue = "5", description = "How long. Default: ${DEFAULT-VALUE}.")
    double minutes;

    @Option(names = "--interval", paramLabel = "S", defaultValue = "30", description = "Seconds between samples. Default: ${DEFAULT-VALUE}.")
    int interval;

    @Option(names = "--warmup", paramLabel = "K", defaultValue = "1",
            description = "Intervals left out of the flatness check (class loading, JIT, pools). Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--tolerance-pct", paramLabel = "P", defaultValue = "20",
            description = "Change from the first interval after the warm-up to the last still flat. Default: ${DEFAULT-VALUE}.")
    double tolerancePct;

    @Option(names = "--providers", paramLabel = "fake|local", defaultValue = "fake", description = "The server's engines. Default: ${DEFAULT-VALUE}.")
    LoadtestCommand.Providers providers;

    @Option(names = "--url", paramLabel = "ws://HOST:PORT/v1/realtime", description = "A running server instead (needs --pid).")
    URI url;

    @Option(names = "--pid", paramLabel = "PID", description = "The process of the server at --url, to sample.")
    Long pid;

    @Mixin
    CorpusOptions corpus;

    @Option(names = "--reply-timeout-s", paramLabel = "S", defaultValue = "15",
            description = "A turn with no reply audio this long after its end of speech is an error. Default: ${DEFAULT-VALUE}.")
    int replyTimeoutS;

    @Mixin
    PipelineOptions pipeline;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        check();
        List<ClipStream> clips = corpus.clips();
        Duration length = Duration.ofMillis(Math.round(minutes * 60_000)), every = Duration.ofSeconds(interval);
        Duration replyTimeout = Duration.ofSeconds(replyTimeoutS);
        ParleyServer server = null;
        ServerProcess child = null;
        try {
            LoadTest.Target target;
            long serverPid;
            String what;
            if (url != null) {
                target = new LoadTest.Target(url, clips, null, replyTimeout, null);
                serverPid = pid;
                what = "the server at " + url + ", process " + pid;
            } else if (providers == LoadtestCommand.Providers.local) {
                err.println("starting a server with the embedded models in a child JVM…");
                child = ServerProcess.start(pipeline.voice, sessions);
                target = new LoadTest.Target(child.realtimeUri(), clips, null, replyTimeout, null);
                serverPid = child.pid();
                what = "the embedded models in child process " + serverPid;
            } else {
                FakeEngines fakes = new FakeEngines(new FakeLatencies(200, 300, 150));
                LoadtestCommand.quietServerLog();
                server = ParleyServer.start(ServerConfig.local(0, pipeline.sessionConfig(), pipeline.voice), fakes);
                ParleyServer s = server;
                target = new LoadTest.Target(server.realtimeUri(), clips, fakes, replyTimeout, s::activeSessions);
                serverPid = ProcessHandle.current().pid();
                what = "fake engines in this process " + serverPid + " (its figures include the callers)";
            }
            o.printf("soak: %d sessions for %s min against %s; a sample every %d s%n", sessions, fmt(minutes), what, interval);
            o.printf("%8s %6s %6s %10s %9s %8s %6s%n", "time", "turns", "errors", "p95 ms", "rss MB", "threads", "fds");
            o.flush();
            ProcStatus.Sample before = ProcStatus.sample(serverPid);
            o.printf("%8s %6s %6s %10s %9.1f %8d %6d%n", "before", "-", "-", "-", before.rssMb(), before.threads(), before.fds());
            Soak.Result r = Soak.run(target, serverPid, sessions, length, every, note -> err.println("  " + note), i -> {
                o.println(row(i));
                o.flush();
            });
            return summarize(o, r);
        } finally {
            if (server != null) server.close();
            if (child != null) child.close();
        }
    }

    private int summarize(PrintWriter o, Soak.Result r) {
        LoadTest.Step s = r.step();
        o.printf("in all: %d turns, %d errors%s; end to end p50 %s p95 %s ms%n", s.turns(), s.errors(),
                s.errors() == 0 ? "" : " " + s.errorsByKind(), ms(s.endToEndMs().p50()), ms(s.endToEndMs().p95()));
        for (String e : s.errorSamples().subList(0, Math.min(3, s.errorSamples().size()))) o.println("  error: " + e);
        o.printf("flat? the last interval against the first after a warm-up of %d, within %s %%:%n", warmup, fmt(tolerancePct));
        boolean rose = false;
        for (Flatness f : Soak.summary(r.intervals(), warmup, tolerancePct / 100)) {
            o.println("  " + f.describe());
            rose |= f.verdict() == Flatness.Verdict.ROSE;
        }
        o.println(rose ? "soak: a line rose: look for a leak or a slow-down" : "soak: no line rose");
        return rose ? 1 : 0;
    }

    private void check() {
        if (sessions < 1 || sessions > 10_000) throw new UserError("invalid setting: --sessions must be between 1 and 10000");
        if (!(minutes > 0) || minutes > 24 * 60) throw new UserError("invalid setting: --minutes must be above 0 and at most 1440");
        if (interval < 1 || interval > 3600) throw new UserError("invalid setting: --interval must be between 1 and 3600 s");
        if (warmup < 0) throw new UserError("invalid setting: --warmup must not be negative");
        if (!(tolerancePct >= 0)) throw new UserError("invalid setting: --tolerance-pct must not be negative");
        if (replyTimeoutS < 1 || replyTimeoutS > 600) throw new UserError("invalid setting: --reply-timeout-s must be between 1 and 600 s");
        corpus.validate();
        if ((url == null) != (pid == null)) throw new UserError("--url and --pid go together: the server to load and its process to sample");
        if (url != null) LoadtestCommand.checkUrl(url);
    }

    static String row(SoakInterval i) {
        int s = (int) Math.round(i.endS());
        return String.format("%5d:%02d %6d %6d %10s %9.1f %8d %6d", s / 60, s % 60, i.turns(), i.errors(), ms(i.firstAudio().p95()),
                i.server().rssMb(), i.server().threads(), i.server().fds());
    }

    private static String ms(double v) {
        return Double.isNaN(v) ? "-" : String.format("%.1f", v);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}

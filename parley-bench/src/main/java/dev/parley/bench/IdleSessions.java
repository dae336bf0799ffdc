package dev.parley.bench;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code parley bench --idle-sessions N}: what an idle session costs a server in a child JVM and whether N opened at
 * once all stay up ({@link IdleSessionsBenchmark}), as a table or one JSON object.
 */
public final class IdleSessions {
    private IdleSessions() {
    }

    /**
     * Opens {@code sessions} idle sessions, holds them for {@code hold}, checks and closes them, and prints what they
     * cost; returns the exit code, 1 when any of them failed.
     */
    public static int run(int sessions, Duration hold, String voice, boolean json, PrintWriter o, PrintWriter err) throws Exception {
        String loadBefore = ProcStatus.loadAverage();
        IdleSessionsBenchmark.Report r = IdleSessionsBenchmark.run(sessions, hold, voice, note -> {
            if (!json) err.println(note);
        });
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("idle_sessions", r.sessions());
            m.put("created", r.created());
            m.put("answered_after_hold", r.answered());
            m.put("errors", r.errors().size());
            m.put("error_samples", r.errors().subList(0, Math.min(10, r.errors().size())));
            m.put("open_ms", r.openMs());
            m.put("held_ms", r.heldMs());
            m.put("server_cpu_while_held_percent_of_a_core", BenchFigures.round(100 * r.holdCpuCores()));
            m.put("close_ms", r.closeMs());
            m.put("sessions_after_close", r.afterClose().sessions());
            Map<String, Object> per = new LinkedHashMap<>();
            per.put("heap", BenchFigures.round(r.heapPerSessionKb()));
            per.put("rss", BenchFigures.round(r.rssPerSessionKb()));
            per.put("rss_anon", BenchFigures.round(r.rssAnonPerSessionKb()));
            per.put("direct", BenchFigures.round(r.directPerSessionKb()));
            m.put("per_session_kb", per);
            m.put("heap_left_after_close_kb", BenchFigures.round(r.heapLeftAfterCloseKb()));
            Map<String, Object> server = new LinkedHashMap<>();
            server.put("pid", r.serverPid());
            server.put("before", snapshot(r.before()));
            server.put("open", snapshot(r.open()));
            server.put("after_close", snapshot(r.afterClose()));
            m.put("server", server);
            List<Map<String, Object>> top = new ArrayList<>();
            for (IdleSessionsBenchmark.ClassGrowth g : r.topClasses()) {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("class", g.className());
                c.put("instances_per_session", BenchFigures.round((double) g.instances() / Math.max(1, r.created())));
                c.put("bytes_per_session", BenchFigures.round((double) g.bytes() / Math.max(1, r.created())));
                top.add(c);
            }
            m.put("heap_per_session_by_class", top);
            m.put("load_average", Map.of("before", loadBefore, "after", ProcStatus.loadAverage()));
            m.put("date", ZonedDateTime.now().toString());
            m.put("cpu_cores", Runtime.getRuntime().availableProcessors());
            o.println(BenchOutput.writeJson(m));
            return r.errors().isEmpty() ? 0 : 1;
        }
        o.printf("%n%d idle sessions asked for, %d created in %d ms, %d answered after %.1f s idle, %d errors; %s, %d cores, Java %s%n",
                r.sessions(), r.created(), r.openMs(), r.answered(), r.heldMs() / 1000.0, r.errors().size(),
                ZonedDateTime.now().withNano(0), Runtime.getRuntime().availableProcessors(), Runtime.version());
        o.printf("load average (1, 5, 15 min) before: %s; after: %s%n", loadBefore, ProcStatus.loadAverage());
        for (String e : r.errors().subList(0, Math.min(10, r.errors().size()))) o.println("  error: " + e);
        o.printf("%-34s %12s %12s %12s %14s%n", "server (child JVM, pid " + r.serverPid() + ")", "before", "open", "after close", "per session");
        o.printf("%-34s %9.1f MB %9.1f MB %9.1f MB %11.1f kB%n", "heap used after GC", mb(r.before().heapUsedBytes()),
                mb(r.open().heapUsedBytes()), mb(r.afterClose().heapUsedBytes()), r.heapPerSessionKb());
        o.printf("%-34s %9.1f MB %9.1f MB %9.1f MB %11.1f kB%n", "resident (VmRSS)", r.before().rssKb() / 1024.0,
                r.open().rssKb() / 1024.0, r.afterClose().rssKb() / 1024.0, r.rssPerSessionKb());
        o.printf("%-34s %9.1f MB %9.1f MB %9.1f MB %11.1f kB%n", "resident anonymous (RssAnon)", r.before().rssAnonKb() / 1024.0,
                r.open().rssAnonKb() / 1024.0, r.afterClose().rssAnonKb() / 1024.0, r.rssAnonPerSessionKb());
        o.printf("%-34s %9.1f MB %9.1f MB %9.1f MB %11.1f kB%n", "direct buffers", mb(r.before().directBytes()),
                mb(r.open().directBytes()), mb(r.afterClose().directBytes()), r.directPerSessionKb());
        o.printf("%-34s %.2f %% of a core while the sessions were held%n", "server CPU", 100 * r.holdCpuCores());
        o.printf("%-34s %12d %12d %12d%n", "platform threads", r.before().platformThreads(), r.open().platformThreads(), r.afterClose().platformThreads());
        o.printf("%-34s %12d %12d %12d   (back to 0 in %s)%n", "open sessions (server's count)", r.before().sessions(), r.open().sessions(),
                r.afterClose().sessions(), r.closeMs() < 0 ? "more than 30 s" : r.closeMs() + " ms");
        o.println("heap per session by class (live bytes with the sessions open, less before):");
        for (IdleSessionsBenchmark.ClassGrowth g : r.topClasses()) {
            o.printf("  %9.0f B %7.1f objects  %s%n", (double) g.bytes() / Math.max(1, r.created()),
                    (double) g.instances() / Math.max(1, r.created()), g.className());
        }
        return r.errors().isEmpty() ? 0 : 1;
    }

    private static Map<String, Object> snapshot(IdleSessionsBenchmark.Snapshot s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("heap_used_bytes", s.heapUsedBytes());
        m.put("heap_committed_bytes", s.heapCommittedBytes());
        m.put("direct_bytes", s.directBytes());
        m.put("direct_buffers", s.directBuffers());
        m.put("rss_kb", s.rssKb());
        m.put("rss_anon_kb", s.rssAnonKb());
        m.put("platform_threads", s.platformThreads());
        m.put("sessions", s.sessions());
        m.put("tasks", s.tasks());
        return m;
    }

    private static double mb(long bytes) {
        return bytes / 1048576.0;
    }
}

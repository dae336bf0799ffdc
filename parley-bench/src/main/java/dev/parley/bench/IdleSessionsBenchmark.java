package dev.parley.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.transport.realtime.client.RealtimeClient;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What idle sessions cost a server, and whether many can be open at once: a server in a child JVM (so its memory
 * holds nothing of the client's), {@code n} WebSocket connections opened all at once, each waiting for
 * {@code session.created} and then sending nothing; the server's heap after full collections and its resident memory
 * are read before and with the sessions open, and divided by {@code n}. The sessions are held for a while, then each
 * must still answer a {@code session.update} with {@code session.updated}; then all close and the server's count of
 * open sessions must come back to what it was.
 */
public final class IdleSessionsBenchmark {
    /** Sessions opened and closed before measuring, so the classes, code and pools every session uses are in place. */
    static final int WARM_UP_SESSIONS = 10;
    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(30);

    /** The server's state at one moment: memory after full collections, threads and sessions. */
    public record Snapshot(long heapUsedBytes, long heapCommittedBytes, long directBytes, long directBuffers, long rssKb,
                           long rssAnonKb, int platformThreads, int sessions, int tasks) {
        static Snapshot of(JsonNode m) {
            return new Snapshot(m.path("heap_used_bytes").asLong(), m.path("heap_committed_bytes").asLong(),
                    m.path("direct_bytes").asLong(), m.path("direct_buffers").asLong(), m.path("rss_kb").asLong(),
                    m.path("rss_anon_kb").asLong(), m.path("platform_threads").asInt(), m.path("sessions").asInt(), m.path("tasks").asInt());
        }
    }

    /** A class whose live heap grew with the sessions open: totals over all of them. */
    public record ClassGrowth(String className, long instances, long bytes) {}

    /**
     * @param sessions        sessions asked for
     * @param created         sessions that received {@code session.created}
     * @param answered        sessions that answered the {@code session.update} after the hold
     * @param errors          every failure: a connection refused or dropped, an event missing, an {@code error} event
     * @param openMs          from the first connection attempt to the last {@code session.created}
     * @param heldMs          how long the idle sessions were held before the check
     * @param holdCpuCores    the server's CPU time while the idle sessions were held, over the time (1.0: one core busy)
     * @param before          the server warm, with no session open
     * @param open            with the sessions open and idle
     * @param afterClose      once they are closed
     * @param closeMs         from closing the clients to the server's count of open sessions back to where it was
     * @param topClasses      the classes whose live heap grew most with the sessions open
     */
    public record Report(int sessions, int created, int answered, List<String> errors, long openMs, long heldMs,
                         double holdCpuCores, Snapshot before, Snapshot open, Snapshot afterClose, long closeMs, long serverPid,
                         List<ClassGrowth> topClasses) {
        public double heapPerSessionKb() {
            return perSession(open.heapUsedBytes() - before.heapUsedBytes()) / 1024;
        }

        public double rssPerSessionKb() {
            return perSession(open.rssKb() - before.rssKb());
        }

        public double rssAnonPerSessionKb() {
            return perSession(open.rssAnonKb() - before.rssAnonKb());
        }

        public double directPerSessionKb() {
            return perSession(open.directBytes() - before.directBytes()) / 1024;
        }

        /** Heap still held once every session closed, against the start (a leak shows here). */
        public double heapLeftAfterCloseKb() {
            return (afterClose.heapUsedBytes() - before.heapUsedBytes()) / 1024.0;
        }

        private double perSession(long total) {
            return created == 0 ? Double.NaN : (double) total / created;
        }
    }

    private IdleSessionsBenchmark() {
    }

    /** Runs the benchmark against a server started in a child JVM with the given voice. */
    public static Report run(int sessions, Duration hold, String voice, Consumer<String> progress) throws IOException, InterruptedException {
        progress.accept("starting a server in a child JVM (loading the engines)…");
        try (ServerProcess server = ServerProcess.start(voice, sessions)) {
            return run(sessions, hold, server, progress);
        }
    }

    static Report run(int sessions, Duration hold, ServerProcess server, Consumer<String> progress) throws IOException, InterruptedException {
        if (sessions < 1) throw new IllegalArgumentException("sessions must be at least 1");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        URI uri = server.realtimeUri();
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();

        progress.accept("warming up: " + WARM_UP_SESSIONS + " sessions opened, updated and closed");
        List<RealtimeClient> warm = open(http, uri, WARM_UP_SESSIONS, new ConcurrentLinkedQueue<>());
        for (RealtimeClient c : warm) answers(c, 0, new ConcurrentLinkedQueue<>());
        warm.forEach(RealtimeClient::close);
        long closeMs = waitForSessions(server, 0, Duration.ofSeconds(30));
        if (closeMs < 0) throw new IOException("the server still counts open sessions after the warm-up");

        server.command("mark", Duration.ofSeconds(60));
        Snapshot before = Snapshot.of(server.measure());
        progress.accept(String.format("before: heap %.1f MB after GC, resident %.1f MB; opening %d sessions at once",
                before.heapUsedBytes() / 1048576.0, before.rssKb() / 1024.0, sessions));

        long t0 = System.nanoTime();
        List<RealtimeClient> clients = open(http, uri, sessions, errors);
        long openMs = (System.nanoTime() - t0) / 1_000_000;
        int created = clients.size();
        Snapshot open = Snapshot.of(server.measure());
        List<ClassGrowth> top = new ArrayList<>();
        for (JsonNode g : server.command("diff 15", Duration.ofSeconds(60))) {
            top.add(new ClassGrowth(g.path("class").asText(), g.path("instances").asLong(), g.path("bytes").asLong()));
        }
        progress.accept(String.format("%d sessions open in %d ms: heap %.1f MB after GC, resident %.1f MB; holding them %d s",
                created, openMs, open.heapUsedBytes() / 1048576.0, open.rssKb() / 1024.0, hold.toSeconds()));

        long held = System.nanoTime();
        Duration cpu0 = server.cpuTime();
        Thread.sleep(hold.toMillis());
        double holdCpu = server.cpuTime().minus(cpu0).toNanos() / (double) Math.max(1, System.nanoTime() - held);
        int answered = 0;
        for (int i = 0; i < clients.size(); i++) {
            if (answers(clients.get(i), i, errors)) answered++;
        }
        long heldMs = (System.nanoTime() - held) / 1_000_000;
        for (int i = 0; i < clients.size(); i++) {
            for (RealtimeClient.Event e : clients.get(i).errorEvents()) errors.add("session " + i + ": error event " + e.json().path("error"));
        }
        progress.accept(answered + " of " + created + " answered after the hold; closing them");

        long closing = System.nanoTime();
        clients.forEach(RealtimeClient::close);
        long drained = waitForSessions(server, 0, Duration.ofSeconds(30));
        long closeAll = drained < 0 ? -1 : (System.nanoTime() - closing) / 1_000_000;
        Snapshot after = Snapshot.of(server.measure());
        if (after.sessions() != 0) errors.add("the server still counts " + after.sessions() + " open sessions 30 s after they all closed");
        return new Report(sessions, created, answered, List.copyOf(errors), openMs, heldMs, holdCpu, before, open, after, closeAll,
                server.pid(), List.copyOf(top));
    }

    /** Opens {@code n} connections at once; returns those that received {@code session.created}. */
    private static List<RealtimeClient> open(HttpClient http, URI uri, int n, ConcurrentLinkedQueue<String> errors) throws InterruptedException {
        List<CompletableFuture<RealtimeClient>> connecting = new ArrayList<>(n);
        for (int i = 0; i < n; i++) connecting.add(RealtimeClient.connect(http, uri, null));
        List<RealtimeClient> open = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            RealtimeClient c;
            try {
                c = connecting.get(i).get(EVENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception e) {
                errors.add("session " + i + ": connection failed: " + rootCause(e));
                continue;
            }
            RealtimeClient.Event created = c.await("session.created", EVENT_TIMEOUT);
            if (created == null) {
                errors.add("session " + i + ": no session.created within " + EVENT_TIMEOUT.toSeconds() + " s (close code " + c.closeCode() + ")");
                c.close();
                continue;
            }
            open.add(c);
        }
        return open;
    }

    /** Whether an idle session still answers: a {@code session.update} gets its {@code session.updated}. */
    private static boolean answers(RealtimeClient c, int i, ConcurrentLinkedQueue<String> errors) throws InterruptedException {
        if (!c.isOpen()) {
            errors.add("session " + i + ": the connection closed while idle (code " + c.closeCode() + ", " + c.failure() + ")");
            return false;
        }
        try {
            var update = RealtimeClient.event("session.update").put("event_id", "evt_check_" + i);
            update.putObject("session").put("instructions", "Still there?");
            c.send(update);
        } catch (IllegalStateException e) {
            errors.add("session " + i + ": " + e.getMessage());
            return false;
        }
        RealtimeClient.Event updated = c.await("session.updated", EVENT_TIMEOUT);
        if (updated == null) {
            errors.add("session " + i + ": no session.updated within " + EVENT_TIMEOUT.toSeconds() + " s");
            return false;
        }
        if (!updated.json().at("/session/instructions").asText().equals("Still there?")) {
            errors.add("session " + i + ": session.updated does not show the update");
            return false;
        }
        return true;
    }

    /** Polls the server until it counts {@code n} open sessions; the time it took in ms, or -1. */
    private static long waitForSessions(ServerProcess server, int n, Duration timeout) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        long deadline = t0 + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            // a light poll: the full measurement (with its collections) comes after
            if (server.command("sessions", Duration.ofSeconds(10)).path("sessions").asInt() == n) return (System.nanoTime() - t0) / 1_000_000;
            Thread.sleep(20);
        }
        return -1;
    }

    private static String rootCause(Throwable e) {
        while (e.getCause() != null) e = e.getCause();
        return e.toString();
    }
}

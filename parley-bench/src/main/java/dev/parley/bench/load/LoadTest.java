package dev.parley.bench.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * Runs {@code N} synthetic {@linkplain Caller callers} at once against a Realtime server for a while and sums up what
 * they saw, and what this process cost meanwhile ({@link ResourceSampler}). One call is one step of a ramp.
 *
 * <p>Bounded: exactly {@code N} callers (each with at most one socket at a time), each stopping at the deadline
 * (see {@link Caller}); a caller still running {@link #GRACE} after its last turn could have ended is interrupted
 * and counted as an error. Every socket is closed by the time this returns; with a server in this process, it also
 * waits (up to 10 s) for the server to count no session left, and reports those that are.
 */
public final class LoadTest {
    /** Callers share an HTTP client (one selector thread) by this many. */
    private static final int CALLERS_PER_CLIENT = 50;
    /** Beyond the deadline and a turn's timeouts, what a caller may still take (connecting, closing). */
    static final Duration GRACE = Duration.ofSeconds(60);

    /**
     * Where and what the callers speak.
     *
     * @param uri          the server's {@code /v1/realtime}
     * @param clips        the corpus, ready to stream
     * @param fakes        the fake engines of the server (in this process or a child JVM), or null (real engines, or a remote server)
     * @param replyTimeout a turn without reply audio this long after its end of speech is an error
     * @param openSessions the in-process server's count of open sessions, or null for a remote server
     * @param measuredPid  the process whose CPU and memory a step reports: this one, or a server's child JVM
     */
    public record Target(URI uri, List<ClipStream> clips, ScriptedSessions fakes, Duration replyTimeout, IntSupplier openSessions,
                         long measuredPid) {
        public Target {
            clips = List.copyOf(clips);
            if (clips.isEmpty()) throw new IllegalArgumentException("no clips to speak");
        }

        /** Measuring this process. */
        public Target(URI uri, List<ClipStream> clips, ScriptedSessions fakes, Duration replyTimeout, IntSupplier openSessions) {
            this(uri, clips, fakes, replyTimeout, openSessions, ProcessHandle.current().pid());
        }
    }

    /**
     * One step.
     *
     * @param endToEndMs    from the end of speech to the first reply audio at the caller
     * @param overheadMs    Parley's own overhead ({@link Overhead}), {@link Latency#NONE} without fakes
     * @param waterfallMs   the server's stages (from {@code response.done}), by stage
     * @param wallS         how long the step really took, from the first caller's start to the last one's end
     * @param sessionsLeftOpen sessions the in-process server still counted at the end (-1: remote, unknown)
     */
    public record Step(int sessions, double durationS, double wallS, long turns, long errors, Map<String, Long> errorsByKind,
                       List<String> errorSamples, Latency endToEndMs, Latency overheadMs, long negativeOverheadTurns,
                       Map<String, Latency> waterfallMs, ResourceSampler.Usage usage, int sessionsLeftOpen) {
        public Ramp.Outcome outcome(boolean byOverhead) {
            return new Ramp.Outcome(sessions, turns, errors, (byOverhead ? overheadMs : endToEndMs).p95());
        }
    }

    private LoadTest() {
    }

    /** Runs {@code sessions} callers for {@code duration}. */
    public static Step run(Target target, int sessions, Duration duration, Consumer<String> notes) throws InterruptedException {
        return run(target, sessions, duration, notes, new StepRecorder());
    }

    /** The same, recording into {@code recorder}, which a {@link Soak} reads while the step runs. */
    static Step run(Target target, int sessions, Duration duration, Consumer<String> notes, StepRecorder recorder) throws InterruptedException {
        if (sessions < 1) throw new IllegalArgumentException("at least one session: " + sessions);
        // the clients first (a first HTTP client takes seconds to set up on a busy machine): not the server's time
        List<HttpClient> clients = new ArrayList<>();
        for (int i = 0; i < sessions; i += CALLERS_PER_CLIENT) clients.add(HttpClient.newBuilder().connectTimeout(Caller.CONNECT_TIMEOUT).build());
        ResourceSampler sampler = new ResourceSampler(target.measuredPid());
        long start = System.nanoTime(), deadline = start + duration.toNanos();
        // spread the callers' first turns over up to 2 s (a quarter of a short step), so they do not speak in lockstep
        long spread = Math.min(TimeUnit.SECONDS.toNanos(2), duration.toNanos() / 4);
        List<Thread> callers = new ArrayList<>();
        try {
            for (int i = 0; i < sessions; i++) {
                Caller c = new Caller(target.uri(), clients.get(i / CALLERS_PER_CLIENT), target.clips(), i, target.fakes(), start + spread * i / sessions,
                        deadline, target.replyTimeout(), recorder);
                callers.add(Thread.ofVirtual().name("caller-" + i).start(c));
            }
            long bound = deadline + target.replyTimeout().toNanos() + Caller.DONE_TIMEOUT_NANOS
                    + GRACE.toNanos();
            for (Thread t : callers) {
                long left = bound - System.nanoTime();
                if (left <= 0 || !t.join(Duration.ofNanos(Math.max(1, left)))) {
                    t.interrupt();
                    recorder.error("caller_stuck", t.getName() + " was still running " + GRACE.toSeconds() + " s past its timeouts");
                }
            }
        } finally {
            for (Thread t : callers) {
                if (t.isAlive()) {
                    t.interrupt();
                    t.join(Duration.ofSeconds(5));
                }
            }
            for (HttpClient h : clients) h.shutdownNow();
        }
        double wallS = (System.nanoTime() - start) / 1e9;
        int left = -1;
        if (target.openSessions() != null) {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((left = target.openSessions().getAsInt()) > 0 && System.nanoTime() < until) Thread.sleep(20);
            if (left > 0) notes.accept(left + " session(s) still open on the server 10 s after every caller closed its socket");
        }
        ResourceSampler.Usage usage = sampler.usage();
        return new Step(sessions, duration.toMillis() / 1000.0, wallS, recorder.turns(), recorder.errors(), recorder.errorsByKind(),
                recorder.errorSamples(), recorder.endToEnd(), target.fakes() == null ? Latency.NONE : recorder.overhead(),
                recorder.negativeOverhead(), recorder.stages(), usage, left);
    }
}

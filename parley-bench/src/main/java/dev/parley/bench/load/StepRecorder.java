package dev.parley.bench.load;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the callers of one step saw, recorded from many threads at once: latencies into HdrHistograms (microseconds,
 * 3 significant digits), errors counted by kind with a few samples kept. Nothing here throws at a caller.
 *
 * <p>The latencies are already free of coordinated omission when they arrive: a caller dates every turn from its
 * microphone's schedule, not from when it managed to send (see {@link Caller}), so a plain
 * {@code recordValue} is right and {@code recordValueWithExpectedInterval} would count the stall twice.
 *
 * <p>HdrHistogram here, not {@code eval.Percentiles}: thousands of turns from many threads at once, in bounded memory,
 * and a soak's per-interval histograms ({@link Recorder}); the corpus benchmarks' small samples use the exact one.
 */
final class StepRecorder {
    static final List<String> STAGES = List.of("endpoint", "stt", "dialog", "tts", "out");
    private static final int SAMPLES = 10;

    private final Histogram endToEnd = new ConcurrentHistogram(3);
    private final Histogram overhead = new ConcurrentHistogram(3);
    /** End to end again, emptied at every {@link #intervalEndToEnd()}: a soak's latency per sampling interval. */
    private final Recorder interval = new Recorder(3);
    private final Map<String, Histogram> stages = new ConcurrentSkipListMap<>();
    private final AtomicLong turns = new AtomicLong(), negativeOverhead = new AtomicLong();
    private final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
    private final List<String> samples = Collections.synchronizedList(new ArrayList<>());

    /**
     * An answered turn.
     *
     * @param overheadMs NaN unless the engines are fakes of known latency
     * @param waterfall  the server's stages ({@code latency_*_ms} of {@code response.done}), any of them missing
     */
    void answered(double endToEndMs, double overheadMs, Map<String, Double> waterfall) {
        turns.incrementAndGet();
        endToEnd.recordValue(micros(endToEndMs));
        interval.recordValue(micros(endToEndMs));
        if (!Double.isNaN(overheadMs)) {
            if (overheadMs < 0) negativeOverhead.incrementAndGet();
            overhead.recordValue(micros(overheadMs));
        }
        waterfall.forEach((stage, ms) -> {
            if (STAGES.contains(stage) && !Double.isNaN(ms)) stages.computeIfAbsent(stage, k -> new ConcurrentHistogram(3)).recordValue(micros(ms));
        });
    }

    /** A failed turn or connection: {@code kind} is a short key ({@code no_reply}, {@code closed}, …). */
    void error(String kind, String detail) {
        errors.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
        synchronized (samples) {
            if (samples.size() < SAMPLES) samples.add(kind + ": " + detail);
        }
    }

    long turns() {
        return turns.get();
    }

    long errors() {
        return errors.values().stream().mapToLong(AtomicLong::get).sum();
    }

    Map<String, Long> errorsByKind() {
        Map<String, Long> m = new TreeMap<>();
        errors.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    List<String> errorSamples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    Latency endToEnd() {
        return Latency.of(endToEnd);
    }

    /** End to end of the turns answered since the last call (or the start). */
    Latency intervalEndToEnd() {
        return Latency.of(interval.getIntervalHistogram());
    }

    Latency overhead() {
        return Latency.of(overhead);
    }

    /** Turns whose overhead came out below 0 (recorded as 0): a check on the method, expected 0. */
    long negativeOverhead() {
        return negativeOverhead.get();
    }

    Map<String, Latency> stages() {
        Map<String, Latency> m = new java.util.LinkedHashMap<>();
        for (String s : STAGES) if (stages.containsKey(s)) m.put(s, Latency.of(stages.get(s)));
        return m;
    }

    private static long micros(double ms) {
        return Math.max(0, Math.round(ms * 1000));
    }
}

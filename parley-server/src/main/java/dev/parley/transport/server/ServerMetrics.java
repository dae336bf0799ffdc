package dev.parley.transport.server;

import dev.parley.failover.ProviderTiming;

import dev.parley.latency.Waterfall;
import dev.parley.transport.realtime.RealtimeMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server's Prometheus metrics: sessions, turns, the latency waterfall per stage (at the socket and at the ear),
 * errors by type and code, and the JVM's own.
 */
public final class ServerMetrics implements RealtimeMetrics {
    private static final Duration[] SLO = {ms(50), ms(100), ms(150), ms(200), ms(300), ms(400), ms(500), ms(600), ms(800),
            ms(1000), ms(1500), ms(2000), ms(3000), ms(5000)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger tasks = new AtomicInteger();
    private final AtomicInteger draining = new AtomicInteger();
    private final Counter sessions;

    public ServerMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        Gauge.builder("parley.sessions.active", active, AtomicInteger::get).description("open Realtime sessions").register(registry);
        Gauge.builder("parley.tasks.active", tasks, AtomicInteger::get).description("reply tasks running (dialog, synthesis, sending)").register(registry);
        Gauge.builder("parley.draining", draining, AtomicInteger::get).description("1 while the server drains before shutting down, else 0").register(registry);
        sessions = Counter.builder("parley.sessions").description("Realtime sessions opened").register(registry);
    }

    private static Duration ms(long ms) {
        return Duration.ofMillis(ms);
    }

    void sessionOpened() {
        sessions.increment();
        active.incrementAndGet();
    }

    void draining(boolean on) {
        draining.set(on ? 1 : 0);
    }

    void sessionClosed() {
        active.decrementAndGet();
    }

    public int activeSessions() {
        return active.get();
    }

    void taskStarted() {
        tasks.incrementAndGet();
    }

    void taskEnded() {
        tasks.decrementAndGet();
    }

    /** Reply tasks running now, in every session. */
    public int activeTasks() {
        return tasks.get();
    }

    /** The text exposition of every metric. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void turnCompleted(Waterfall waterfall, boolean interrupted) {
        Counter.builder("parley.turns").description("turns whose reply ended").tag("interrupted", String.valueOf(interrupted))
                .register(registry).increment();
        if (waterfall == null) return;
        waterfall.stagesMs().forEach((stage, ms) -> timer("parley.turn.latency",
                "from the end of the user's speech to the first reply audio sent, by stage", stage).record(nanos(ms)));
        for (ProviderTiming p : waterfall.providers()) {
            Timer.builder("parley.provider.ttfb")
                    .description("a cloud provider's time to first byte within its stage, by provider and stage")
                    .tag("provider", p.provider()).tag("stage", p.stage())
                    .serviceLevelObjectives(SLO).publishPercentiles(0.5, 0.95).register(registry).record(java.time.Duration.ofNanos(p.ttfbNanos()));
        }
    }

    @Override
    public void failover(String stage, String provider) {
        Counter.builder("parley.provider.failovers").description("turns in which a provider failed and its fallback took over")
                .tag("stage", stage).tag("provider", provider).register(registry).increment();
    }

    @Override
    public void heard(Map<String, Double> waterfallMs) {
        waterfallMs.forEach((stage, ms) -> timer("parley.heard.latency",
                "from the end of the user's speech to the reply heard, by stage, as the client reported it",
                stage.replace("_ms", "")).record(nanos(ms)));
    }

    @Override
    public void error(String type, String code) {
        Counter.builder("parley.errors").description("error events sent to clients").tag("type", type).tag("code", code)
                .register(registry).increment();
    }

    private Timer timer(String name, String description, String stage) {
        return Timer.builder(name).description(description).tag("stage", stage).serviceLevelObjectives(SLO)
                .publishPercentiles(0.5, 0.95).register(registry);
    }

    private static Duration nanos(double ms) {
        return Duration.ofNanos(Math.max(0, Math.round(ms * 1e6)));
    }
}

package dev.parley.transport.realtime;

import dev.parley.latency.Waterfall;

import java.util.Map;

/** What a Realtime session reports for monitoring. Every method has a no-op default. */
public interface RealtimeMetrics {
    RealtimeMetrics NONE = new RealtimeMetrics() {
    };

    /** A turn's reply is over; {@code waterfall} is null when no audio went out. */
    default void turnCompleted(Waterfall waterfall, boolean interrupted) {
    }

    /** The client reported when it began to play a reply: the waterfall at the ear (stage → ms, with total). */
    default void heard(Map<String, Double> waterfallMs) {
    }

    /** An {@code error} event was sent. */
    /** A stage's provider failed and its fallback took over. */
    default void failover(String stage, String provider) {
    }

    default void error(String type, String code) {
    }
}

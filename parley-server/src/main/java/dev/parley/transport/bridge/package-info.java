/**
 * Bridge mode: each client of Parley's {@code /v1/realtime} is relayed to its own session on OpenAI's Realtime API
 * ({@link dev.parley.transport.bridge.RealtimeBridge}), with Parley's session defaults, barge-in truncation and its
 * latency waterfall and metrics.
 */
package dev.parley.transport.bridge;

package dev.parley.bench.load;

import dev.parley.bench.ProcStatus;

/**
 * One sampling interval of a soak: what the callers saw in it and what the server process looked like at its end.
 *
 * @param endS       seconds since the soak began, at the end of the interval
 * @param turns      turns answered in the interval
 * @param errors     errors counted in the interval (see {@link LoadTest.Step#errors()})
 * @param firstAudio end of speech to first reply audio at the caller, of the interval's turns only
 * @param server     the server process at the end of the interval
 */
public record SoakInterval(double endS, long turns, long errors, Latency firstAudio, ProcStatus.Sample server) {}

package dev.parley.bench.load;

import java.util.concurrent.Callable;

/**
 * Server sessions whose fake engines follow their callers' scripts: in this process ({@link FakeEngines}) or in a
 * child JVM ({@link FakeServerProcess}). A caller connects through {@link #connect}, so that the session the server
 * creates meanwhile is the one that hears {@code script}.
 */
public interface ScriptedSessions {
    /** The fixed latencies of the fakes, which the overhead leaves out. */
    FakeLatencies latencies();

    /**
     * Runs {@code connect}, which must return only once the server has created the session (its
     * {@code session.created} was received), with {@code script} handed to the session it creates. One caller at a
     * time.
     */
    <T> T connect(CallerScript script, Callable<T> connect) throws Exception;
}

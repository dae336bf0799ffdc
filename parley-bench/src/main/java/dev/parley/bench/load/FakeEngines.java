package dev.parley.bench.load;

import dev.parley.session.VoiceSession;
import dev.parley.transport.server.SessionFactory;

import java.util.concurrent.Callable;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The engines of {@code parley loadtest --providers fake}, one set per server session, each driven by the script of
 * the caller on the other end of its WebSocket.
 *
 * <p>A server makes a session's engines when a WebSocket opens ({@link SessionFactory#newSession()}), with no word
 * of who is calling. So callers {@linkplain #connect connect} one at a time: a caller leaves its script here, opens
 * its socket and waits for {@code session.created}, by which time the server has taken the script for that session.
 * A session opened by anyone else gets a caller that never speaks.
 */
public final class FakeEngines implements SessionFactory, ScriptedSessions {
    private final FakeLatencies latencies;
    private final ReentrantLock connecting = new ReentrantLock();
    private volatile CallerScript pending;

    public FakeEngines(FakeLatencies latencies) {
        this.latencies = latencies;
    }

    @Override
    public FakeLatencies latencies() {
        return latencies;
    }

    /** The engines of one session: a scripted VAD, recogniser, brain and synthesizer. */
    public VoiceSession.Engines engines(CallerScript script) {
        return new VoiceSession.Engines(new ScriptedVad(script), new ScriptedRecognizer(script, latencies),
                new FixedReplyDialog(latencies), new PacedToneSynthesizer(latencies));
    }

    @Override
    public VoiceSession.Engines newSession() {
        CallerScript s = pending;
        pending = null;
        return engines(s == null ? CallerScript.silent() : s);
    }

    @Override
    public <T> T connect(CallerScript script, Callable<T> connect) throws Exception {
        connecting.lock();
        try {
            pending = script;
            return connect.call();
        } finally {
            pending = null;
            connecting.unlock();
        }
    }
}

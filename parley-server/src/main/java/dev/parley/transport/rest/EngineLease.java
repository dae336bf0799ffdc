package dev.parley.transport.rest;

import dev.parley.session.VoiceSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/**
 * The engines one request uses, made as the server makes a conversation's (its shared STT and TTS, a brain of its
 * own) and released when the request ends: its VAD state and its brain are closed.
 */
final class EngineLease implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EngineLease.class);

    private final VoiceSession.Engines engines;

    private EngineLease(VoiceSession.Engines engines) {
        this.engines = engines;
    }

    /**
     * The engines of a new request.
     *
     * @param source the server's engines, or null when it has none (bridge mode)
     * @throws ApiError 503 when there are none or they cannot be made
     */
    static EngineLease open(Supplier<VoiceSession.Engines> source) {
        if (source == null) {
            throw ApiError.unavailable("engines_unavailable", "this server relays conversations to another Realtime "
                    + "service and has no engines of its own to serve this endpoint");
        }
        try {
            return new EngineLease(source.get());
        } catch (RuntimeException e) {
            log.error("could not make the engines of a REST request", e);
            throw ApiError.unavailable("engines_unavailable", "the server could not start its engines");
        }
    }

    VoiceSession.Engines engines() {
        return engines;
    }

    @Override
    public void close() {
        try {
            engines.vad().close();
        } catch (RuntimeException e) {
            log.debug("closing a request's VAD failed: {}", e.toString());
        }
        try {
            engines.dialog().close();
        } catch (RuntimeException e) {
            log.warn("closing a request's brain failed", e);
        }
    }
}

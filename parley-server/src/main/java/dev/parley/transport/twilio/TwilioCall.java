package dev.parley.transport.twilio;

import dev.parley.audio.G711;
import dev.parley.audio.PcmAudio;
import dev.parley.session.SessionConfig;
import dev.parley.session.SessionEvent;
import dev.parley.session.VoiceSession;
import dev.parley.transport.bridge.ClientLink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One phone call through a Twilio Media Stream: the caller's μ-law audio goes into a {@link VoiceSession}, its replies
 * go back through {@link CallAudio}. The session starts on Twilio's {@code start} message (which names the stream the
 * replies go to) and speaks the TwiML's {@code greeting} parameter, if any; {@code stop} ends it.
 *
 * <p>Messages are handled on the connection's inbound thread, one at a time, as {@link #onMessage} is called.
 */
public final class TwilioCall implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TwilioCall.class);

    private final Supplier<VoiceSession.Engines> engines;
    private final SessionConfig pipeline;
    private final ClientLink out;
    private final Executor executor;
    private final LongSupplier clock;
    private VoiceSession session;
    private CallAudio audio;
    private String streamSid;
    private int malformed;
    private boolean ended;

    public TwilioCall(Supplier<VoiceSession.Engines> engines, SessionConfig pipeline, ClientLink out, Executor executor,
                      LongSupplier clock) {
        this.engines = engines;
        this.pipeline = pipeline;
        this.out = out;
        this.executor = executor;
        this.clock = clock;
    }

    /** A text message from Twilio. */
    public void onMessage(String text, long receivedNanos) {
        if (ended) return;
        TwilioEvent event;
        try {
            event = TwilioEvent.parse(text);
        } catch (TwilioEvent.Malformed e) {
            if (malformed++ < 3) log.warn("ignored a message that is not Twilio's: {}", e.getMessage());
            return;
        }
        switch (event) {
            case TwilioEvent.Connected c -> log.debug("Twilio connected ({} {})", c.protocol(), c.version());
            case TwilioEvent.Start s -> start(s);
            case TwilioEvent.Media m -> {
                if (session != null && !"outbound".equals(m.track())) {
                    session.accept(new PcmAudio(G711.decode(G711.Law.ULAW, m.payload()), CallAudio.RATE));
                }
            }
            case TwilioEvent.Mark m -> {
                if (audio != null) audio.played(m.name());
            }
            case TwilioEvent.Dtmf d -> log.info("caller pressed {}", d.digit());
            case TwilioEvent.Stop s -> {
                log.info("call {} ended by Twilio after {} ms of replies", s.callSid(), audio == null ? 0 : audio.sentMs());
                close();
                out.closeAfterSent(1000, "call ended");
            }
            case TwilioEvent.Other o -> log.debug("ignored Twilio's {} message", o.event());
        }
    }

    private void start(TwilioEvent.Start s) {
        if (session != null) {
            log.warn("a second start message on stream {}: ignored", streamSid);
            return;
        }
        if (!s.encoding().equals("audio/x-mulaw") || s.sampleRate() != CallAudio.RATE || s.channels() != 1) {
            log.error("call {}: Twilio sends {} at {} Hz, {} channel(s); Parley takes audio/x-mulaw at 8000 Hz, mono",
                    s.callSid(), s.encoding(), s.sampleRate(), s.channels());
            ended = true;
            out.closeAfterSent(1003, "unsupported media format");
            return;
        }
        streamSid = s.streamSid();
        audio = new CallAudio(streamSid, out);
        session = new VoiceSession(engines.get(), audio, pipeline, this::onSessionEvent, clock, executor);
        log.info("call {} started (stream {})", s.callSid(), streamSid);
        String greeting = s.parameters().get("greeting");
        if (greeting != null && !greeting.isBlank()) session.announce(greeting);
    }

    private void onSessionEvent(SessionEvent event) {
        switch (event) {
            case SessionEvent.TurnCompleted c when !c.userText().isEmpty() || !c.replyText().isEmpty() ->
                    log.info("turn {}: caller \"{}\", Parley \"{}\"{}", c.turn(), c.userText(), c.replyText(),
                            c.interrupted() ? " (interrupted)" : "");
            case SessionEvent.Error e -> log.warn("turn {}: {} failed: {}", e.turn(), e.stage(), e.message());
            default -> {
            }
        }
    }

    /** Whether the call has started and nobody speaks: no reply is being made or played, the caller is silent. */
    boolean listening() {
        return session != null && session.state() == dev.parley.turn.TurnState.LISTENING;
    }

    /** The stream this call answers on, once Twilio has started it (for tests and logs). */
    String streamSid() {
        return streamSid;
    }

    @Override
    public void close() {
        ended = true;
        if (audio != null) audio.close();
        if (session != null) session.close();
    }
}

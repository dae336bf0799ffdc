package dev.parley.transport.realtime;

import dev.parley.audio.AudioSink;
import dev.parley.audio.PcmAudio;
import dev.parley.session.SessionConfig;
import dev.parley.session.VoiceSession;
import dev.parley.tts.ChosenVoice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * One Realtime API session over a {@link VoiceSession}: client events in ({@link #onMessage}), server events out
 * (to an {@link Outbox}). Knows nothing of sockets, so it is tested by feeding it events.
 *
 * <p>This class dispatches: each client event becomes an action on the voice session and on the {@link Conversation}
 * (the items and responses, which also takes the voice session's events and reply audio); the conversation's server
 * events reach the outbox through a {@link ServerEventQueue}, in order, written outside its lock. Client events come
 * from one thread at a time (the connection's); session events and reply audio come from the voice session's threads.
 * The conversation's lock is never held while calling into the voice session: the voice session calls back under its
 * own monitor, so the lock order is always voice session, then conversation.
 */
public final class RealtimeSession implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RealtimeSession.class);

    private final String id;
    private final SessionConfig base;
    private final LongSupplier clock;
    private final EventValidator validator;
    private final ClientEventParser parser = new ClientEventParser();
    private final Conversation conversation;
    private final VoiceSession voice;
    /** The session's choice of voice, when its engines offer one ({@code session.audio.output.voice}). */
    private final ChosenVoice chosen;
    /** The Opus decoder, while the input is {@code audio/opus} (its state runs from packet to packet). */
    private OpusInput opusInput;
    private volatile SessionSettings settings;

    // Input side: touched only by the thread delivering client events.
    private long bufferStartMs;
    /** When the event being handled arrived. */
    private long receivedNanos;

    /**
     * @param id       the session id (also the log context)
     * @param engines  this session's engines (its own VAD; shared STT, dialog, TTS)
     * @param base     the server's pipeline settings, which the client's turn detection adjusts
     * @param defaults the session settings before any session.update
     * @param executor runs the voice session's reply tasks
     */
    public RealtimeSession(String id, VoiceSession.Engines engines, SessionConfig base, SessionSettings defaults,
                           Outbox out, RealtimeMetrics metrics, LongSupplier clock, Executor executor, SessionBudget budget) {
        this.id = id;
        this.base = base;
        this.clock = clock;
        this.validator = new EventValidator(budget, defaults.voice(), engines.tts() instanceof ChosenVoice);
        this.settings = defaults;
        this.conversation = new Conversation(() -> settings, new ServerEventQueue(out), metrics, clock, new Conversation.Input() {
            @Override
            public long positionMs() {
                return voice.inputPositionMs();
            }

            @Override
            public long preRollMs() {
                return voice.config().preRollMs();
            }
        });
        this.chosen = engines.tts() instanceof ChosenVoice c ? c : null;
        this.voice = new VoiceSession(engines, new Sink(), defaults.toSessionConfig(base), conversation::onSessionEvent, clock, executor);
        voice.instructions(defaults.instructions());
    }

    public String id() {
        return id;
    }

    public SessionSettings settings() {
        return settings;
    }

    /** Announces the session: the first server event. */
    public void start() {
        conversation.send(ServerEvents.session("session.created", settings, id));
    }

    /** Takes one client event (a WebSocket text message) as it arrives. */
    public void onMessage(String text) {
        onMessage(text, clock.getAsLong());
    }

    /**
     * Takes one client event (a WebSocket text message) that arrived at {@code receivedNanos} (the clock's time).
     * Never throws: problems become {@code error} events.
     */
    public void onMessage(String text, long receivedNanos) {
        this.receivedNanos = receivedNanos;
        if (text.length() > validator.maxEventChars()) {
            onOversized(text.length());
            return;
        }
        ClientEvent event;
        try {
            event = parser.parse(text);
        } catch (ProtocolException e) {
            conversation.error("invalid_request_error", e.code(), e.getMessage(), e.param(), parser.eventIdOf(text));
            return;
        }
        try {
            validator.check(event, conversation.chars(), settings.turnDetection() != null ? 0
                    : (voice.inputPositionMs() - bufferStartMs) * settings.inputRate() * settings.input().bytesPerSample() / 1000);
            handle(event);
        } catch (ProtocolException e) {
            conversation.error("invalid_request_error", e.code(), e.getMessage(), e.param(), event.eventId());
        } catch (RuntimeException e) {
            log.warn("failed on {}", event.getClass().getSimpleName(), e);
            conversation.error("server_error", "internal_error", "Parley failed on this event: " + e, null, event.eventId());
        }
    }

    /** A client event of {@code chars} characters, over the event limit: answered, never parsed (nor kept). */
    public void onOversized(long chars) {
        ProtocolException e = validator.tooLarge(chars);
        conversation.error("invalid_request_error", e.code(), e.getMessage(), null, null);
    }

    /** The binary frames OpenAI's protocol does not use. */
    public void onBinary() {
        conversation.error("invalid_request_error", "invalid_event", "events are JSON text messages; binary messages are not used", null, null);
    }

    @Override
    public void close() {
        if (conversation.close()) voice.close();
    }

    // ---------------------------------------------------------------- client events

    private void handle(ClientEvent event) throws ProtocolException {
        switch (event) {
            case ClientEvent.SessionUpdate u -> sessionUpdate(u);
            case ClientEvent.AudioAppend a -> voice.accept(settings.input().opus() ? opus().decode(a.audio()) : settings.input().decode(a.audio()));
            case ClientEvent.AudioCommit c -> commit();
            case ClientEvent.AudioClear c -> {
                voice.clearInput();
                bufferStartMs = voice.inputPositionMs();
                conversation.send(ServerEvents.event("input_audio_buffer.cleared"));
            }
            case ClientEvent.ItemCreate c -> createItem(c);
            case ClientEvent.ItemRetrieve r -> conversation.retrieve(r.itemId());
            case ClientEvent.ItemDelete d -> {
                Item gone = conversation.delete(d.itemId());
                voice.deleteMessages(gone.turn, gone.role);
            }
            case ClientEvent.ItemTruncate t -> {
                Conversation.Truncation truncation = conversation.truncation(t.itemId(), t.audioEndMs());
                voice.truncateReply(truncation.turn(), truncation.heard());
                conversation.truncated(truncation, t.audioEndMs());
            }
            case ClientEvent.ResponseCreate r -> {
                try {
                    voice.respond();
                } catch (IllegalStateException e) {
                    throw new ProtocolException("conversation_already_has_active_response",
                            "a response is in progress: cancel it or wait for response.done");
                }
            }
            case ClientEvent.ResponseCancel c -> {
                conversation.cancelRequested(c.responseId());
                if (!voice.cancelReply()) {
                    conversation.cancelNotActive();
                    throw new ProtocolException("response_cancel_not_active", "no response is in progress");
                }
            }
            case ClientEvent.PlaybackStarted p ->
                    conversation.playbackStarted(p.responseId(), p.bufferedMs(), p.outputLatencyMs(), receivedNanos);
        }
    }

    private OpusInput opus() {
        if (opusInput == null) opusInput = new OpusInput();
        return opusInput;
    }

    private void sessionUpdate(ClientEvent.SessionUpdate u) throws ProtocolException {
        SessionSettings next = settings.apply(u.session(), base);
        String before = chosen == null ? null : chosen.name();
        if (chosen != null && !next.voice().equals(settings.voice())) {
            try {
                chosen.select(next.voice());
            } catch (IllegalArgumentException e) {
                throw new ProtocolException("invalid_value", e.getMessage(), "session.audio.output.voice");
            }
        }
        try {
            voice.reconfigure(next.toSessionConfig(base));
        } catch (IllegalArgumentException e) { // wake phrases the detector cannot hear: nothing changed
            if (chosen != null) chosen.select(before);
            throw new ProtocolException("invalid_value", e.getMessage(), "session.parley.wake_words");
        }
        SessionSettings previous = settings;
        settings = next;
        if (!next.input().equals(previous.input())) opusInput = null; // a new stream of packets
        voice.instructions(next.instructions());
        if ((previous.turnDetection() == null) != (next.turnDetection() == null)) bufferStartMs = voice.inputPositionMs();
        conversation.send(ServerEvents.session("session.updated", next, id));
    }

    private void commit() throws ProtocolException {
        conversation.committing(voice.inputPositionMs() - bufferStartMs);
        try {
            voice.commit();
        } catch (IllegalStateException e) {
            throw new ProtocolException("input_audio_buffer_commit_empty", e.getMessage());
        }
        bufferStartMs = voice.inputPositionMs();
    }

    private void createItem(ClientEvent.ItemCreate c) throws ProtocolException {
        String itemId = c.itemId() == null ? Ids.next("item") : c.itemId();
        conversation.checkNewItem(itemId);
        conversation.addTyped(itemId, c.message(), voice.addMessage(c.message()));
    }

    /** The voice session's audio output: each chunk becomes a {@code response.output_audio.delta}. */
    private final class Sink implements AudioSink {
        @Override
        public int sampleRate() {
            return settings.outputRate();
        }

        @Override
        public void write(PcmAudio chunk) {
            conversation.audio(chunk);
        }

        @Override
        public void interrupt() {
        }

        @Override
        public void drain() {
        }
    }
}

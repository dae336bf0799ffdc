package dev.parley.providers.deepgram;

import dev.parley.failover.ProviderEvents;
import dev.parley.providers.http.EngineClient;
import dev.parley.stt.RecognitionStream;
import dev.parley.stt.SpeechRecognizer;

import java.net.http.HttpClient;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Deepgram Nova streaming recognition ({@code wss://api.deepgram.com/v1/listen}), one WebSocket per utterance: the
 * socket opens when the utterance does, audio goes out as it arrives, interim results come back as partials, and
 * Deepgram's own endpointing ({@code speech_final}, {@code UtteranceEnd}) is offered to the session as
 * {@link RecognitionStream#endOfTurn()}. See {@link DeepgramRecognitionStream} for the protocol details and
 * {@link DeepgramConfig} for the query parameters.
 *
 * <p>Why one socket per utterance rather than one per session: Deepgram bills and times out an open socket whether
 * or not audio flows, and a fresh socket makes each utterance's transcript, Finalize answer and failure its own;
 * the handshake is overlapped with the first audio (which is queued meanwhile), so it costs no latency at the end
 * of the turn, where latency matters.
 *
 * <p>Thread-safe: several sessions may open streams at once. One small timer thread (KeepAlive, closing delays) is
 * shared by the streams and ends with {@link #close()}.
 */
public final class DeepgramSpeechRecognizer implements SpeechRecognizer {
    private final EngineClient<DeepgramConfig> client;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "deepgram-stt-timer");
        t.setDaemon(true);
        return t;
    });

    /** A recogniser with its own HTTP client (closed with it). */
    public DeepgramSpeechRecognizer(DeepgramConfig config) {
        client = EngineClient.owning(config, DeepgramConfig::newHttpClient);
    }

    /** A recogniser using {@code http}, which it does not close. */
    public DeepgramSpeechRecognizer(DeepgramConfig config, HttpClient http) {
        client = EngineClient.sharing(config, http);
    }

    public DeepgramConfig config() {
        return client.config();
    }

    /**
     * Starts the handshake and returns at once; audio given before it completes is queued.
     *
     * @throws DeepgramException when no key is set (naming {@code DEEPGRAM_API_KEY})
     */
    @Override
    public RecognitionStream open(ProviderEvents events) {
        if (!config().apiKey().isPresent()) {
            throw SocketOpener.noKey();
        }
        return new DeepgramRecognitionStream(client.http(), config(), events == null ? ProviderEvents.NONE : events,
                timer);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        client.shutdownNow();
    }

    @Override
    public String toString() {
        return "DeepgramSpeechRecognizer[" + config().sttModel() + " @ " + config().serverName() + "]";
    }
}

package dev.parley.providers.deepgram;

import dev.parley.audio.PcmAudio;
import dev.parley.failover.ProviderEvents;
import dev.parley.providers.http.EngineClient;
import dev.parley.tts.SpeechSynthesizer;
import dev.parley.tts.TtsException;

import java.net.http.HttpClient;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Deepgram Aura streaming synthesis ({@code wss://api.deepgram.com/v1/speak?model=…&encoding=linear16&
 * sample_rate=24000}): each phrase is one {@code Speak} followed by one {@code Flush}, and its audio is delivered
 * frame by frame as Deepgram sends it, until {@code Flushed}. Parley's sentence chunker hands the synthesizer one
 * phrase at a time while the reply is still being generated, so one Speak+Flush per phrase is the text
 * micro-batch Deepgram's streaming interface is meant for (Deepgram allows 20 Flushes a minute per socket).
 *
 * <p><b>Sockets: a small pool.</b> A phrase takes an idle open socket (or opens one), uses it alone, and gives it
 * back when it ended cleanly ({@code Flushed}, or {@code Cleared} after a cancel); a socket that failed, or whose
 * Clear went unconfirmed, is aborted rather than reused. This saves the TCP+TLS+WebSocket handshake on every phrase
 * after the first (a few hundred ms on a real network, paid again on each phrase by a socket-per-phrase design)
 * while never letting two phrases share a socket: sessions synthesizing at the same time each hold their own. At
 * most {@value #MAX_IDLE} idle sockets are kept. A pooled socket Deepgram has closed meanwhile is noticed when it
 * fails before any audio, and the phrase is then spoken on a fresh socket (safe: nothing was delivered).
 *
 * <p>Time to first byte ({@code ProviderTiming("deepgram","tts",…)}): from the Flush leaving Parley to the first
 * audio frame. Thread-safe.
 */
public final class DeepgramSpeechSynthesizer implements SpeechSynthesizer {
    static final int MAX_IDLE = 4;

    private final DeepgramConfig config;
    private final EngineClient<DeepgramConfig> client;
    private final ConcurrentLinkedDeque<SpeakSocket> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger opened = new AtomicInteger();
    private volatile boolean closed;

    /** A synthesizer with its own HTTP client (closed with it, once the phrases in progress have ended). */
    public DeepgramSpeechSynthesizer(DeepgramConfig config) {
        this(EngineClient.owning(config, DeepgramConfig::newHttpClient));
    }

    /** A synthesizer using {@code http}, which it does not close. */
    public DeepgramSpeechSynthesizer(DeepgramConfig config, HttpClient http) {
        this(EngineClient.sharing(config, http));
    }

    private DeepgramSpeechSynthesizer(EngineClient<DeepgramConfig> client) {
        this.client = client;
        this.config = client.config();
    }

    public DeepgramConfig config() {
        return config;
    }

    @Override
    public int sampleRate() {
        return DeepgramConfig.TTS_SAMPLE_RATE;
    }

    @Override
    public void synthesize(String text, Consumer<PcmAudio> out, BooleanSupplier cancelled, ProviderEvents events)
            throws TtsException {
        if (text == null || text.isBlank() || cancelled.getAsBoolean()) {
            return;
        }
        if (closed) {
            throw new TtsException("The Deepgram voice is closed.", null);
        }
        if (!config.apiKey().isPresent()) {
            throw new TtsException(SocketOpener.noKey().getMessage(), null);
        }
        ProviderEvents ev = events == null ? ProviderEvents.NONE : events;
        SpeakSocket socket = takeIdle();
        boolean reused = socket != null;
        if (socket == null) {
            socket = openSocket();
        }
        while (true) {
            try {
                SpeakSocket.Outcome outcome = socket.speak(text.strip(), out, cancelled, ev);
                if (outcome == SpeakSocket.Outcome.CLEAN) {
                    giveBack(socket);
                }
                return;
            } catch (SpeakSocket.Stale stale) {
                socket.abort();
                if (!reused) {
                    throw new TtsException(stale.getMessage(), stale.getCause());
                }
                // a pooled socket Deepgram had closed: nothing was delivered, speak it on a fresh one
                reused = false;
                socket = openSocket();
            } catch (TtsException | RuntimeException e) {
                socket.abort();
                throw e;
            }
        }
    }

    /** How many sockets this synthesizer has opened (for tests and diagnostics). */
    int socketsOpened() {
        return opened.get();
    }

    private SpeakSocket openSocket() throws TtsException {
        SpeakSocket s = SpeakSocket.open(client.http(), config);
        opened.incrementAndGet();
        return s;
    }

    private SpeakSocket takeIdle() {
        SpeakSocket s;
        while ((s = idle.pollFirst()) != null) {
            if (s.usable()) {
                return s;
            }
            s.abort();
        }
        return null;
    }

    private void giveBack(SpeakSocket s) {
        if (closed || idle.size() >= MAX_IDLE || !s.usable()) {
            s.close();
            return;
        }
        idle.offerFirst(s);
        if (closed && idle.remove(s)) {
            s.close();
        }
    }

    /** Sends Close on every idle socket and closes them; phrases in progress finish on theirs. */
    @Override
    public void close() {
        closed = true;
        SpeakSocket s;
        while ((s = idle.pollFirst()) != null) {
            s.close();
        }
        client.shutdown();
    }

    @Override
    public String toString() {
        return "DeepgramSpeechSynthesizer[" + config.ttsModel() + " @ " + config.serverName() + "]";
    }
}

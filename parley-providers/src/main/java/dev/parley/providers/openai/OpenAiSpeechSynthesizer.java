package dev.parley.providers.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.audio.PcmAudio;
import dev.parley.failover.ProviderEvents;
import dev.parley.failover.ProviderTiming;
import dev.parley.providers.http.ApiException;
import dev.parley.providers.http.HttpExchange;
import dev.parley.providers.http.ApiException.StreamFailed;
import dev.parley.providers.http.ApiException.StreamFailed.Reason;
import dev.parley.providers.http.EngineClient;
import dev.parley.providers.http.Redactor;
import dev.parley.tts.SpeechSynthesizer;
import dev.parley.tts.TtsException;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Text to speech with OpenAI's {@code POST /audio/speech} (or a server offering the same API), streamed: each
 * piece of the response body is handed on as audio the moment it arrives, so playback starts with the first bytes.
 *
 * <p>The request follows the API reference (github.com/xiqi/openai-api-markdown, {@code audio/createSpeech.md}): a
 * JSON body with {@code model}, {@code input} (at most 4096 characters, longer text is refused), {@code voice},
 * {@code instructions} for models other than {@code tts-1}/{@code tts-1-hd} when configured ("does not work with
 * tts-1 or tts-1-hd"), {@code response_format: "pcm"} and {@code speed} when configured; {@code stream_format} is
 * left at its default, {@code audio}: the body is the audio itself, sent in chunks as it is generated. The
 * {@code pcm} format is raw 24 kHz mono 16-bit little-endian samples without a header, so a chunk may end in the
 * middle of a sample: that byte is kept and joined to the next chunk. A 2xx answer that is JSON or an event stream
 * is not audio and fails as malformed.
 *
 * <p>Timing: each phrase reports {@code ProviderTiming("openai", "tts", t)} where {@code t} runs from sending the
 * request (the attempt that was answered) to the first byte of audio.
 *
 * <p>Failures: retries only before any audio came (5xx, 408, 429 honouring {@code retry-after}, a refused
 * connection), per the config's policy; after that a broken or stalled body fails at once, so no audio is ever
 * spoken twice. Every failure is a {@link TtsException} whose message names what to change and never the key.
 * Cancellation ({@code cancelled} turning true, checked between chunks and every 20 ms while waiting) stops reading
 * and closes the response (the connection, for HTTP/1.1), without error. Thread-safe: phrases may be spoken
 * concurrently by different sessions.
 */
public final class OpenAiSpeechSynthesizer implements SpeechSynthesizer {
    public static final String PROVIDER = "openai";
    /** The rate of the {@code pcm} response format. */
    public static final int SAMPLE_RATE = 24_000;
    /** The API's limit on {@code input}. */
    public static final int MAX_INPUT_CHARS = 4096;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final OpenAiSpeechConfig config;
    private final EngineClient<OpenAiSpeechConfig> client;

    /** A synthesizer with its own HTTP client, closed with it. */
    public OpenAiSpeechSynthesizer(OpenAiSpeechConfig config) {
        this(EngineClient.owning(config, OpenAiSpeechConfig::newHttpClient));
    }

    /** A synthesizer sending with {@code http} (see {@link OpenAiSpeechConfig#newHttpClient()}), left open. */
    public OpenAiSpeechSynthesizer(OpenAiSpeechConfig config, HttpClient http) {
        this(EngineClient.sharing(config, http));
    }

    private OpenAiSpeechSynthesizer(EngineClient<OpenAiSpeechConfig> client) {
        this.client = client;
        this.config = client.config();
    }

    public OpenAiSpeechConfig config() {
        return config;
    }

    @Override
    public int sampleRate() {
        return SAMPLE_RATE;
    }

    @Override
    public void synthesize(String text, Consumer<PcmAudio> out, BooleanSupplier cancelled, ProviderEvents events)
            throws TtsException {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(cancelled, "cancelled");
        Objects.requireNonNull(events, "events");
        if (text == null || text.isBlank() || cancelled.getAsBoolean()) {
            return;
        }
        String input = text.strip();
        if (input.length() > MAX_INPUT_CHARS) {
            throw new TtsException("The text is too long for " + config.serverName() + " to speak at once ("
                    + input.length() + " characters; the API takes at most " + MAX_INPUT_CHARS + ").", null);
        }
        HttpExchange body = config.exchanges(client.http()).open(request(input));
        try {
            int carry = -1; // the first byte of a sample whose second byte is in the next chunk
            boolean first = true;
            byte[] piece;
            while ((piece = body.next(cancelled)) != null) {
                if (first) {
                    first = false;
                    events.timing(new ProviderTiming(PROVIDER, "tts", body.firstByteNanos()));
                    checkAudio(body);
                }
                int bytes = piece.length + (carry >= 0 ? 1 : 0);
                short[] samples = new short[bytes / 2];
                int at = 0;
                int i = 0;
                if (carry >= 0) {
                    samples[at++] = (short) ((carry & 0xff) | (piece[0] << 8));
                    i = 1;
                }
                for (; i + 1 < piece.length; i += 2) {
                    samples[at++] = (short) ((piece[i] & 0xff) | (piece[i + 1] << 8));
                }
                carry = i < piece.length ? piece[i] & 0xff : -1;
                if (samples.length > 0) {
                    if (cancelled.getAsBoolean()) {
                        return;
                    }
                    out.accept(new PcmAudio(samples, SAMPLE_RATE));
                }
            }
            // a lone byte left at the very end is half a sample: nothing to play
        } catch (ApiException e) {
            String message = OpenAiErrors.describe(e, config.ttsTarget(), body.attempts());
            throw new TtsException(Redactor.redact(message, config.apiKey()), e);
        } finally {
            body.close();
        }
    }

    @Override
    public void close() {
        client.shutdownNow();
    }

    @Override
    public String toString() {
        return "OpenAiSpeechSynthesizer[" + config.ttsModel() + "/" + config.voice() + " at "
                + Redactor.redactUrl(config.baseUrl()) + "]";
    }

    /** The request speaking {@code input}. */
    HttpRequest request(String input) {
        ObjectNode root = JSON.createObjectNode();
        root.put("model", config.ttsModel());
        root.put("input", input);
        root.put("voice", config.voice());
        if (config.instructions() != null && config.ttsModelTakesInstructions()) {
            root.put("instructions", config.instructions());
        }
        root.put("response_format", "pcm");
        if (config.speed() != null) {
            root.put("speed", config.speed());
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(config.speechUrl())
                .header("Content-Type", "application/json")
                .header("Accept", "audio/pcm, application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(root.toString().getBytes(StandardCharsets.UTF_8)));
        return config.authorize(b).build();
    }

    /** A 2xx answer of JSON or events is not the audio asked for (a server that does not know the pcm format). */
    private void checkAudio(HttpExchange body) throws ApiException {
        String type = body.contentType();
        if (type.startsWith("application/json") || type.startsWith("text/")) {
            throw new StreamFailed(Reason.MALFORMED, "not audio but " + Redactor.redact(type, config.apiKey()),
                    null);
        }
    }
}

package dev.parley.providers.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.audio.WavFile;
import dev.parley.failover.ProviderEvents;
import dev.parley.failover.ProviderTiming;
import dev.parley.providers.http.ApiException;
import dev.parley.providers.http.ApiException.StreamFailed;
import dev.parley.providers.http.ApiException.StreamFailed.Reason;
import dev.parley.providers.http.EngineClient;
import dev.parley.providers.http.HttpErrors;
import dev.parley.providers.http.HttpExchange;
import dev.parley.providers.http.Redactor;
import dev.parley.providers.http.SseEvent;
import dev.parley.providers.http.SseStream;
import dev.parley.stt.RecognitionStream;
import dev.parley.stt.SpeechRecognizer;
import dev.parley.stt.Transcript;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * Speech to text with OpenAI's {@code POST /audio/transcriptions} (or a server offering the same API), one request
 * per utterance.
 *
 * <p>The API transcribes files, not live audio, so each {@link RecognitionStream} buffers its utterance
 * ({@code accept} never touches the network and returns the last partial known, which is empty until
 * {@code finish}) and {@code finish()} uploads it as a 16 kHz mono PCM16 WAV file, then blocks for the transcript.
 * The request follows the API reference (github.com/xiqi/openai-api-markdown, {@code audio/createTranscription.md}):
 * {@code multipart/form-data} with the parts {@code file} ({@code utterance.wav}, {@code audio/wav}),
 * {@code model}, {@code language} and {@code prompt} when configured, {@code response_format=json}, and for the
 * gpt-4o transcription models {@code include[]=logprobs} ("only works with response_format set to json and only
 * with the models gpt-4o-transcribe, gpt-4o-mini-transcribe") and, unless turned off, {@code stream=true}.
 *
 * <p>The answer is either the transcription object ({@code audio/json-object.md}: {@code text}, optional
 * {@code logprobs}), or, when streamed, server-sent events ({@code transcript-text-delta-event.md},
 * {@code transcript-text-done-event.md}): {@code transcript.text.delta} events carry {@code delta} (and
 * {@code logprobs}), which grow the partial, and {@code transcript.text.done} carries the whole {@code text} and
 * its {@code logprobs}; other event types ({@code transcript.text.segment}) are skipped. The {@code Content-Type} of
 * the answer decides how it is read, so a server that ignores {@code stream} is still understood. The confidence is
 * the mean probability ({@code exp(logprob)}) of the transcript's tokens, or 1 when no log probabilities came
 * ({@code whisper-1}).
 *
 * <p>Limits: an utterance whose WAV file would exceed the API's 25 MB is refused (its audio is no longer buffered
 * past that point and {@code finish()} throws saying so); one shorter than 0.1 s, which the API refuses, gives an
 * empty transcript without a request.
 *
 * <p>Timing: each answered request reports {@code ProviderTiming("openai", "stt", t)} where {@code t} runs from
 * sending the request (the upload included, the attempt that was answered) to the first byte of the 2xx response
 * body: the JSON transcript, or the first streamed event.
 *
 * <p>Failures: retries only before any response byte came (5xx, 408, 429 honouring {@code retry-after}, a refused
 * connection), per the config's policy; a 401/403 names the key's variable; timeouts (connect, first byte, stall)
 * and a broken stream throw {@link OpenAiSpeechException} at once, for the caller's fallback. {@code close()} before
 * or during {@code finish()} aborts the upload or the answer (the server sees the connection closed) and makes a
 * blocked {@code finish()} return an empty transcript.
 */
public final class OpenAiSpeechRecognizer implements SpeechRecognizer {
    public static final String PROVIDER = "openai";
    /** The rate of the audio recognition streams take. */
    public static final int SAMPLE_RATE = 16_000;
    /** The API's limit on an uploaded file. */
    public static final int MAX_FILE_BYTES = 25 * 1024 * 1024;
    static final int MAX_PCM_BYTES = MAX_FILE_BYTES - WavFile.HEADER_BYTES;
    /** 0.1 s: the API refuses shorter audio. */
    static final int MIN_SAMPLES = SAMPLE_RATE / 10;
    /** The longest JSON transcript read: far beyond 25 MB of speech's text. */
    static final int MAX_JSON_BYTES = 4 << 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final OpenAiSpeechConfig config;
    private final EngineClient<OpenAiSpeechConfig> client;

    /** A recogniser with its own HTTP client, closed with it. */
    public OpenAiSpeechRecognizer(OpenAiSpeechConfig config) {
        this(EngineClient.owning(config, OpenAiSpeechConfig::newHttpClient));
    }

    /** A recogniser sending with {@code http} (see {@link OpenAiSpeechConfig#newHttpClient()}), left open. */
    public OpenAiSpeechRecognizer(OpenAiSpeechConfig config, HttpClient http) {
        this(EngineClient.sharing(config, http));
    }

    private OpenAiSpeechRecognizer(EngineClient<OpenAiSpeechConfig> client) {
        this.client = client;
        this.config = client.config();
    }

    public OpenAiSpeechConfig config() {
        return config;
    }

    @Override
    public RecognitionStream open(ProviderEvents events) {
        return new Utterance(Objects.requireNonNull(events, "events"));
    }

    @Override
    public void close() {
        client.shutdownNow();
    }

    @Override
    public String toString() {
        return "OpenAiSpeechRecognizer[" + config.sttModel() + " at " + Redactor.redactUrl(config.baseUrl()) + "]";
    }

    /** The request uploading {@code wav}. */
    HttpRequest request(byte[] wav) {
        MultipartForm form = new MultipartForm(wav.length)
                .file("file", "utterance.wav", "audio/wav", wav)
                .field("model", config.sttModel());
        if (config.language() != null) {
            form.field("language", config.language());
        }
        if (config.prompt() != null) {
            form.field("prompt", config.prompt());
        }
        form.field("response_format", "json");
        if (config.sttModelIsGpt4o()) {
            form.field("include[]", "logprobs");
        }
        if (config.streamsTranscripts()) {
            form.field("stream", "true");
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(config.transcriptionsUrl())
                .header("Content-Type", form.contentType())
                .header("Accept", config.streamsTranscripts() ? "text/event-stream" : "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.build()));
        return config.authorize(b).build();
    }

    /** One utterance: audio buffered as little-endian PCM16, uploaded by {@link #finish()}. */
    private final class Utterance implements RecognitionStream {
        private final ProviderEvents events;
        private final Object lock = new Object();
        private byte[] pcm = new byte[SAMPLE_RATE * 2]; // guarded by lock; null once uploaded or closed
        private int length; // guarded by lock
        private long heardBytes; // guarded by lock
        private boolean finished; // guarded by lock
        private HttpExchange body; // guarded by lock
        private volatile boolean closed;
        private volatile String partial = "";

        Utterance(ProviderEvents events) {
            this.events = events;
        }

        @Override
        public String accept(short[] samples, int offset, int count) {
            Objects.checkFromIndexSize(offset, count, samples.length);
            synchronized (lock) {
                if (closed || finished) {
                    return partial;
                }
                heardBytes += 2L * count;
                if (heardBytes > MAX_PCM_BYTES) {
                    pcm = null; // too long: finish() refuses it; buffer no more
                    return partial;
                }
                if (length + 2 * count > pcm.length) {
                    pcm = Arrays.copyOf(pcm, (int) Math.min(MAX_PCM_BYTES,
                            Math.max((long) pcm.length * 2, length + 2L * count)));
                }
                for (int i = 0; i < count; i++) {
                    short s = samples[offset + i];
                    pcm[length++] = (byte) s;
                    pcm[length++] = (byte) (s >> 8);
                }
            }
            return partial;
        }

        @Override
        public Transcript finish() {
            HttpExchange b;
            synchronized (lock) {
                if (finished) {
                    throw new IllegalStateException("finish() was called already");
                }
                finished = true;
                if (closed) {
                    return new Transcript("", 0);
                }
                if (heardBytes > MAX_PCM_BYTES) {
                    pcm = null;
                    throw new OpenAiSpeechException(String.format(Locale.ROOT, "The utterance is too long for %s: "
                                    + "%.1f MB as a WAV file, and the API takes at most 25 MB (%d minutes of 16 kHz "
                                    + "audio).", config.serverName(),
                            (heardBytes + WavFile.HEADER_BYTES) / (1024.0 * 1024.0), MAX_PCM_BYTES / 2 / SAMPLE_RATE / 60),
                            null);
                }
                if (length / 2 < MIN_SAMPLES) {
                    pcm = null;
                    return new Transcript("", 1);
                }
                byte[] wav = Arrays.copyOf(WavFile.header(SAMPLE_RATE, length), WavFile.HEADER_BYTES + length);
                System.arraycopy(pcm, 0, wav, WavFile.HEADER_BYTES, length);
                pcm = null;
                b = config.exchanges(client.http()).open(request(wav));
                body = b;
            }
            try {
                Transcript t = read(b);
                return t == null ? new Transcript("", 0) : t;
            } catch (ApiException e) {
                if (closed) {
                    return new Transcript("", 0);
                }
                String message = OpenAiErrors.describe(e, config.sttTarget(), b.attempts());
                throw new OpenAiSpeechException(Redactor.redact(message, config.apiKey()), e);
            } finally {
                b.close();
            }
        }

        @Override
        public void close() {
            HttpExchange b;
            synchronized (lock) {
                closed = true;
                pcm = null;
                b = body;
            }
            if (b != null) {
                b.close();
            }
        }

        /** The transcript of the answer; null when the stream was closed meanwhile. */
        private Transcript read(HttpExchange b) throws ApiException {
            byte[] first = b.next();
            if (first == null) {
                if (b.isClosed()) {
                    return null;
                }
                throw new StreamFailed(Reason.MALFORMED, "the response was empty", null);
            }
            events.timing(new ProviderTiming(PROVIDER, "stt", b.firstByteNanos()));
            String type = b.contentType();
            return type.startsWith("text/event-stream") ? readEvents(b, first) : readJson(b, first);
        }

        private Transcript readJson(HttpExchange b, byte[] first) throws ApiException {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(first);
            byte[] rest = b.readAll(MAX_JSON_BYTES - first.length);
            if (rest == null) {
                return null;
            }
            all.writeBytes(rest);
            JsonNode json;
            try {
                json = JSON.readTree(all.toByteArray());
            } catch (java.io.IOException e) {
                throw new StreamFailed(Reason.MALFORMED, "the transcription was not JSON", null);
            }
            if (json == null || !json.isObject()) {
                throw new StreamFailed(Reason.MALFORMED, "the transcription was not a JSON object", null);
            }
            if (json.hasNonNull("error")) {
                throw new StreamFailed(Reason.ERROR_EVENT, HttpErrors.apiMessage(json, config.apiKey()), null);
            }
            if (!json.path("text").isTextual()) {
                throw new StreamFailed(Reason.MALFORMED, "the transcription had no text", null);
            }
            return new Transcript(json.get("text").asText(), confidence(json.path("logprobs")));
        }

        private Transcript readEvents(HttpExchange b, byte[] first) throws ApiException {
            SseStream events = SseStream.over(b, first);
            StringBuilder text = new StringBuilder();
            for (SseEvent event; (event = events.next()) != null; ) {
                Transcript done = handle(event, text);
                if (done != null) {
                    return done;
                }
            }
            if (b.isClosed()) {
                return null;
            }
            throw new StreamFailed(Reason.DROPPED, "the stream ended before transcript.text.done", null);
        }

        /** Takes one event; the transcript once it is complete. */
        private Transcript handle(SseEvent event, StringBuilder text) throws ApiException {
            String data = event.data().strip();
            if (data.equals("[DONE]")) {
                return null;
            }
            JsonNode json;
            try {
                json = JSON.readTree(data);
            } catch (JsonProcessingException e) {
                json = null;
            }
            if (event.type().equals("error") || (json != null && json.isObject() && json.hasNonNull("error"))) {
                String message = json != null && json.isObject() ? HttpErrors.apiMessage(json, config.apiKey())
                        : HttpErrors.apiMessage(JSON.createObjectNode().put("error", data), config.apiKey());
                throw new StreamFailed(Reason.ERROR_EVENT, message.isEmpty() ? "no details given" : message, null);
            }
            if (json == null || !json.isObject()) {
                throw new StreamFailed(Reason.MALFORMED, "an event was not a JSON object", null);
            }
            switch (json.path("type").asText("")) {
                case "transcript.text.delta" -> {
                    text.append(json.path("delta").asText(""));
                    partial = text.toString().strip();
                }
                case "transcript.text.done" -> {
                    if (!json.path("text").isTextual()) {
                        throw new StreamFailed(Reason.MALFORMED, "transcript.text.done had no text", null);
                    }
                    return new Transcript(json.get("text").asText(), confidence(json.path("logprobs")));
                }
                default -> {
                    // transcript.text.segment and future event types carry nothing we need
                }
            }
            return null;
        }
    }

    /** The mean token probability of {@code logprobs} (an array of {@code {token, logprob, bytes}}); 1 if none. */
    static double confidence(JsonNode logprobs) {
        double sum = 0;
        int n = 0;
        for (JsonNode token : logprobs) {
            JsonNode lp = token.path("logprob");
            if (lp.isNumber()) {
                sum += Math.min(1.0, Math.exp(lp.asDouble()));
                n++;
            }
        }
        return n == 0 ? 1.0 : sum / n;
    }
}

package dev.parley.providers.openai.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.audio.Resampler;
import dev.parley.failover.ProviderEvents;
import dev.parley.failover.ProviderTiming;
import dev.parley.providers.http.ApiException;
import dev.parley.providers.http.Redactor;
import dev.parley.stt.RecognitionStream;
import dev.parley.stt.SpeechRecognizer;
import dev.parley.stt.Transcript;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Streaming speech recognition on an OpenAI Realtime transcription session, one WebSocket per utterance.
 *
 * <p>Following the Realtime transcription guide and the event references: the socket opens on
 * {@code /v1/realtime?intent=transcription}; the first event is {@code session.update} with
 * {@code session.type = "transcription"}, {@code audio.input.format = {"type":"audio/pcm","rate":24000}},
 * {@code audio.input.transcription = {"model", "language"}} and {@code audio.input.turn_detection = null}, so that
 * Parley's own endpointer, not OpenAI's VAD, decides when the utterance ends (with the beta interface:
 * {@code transcription_session.update} with {@code input_audio_format: "pcm16"}, {@code input_audio_transcription}
 * and {@code turn_detection: null}). Audio, 16 kHz from Parley, is resampled to 24 kHz and streamed as
 * {@code input_audio_buffer.append} (base64 PCM16 little-endian) as it arrives; {@link RecognitionStream#finish()}
 * sends {@code input_audio_buffer.commit} and waits for {@code conversation.item.input_audio_transcription.completed}
 * ({@code transcript}); {@code ...delta} events ({@code delta}) build the partial hypothesis; {@code ...failed} and
 * {@code error} events fail the utterance.
 *
 * <p>Timing: {@code ProviderTiming("openai", "stt", t)} where {@code t} runs from the commit handed to the socket's
 * writer to the {@code completed} event's arrival. Nothing blocks in {@code accept}: audio waits in the connection's
 * bounded queue while the handshake runs. Confidence is 1 (no log-probabilities are requested).
 */
public final class OpenAiRealtimeTranscriber implements SpeechRecognizer {
    static final int INPUT_RATE = 16_000;
    static final int WIRE_RATE = 24_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OpenAiRealtimeClient client;

    public OpenAiRealtimeTranscriber(OpenAiRealtimeClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /** A transcriber configured from {@code OPENAI_API_KEY} and {@code OPENAI_BASE_URL}. */
    public static OpenAiRealtimeTranscriber fromEnvironment(Map<String, String> env) {
        return new OpenAiRealtimeTranscriber(new OpenAiRealtimeClient(OpenAiRealtimeConfig.fromEnvironment(env)));
    }

    public OpenAiRealtimeConfig config() {
        return client.config();
    }

    @Override
    public RecognitionStream open(ProviderEvents events) {
        return new Stream(events == null ? ProviderEvents.NONE : events);
    }

    /** The first event of a transcription session (see the class comment). */
    static String sessionUpdate(OpenAiRealtimeConfig config) {
        ObjectNode e = JSON.createObjectNode();
        ObjectNode transcription = JSON.createObjectNode().put("model", config.transcriptionModel());
        if (config.language() != null) transcription.put("language", config.language());
        if (config.beta()) {
            e.put("type", "transcription_session.update");
            ObjectNode s = e.putObject("session");
            s.put("input_audio_format", "pcm16");
            s.set("input_audio_transcription", transcription);
            s.putNull("turn_detection");
        } else {
            e.put("type", "session.update");
            ObjectNode s = e.putObject("session");
            s.put("type", "transcription");
            ObjectNode input = s.putObject("audio").putObject("input");
            input.putObject("format").put("type", "audio/pcm").put("rate", WIRE_RATE);
            input.set("transcription", transcription);
            input.putNull("turn_detection");
        }
        return e.toString();
    }

    /** One utterance: its socket, resampler, partial text and the final transcript to come. */
    private final class Stream implements RecognitionStream, RealtimeConnection.Listener {
        private final ProviderEvents events;
        private final RealtimeConnection connection;
        private final Resampler resampler = new Resampler(INPUT_RATE, WIRE_RATE);
        private final CompletableFuture<String> result = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        private volatile long commitNanos;
        private long samples;
        private boolean finished;
        private volatile boolean closed;

        Stream(ProviderEvents events) {
            this.events = events;
            this.connection = client.transcription(this);
            connection.offer(sessionUpdate(client.config()));
        }

        @Override
        public String accept(short[] pcm, int offset, int length) {
            Objects.checkFromIndexSize(offset, length, pcm.length);
            if (finished || closed) throw new IllegalStateException("the stream is finished");
            if (!result.isDone() && length > 0) {
                samples += length;
                append(resampler.process(pcm, offset, length));
            }
            return partial();
        }

        private void append(short[] wire) {
            if (wire.length == 0) return;
            ByteBuffer bytes = ByteBuffer.allocate(wire.length * 2).order(ByteOrder.LITTLE_ENDIAN);
            for (short s : wire) bytes.putShort(s);
            String json = JSON.createObjectNode().put("type", "input_audio_buffer.append")
                    .put("audio", Base64.getEncoder().encodeToString(bytes.array())).toString();
            if (!connection.offer(json)) {
                result.completeExceptionally(new RealtimeSttException(client.config().serverName()
                        + " is not taking audio fast enough (the connection is slow or over)"));
            }
        }

        private String partial() {
            synchronized (partial) {
                return partial.toString();
            }
        }

        @Override
        public Transcript finish() {
            if (closed) throw new IllegalStateException("the stream was closed");
            if (finished) throw new IllegalStateException("finish() was called already");
            finished = true;
            try {
                if (!result.isDone()) {
                    append(resampler.flush());
                    if (samples == 0) return new Transcript("", 1.0); // nothing to commit: OpenAI refuses an empty buffer
                    commitNanos = System.nanoTime();
                    if (!connection.offer(JSON.createObjectNode().put("type", "input_audio_buffer.commit").toString())) {
                        result.completeExceptionally(new RealtimeSttException("could not send the end of the audio to "
                                + client.config().serverName()));
                    }
                }
                String text = result.get(client.config().firstByteTimeout().toMillis(), TimeUnit.MILLISECONDS);
                return new Transcript(text, 1.0);
            } catch (TimeoutException e) {
                throw new RealtimeSttException(client.config().serverName() + " gave no final transcript within "
                        + client.config().firstByteTimeout().toMillis() + " ms");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RealtimeSttException s) throw s;
                throw new RealtimeSttException("the transcription failed: " + e.getCause(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RealtimeSttException("interrupted while waiting for the transcript", e);
            } finally {
                connection.close();
            }
        }

        @Override
        public void close() {
            closed = true;
            result.cancel(false);
            connection.close();
        }

        // ------------------------------------------------------------ server events (the connection's reader thread)

        @Override
        public void onEvent(String json, long receivedNanos) {
            JsonNode e;
            try {
                e = JSON.readTree(json);
            } catch (Exception ex) {
                result.completeExceptionally(new RealtimeSttException(client.config().serverName() + " sent an event that is not JSON"));
                return;
            }
            switch (e.path("type").asText()) {
                case "conversation.item.input_audio_transcription.delta" -> {
                    synchronized (partial) {
                        partial.append(e.path("delta").asText(""));
                    }
                }
                case "conversation.item.input_audio_transcription.completed" -> {
                    long commit = commitNanos;
                    if (commit == 0 || result.isDone()) return; // not an answer to our commit
                    events.timing(new ProviderTiming("openai", "stt", Math.max(0, receivedNanos - commit)));
                    result.complete(e.path("transcript").asText(""));
                }
                case "conversation.item.input_audio_transcription.failed" -> result.completeExceptionally(
                        new RealtimeSttException(client.config().serverName() + " could not transcribe the audio: "
                                + Redactor.redact(e.path("error").path("message").asText("no reason given"), client.config().apiKey())));
                case "error" -> result.completeExceptionally(new RealtimeSttException(client.config().serverName()
                        + " reported an error (" + e.path("error").path("code").asText("no code") + "): "
                        + Redactor.redact(e.path("error").path("message").asText(""), client.config().apiKey())));
                default -> {
                    // session.created / session.updated / input_audio_buffer.committed / conversation.item.*: nothing to do
                }
            }
        }

        @Override
        public void onFailure(ApiException failure) {
            result.completeExceptionally(new RealtimeSttException(RealtimeErrors.describe(failure, client.config()), failure));
        }
    }
}

package dev.parley.providers.google;

import com.google.api.gax.rpc.ClientStream;
import com.google.api.gax.rpc.ResponseObserver;
import com.google.api.gax.rpc.StreamController;
import com.google.cloud.speech.v1.RecognitionConfig;
import com.google.cloud.speech.v1.SpeechClient;
import com.google.cloud.speech.v1.SpeechContext;
import com.google.cloud.speech.v1.StreamingRecognitionConfig;
import com.google.cloud.speech.v1.StreamingRecognitionResult;
import com.google.cloud.speech.v1.StreamingRecognizeRequest;
import com.google.cloud.speech.v1.StreamingRecognizeResponse;
import com.google.protobuf.ByteString;
import dev.parley.failover.ProviderEvents;
import dev.parley.failover.ProviderTiming;
import dev.parley.stt.RecognitionStream;
import dev.parley.stt.SpeechRecognizer;
import dev.parley.stt.Transcript;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Google Cloud Speech-to-Text v1 streaming recognition ({@code Speech.StreamingRecognize}) through Google's official
 * client: one bidirectional gRPC stream per utterance.
 *
 * <p>The first request carries the {@code StreamingRecognitionConfig}: {@code config} = LINEAR16, 16000 Hz, one
 * channel, the configured {@code language_code} and {@code model}, {@code enable_automatic_punctuation}, and one
 * {@code speech_contexts} entry with the phrase hints and {@code boost} when phrases are configured;
 * {@code interim_results = true}, {@code single_utterance = false} (Parley's own endpointer ends the turn). Every later
 * request carries {@code audio_content} only, sent as {@link RecognitionStream#accept} receives it without waiting on
 * the network (the gRPC stream buffers).
 *
 * <p>Responses carry {@code results}; the final transcript is the concatenation of the top alternative of every
 * result with {@code is_final} (Google may finalise a long utterance in several pieces), its confidence the mean of
 * those alternatives' {@code confidence} (1 when Google gives none). The partial is the finalised text followed by the
 * interim results of the latest response.
 *
 * <p>{@link RecognitionStream#finish()} half-closes the request stream (Google's documented way to say the audio has
 * ended) and waits, at most the first-byte timeout, for the server to finish the call. The
 * {@link ProviderTiming}{@code ("google", "stt", …)} it reports runs from that half-close to the first final result
 * after it (or to the end of the call when no final result comes, as after silence).
 * {@link RecognitionStream#close()} cancels the call, which the server sees as a gRPC cancellation.
 */
public final class GoogleSpeechRecognizer implements SpeechRecognizer {
    static final String SERVICE = "Google Speech-to-Text";
    /** Audio per request at most: 0.5 s at 16 kHz PCM16, well under the API's per-message limit. */
    static final int MAX_AUDIO_BYTES = 16_000;

    private final GoogleConfig config;
    private final SpeechClient client;

    /**
     * Creates the client (no network traffic until the first utterance).
     *
     * @throws GoogleException when no credentials are configured, naming the variable to set
     */
    public GoogleSpeechRecognizer(GoogleConfig config) {
        this.config = config;
        try {
            this.client = GoogleClients.speech(config);
        } catch (IOException e) {
            throw new GoogleException(GoogleException.Kind.FAILED, SERVICE + ": cannot create the client: "
                    + e.getMessage(), e);
        }
    }

    /** The first request of every stream, as documented for {@code StreamingRecognize}. */
    static StreamingRecognizeRequest configRequest(GoogleConfig config) {
        RecognitionConfig.Builder rc = RecognitionConfig.newBuilder()
                .setEncoding(RecognitionConfig.AudioEncoding.LINEAR16)
                .setSampleRateHertz(16_000)
                .setAudioChannelCount(1)
                .setLanguageCode(config.language())
                .setModel(config.model())
                .setEnableAutomaticPunctuation(true);
        if (!config.phrases().isEmpty()) {
            SpeechContext.Builder sc = SpeechContext.newBuilder().addAllPhrases(config.phrases());
            if (config.boost() > 0) sc.setBoost(config.boost());
            rc.addSpeechContexts(sc);
        }
        return StreamingRecognizeRequest.newBuilder()
                .setStreamingConfig(StreamingRecognitionConfig.newBuilder()
                        .setConfig(rc)
                        .setInterimResults(true)
                        .setSingleUtterance(false))
                .build();
    }

    @Override
    public RecognitionStream open(ProviderEvents events) {
        Stream s = new Stream(events == null ? ProviderEvents.NONE : events);
        s.start();
        return s;
    }

    @Override
    public void close() {
        client.close();
    }

    private final class Stream implements RecognitionStream, ResponseObserver<StreamingRecognizeResponse> {
        private final ProviderEvents events;
        private final CountDownLatch done = new CountDownLatch(1);
        private final Object lock = new Object();
        private ClientStream<StreamingRecognizeRequest> requests;
        private volatile StreamController controller;
        // guarded by lock
        private final List<String> finals = new ArrayList<>();
        private double confidenceSum;
        private int confidences;
        private String interim = "";
        private Throwable error;
        private long halfClosedAt = -1;
        private boolean timed;
        private boolean finished, closed;

        Stream(ProviderEvents events) {
            this.events = events;
        }

        void start() {
            requests = client.streamingRecognizeCallable().splitCall(this);
            requests.send(configRequest(config));
        }

        @Override
        public String accept(short[] pcm, int offset, int length) {
            synchronized (lock) {
                if (error != null) throw GoogleException.from(SERVICE, error);
                if (finished || closed) throw new IllegalStateException("the recognition stream is over");
            }
            for (int at = 0; at < length; ) {
                int n = Math.min(length - at, MAX_AUDIO_BYTES / 2);
                byte[] bytes = new byte[n * 2];
                for (int i = 0; i < n; i++) {
                    short s = pcm[offset + at + i];
                    bytes[2 * i] = (byte) s;
                    bytes[2 * i + 1] = (byte) (s >> 8);
                }
                requests.send(StreamingRecognizeRequest.newBuilder()
                        .setAudioContent(ByteString.copyFrom(bytes)).build());
                at += n;
            }
            return partial();
        }

        private String partial() {
            synchronized (lock) {
                return join(finals, interim);
            }
        }

        @Override
        public Transcript finish() {
            synchronized (lock) {
                if (closed) throw new IllegalStateException("the recognition stream was closed");
                if (finished) throw new IllegalStateException("finish() was called already");
                finished = true;
                if (error != null) throw GoogleException.from(SERVICE, error);
                halfClosedAt = System.nanoTime();
            }
            requests.closeSend();
            boolean ended;
            try {
                ended = done.await(config.firstByteTimeout().toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cancel();
                throw new GoogleException(GoogleException.Kind.FAILED, SERVICE + ": interrupted", e);
            }
            if (!ended) {
                cancel();
                throw GoogleException.timedOut(SERVICE, "final transcript", config.firstByteTimeout());
            }
            synchronized (lock) {
                if (error != null) throw GoogleException.from(SERVICE, error);
                return new Transcript(join(finals, ""), confidences == 0 ? 1.0 : confidenceSum / confidences);
            }
        }

        @Override
        public void close() {
            synchronized (lock) {
                if (closed) return;
                closed = true;
            }
            if (done.getCount() > 0) cancel();
        }

        private void cancel() {
            StreamController c = controller;
            if (c != null) {
                c.cancel();
            } else {
                requests.closeSendWithError(new java.util.concurrent.CancellationException("closed"));
            }
        }

        // ---- responses, on a gRPC thread

        @Override
        public void onStart(StreamController c) {
            controller = c;
        }

        @Override
        public void onResponse(StreamingRecognizeResponse response) {
            synchronized (lock) {
                if (response.hasError() && response.getError().getCode() != 0) {
                    // the documented in-band error: the call ends with the same status; keep the first one
                    if (error == null) {
                        error = io.grpc.Status.fromCodeValue(response.getError().getCode())
                                .withDescription(response.getError().getMessage()).asRuntimeException();
                    }
                    return;
                }
                StringBuilder interimText = new StringBuilder();
                boolean gotFinal = false;
                for (StreamingRecognitionResult r : response.getResultsList()) {
                    if (r.getAlternativesCount() == 0) continue;
                    var top = r.getAlternatives(0);
                    if (r.getIsFinal()) {
                        gotFinal = true;
                        if (!top.getTranscript().isBlank()) finals.add(top.getTranscript().strip());
                        if (top.getConfidence() > 0) {
                            confidenceSum += top.getConfidence();
                            confidences++;
                        }
                    } else {
                        interimText.append(top.getTranscript());
                    }
                }
                interim = interimText.toString().strip();
                if (gotFinal) timeFinal();
            }
        }

        @Override
        public void onError(Throwable t) {
            synchronized (lock) {
                if (error == null && !closed) error = t;
            }
            done.countDown();
        }

        @Override
        public void onComplete() {
            synchronized (lock) {
                timeFinal();
            }
            done.countDown();
        }

        /** Under lock: reports half-close → now once, when the audio has ended. */
        private void timeFinal() {
            if (halfClosedAt < 0 || timed) return;
            timed = true;
            events.timing(new ProviderTiming("google", "stt", Math.max(0, System.nanoTime() - halfClosedAt)));
        }
    }

    private static String join(List<String> finals, String interim) {
        StringBuilder sb = new StringBuilder();
        for (String f : finals) {
            if (!sb.isEmpty()) sb.append(' ');
            sb.append(f);
        }
        if (!interim.isEmpty()) {
            if (!sb.isEmpty()) sb.append(' ');
            sb.append(interim);
        }
        return sb.toString();
    }
}

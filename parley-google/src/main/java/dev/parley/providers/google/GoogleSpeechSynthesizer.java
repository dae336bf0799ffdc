package dev.parley.providers.google;

import com.google.api.core.ApiFuture;
import com.google.api.gax.rpc.ClientStream;
import com.google.api.gax.rpc.ResponseObserver;
import com.google.api.gax.rpc.StreamController;
import com.google.cloud.texttospeech.v1.AudioConfig;
import com.google.cloud.texttospeech.v1.AudioEncoding;
import com.google.cloud.texttospeech.v1.StreamingAudioConfig;
import com.google.cloud.texttospeech.v1.StreamingSynthesisInput;
import com.google.cloud.texttospeech.v1.StreamingSynthesizeConfig;
import com.google.cloud.texttospeech.v1.StreamingSynthesizeRequest;
import com.google.cloud.texttospeech.v1.StreamingSynthesizeResponse;
import com.google.cloud.texttospeech.v1.SynthesisInput;
import com.google.cloud.texttospeech.v1.SynthesizeSpeechRequest;
import com.google.cloud.texttospeech.v1.SynthesizeSpeechResponse;
import com.google.cloud.texttospeech.v1.TextToSpeechClient;
import com.google.cloud.texttospeech.v1.VoiceSelectionParams;
import com.google.protobuf.ByteString;
import dev.parley.audio.PcmAudio;
import dev.parley.audio.Resampler;
import dev.parley.audio.WavFile;
import dev.parley.failover.ProviderEvents;
import dev.parley.failover.ProviderTiming;
import dev.parley.tts.SpeechSynthesizer;
import dev.parley.tts.TtsException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Google Cloud Text-to-Speech v1 through Google's official client, delivering 24 kHz mono PCM16.
 *
 * <p>Chirp 3 HD voices ({@link GoogleConfig#voiceStreams()}) use {@code StreamingSynthesize}: a first request with
 * {@code streaming_config} (the voice, {@code streaming_audio_config} = {@code PCM} at 24000 Hz and the speaking
 * rate), a second with {@code input.text}, then a half-close; each {@code StreamingSynthesizeResponse.audio_content}
 * is headerless LINEAR16 and is passed on as it arrives. Every other voice uses the unary {@code SynthesizeSpeech}
 * with {@code AudioConfig} = {@code LINEAR16}, 24000 Hz and the speaking rate: its {@code audio_content} is a WAV
 * file (the API documents the header), parsed with {@link WavFile} (so the header is never played) and delivered in
 * 100 ms chunks; a rate other than the one asked for is resampled.
 *
 * <p>The {@link ProviderTiming}{@code ("google", "tts", …)} runs from sending the request (the first streaming
 * request) to the first audio received. The first audio must come within the first-byte timeout and, when
 * streaming, each next piece too; a unary call is retried on {@code UNAVAILABLE} within that time (it has delivered
 * nothing yet), a stream never. Once {@code cancelled} says so the call is cancelled (the server sees it) and
 * synthesis returns without error.
 */
public final class GoogleSpeechSynthesizer implements SpeechSynthesizer {
    static final String SERVICE = "Google Text-to-Speech";
    public static final int SAMPLE_RATE = 24_000;
    /** Samples per delivered chunk of a unary answer: 100 ms. */
    static final int CHUNK_SAMPLES = SAMPLE_RATE / 10;
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final Object END = new Object();

    private final GoogleConfig config;
    private final TextToSpeechClient client;

    /**
     * Creates the client (no network traffic until the first phrase).
     *
     * @throws GoogleException when no credentials are configured, naming the variable to set
     */
    public GoogleSpeechSynthesizer(GoogleConfig config) {
        this.config = config;
        try {
            this.client = GoogleClients.tts(config);
        } catch (IOException e) {
            throw new GoogleException(GoogleException.Kind.FAILED, SERVICE + ": cannot create the client: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public int sampleRate() {
        return SAMPLE_RATE;
    }

    @Override
    public void synthesize(String text, Consumer<PcmAudio> out, BooleanSupplier cancelled, ProviderEvents events)
            throws TtsException {
        if (text == null || text.isBlank() || cancelled.getAsBoolean()) return;
        ProviderEvents ev = events == null ? ProviderEvents.NONE : events;
        try {
            if (config.voiceStreams()) {
                streaming(text.strip(), out, cancelled, ev);
            } else {
                unary(text.strip(), out, cancelled, ev);
            }
        } catch (GoogleException e) {
            throw new TtsException(e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        client.close();
    }

    VoiceSelectionParams voice() {
        return VoiceSelectionParams.newBuilder().setLanguageCode(config.voiceLanguage()).setName(config.voice())
                .build();
    }

    SynthesizeSpeechRequest unaryRequest(String text) {
        return SynthesizeSpeechRequest.newBuilder()
                .setInput(SynthesisInput.newBuilder().setText(text))
                .setVoice(voice())
                .setAudioConfig(AudioConfig.newBuilder()
                        .setAudioEncoding(AudioEncoding.LINEAR16)
                        .setSampleRateHertz(SAMPLE_RATE)
                        .setSpeakingRate(config.speakingRate()))
                .build();
    }

    StreamingSynthesizeRequest streamingConfigRequest() {
        return StreamingSynthesizeRequest.newBuilder()
                .setStreamingConfig(StreamingSynthesizeConfig.newBuilder()
                        .setVoice(voice())
                        .setStreamingAudioConfig(StreamingAudioConfig.newBuilder()
                                .setAudioEncoding(AudioEncoding.PCM)
                                .setSampleRateHertz(SAMPLE_RATE)
                                .setSpeakingRate(config.speakingRate())))
                .build();
    }

    // ------------------------------------------------------------------ unary

    private void unary(String text, Consumer<PcmAudio> out, BooleanSupplier cancelled, ProviderEvents events)
            throws TtsException {
        long sent = System.nanoTime();
        ApiFuture<SynthesizeSpeechResponse> future = client.synthesizeSpeechCallable().futureCall(unaryRequest(text));
        // gax enforces the first-byte timeout as the call's deadline; this guard only stops a wait that outlives it
        long deadline = sent + config.firstByteTimeout().toNanos() + TimeUnit.SECONDS.toNanos(2);
        SynthesizeSpeechResponse response;
        while (true) {
            if (cancelled.getAsBoolean()) {
                future.cancel(true);
                return;
            }
            try {
                response = future.get(POLL_NANOS, TimeUnit.NANOSECONDS);
                break;
            } catch (TimeoutException e) {
                if (System.nanoTime() - deadline > 0) {
                    future.cancel(true);
                    throw GoogleException.timedOut(SERVICE, "audio", config.firstByteTimeout());
                }
            } catch (ExecutionException e) {
                throw GoogleException.from(SERVICE, e.getCause());
            } catch (InterruptedException e) {
                future.cancel(true);
                Thread.currentThread().interrupt();
                return;
            }
        }
        events.timing(new ProviderTiming("google", "tts", System.nanoTime() - sent));
        PcmAudio audio = decodeWav(response.getAudioContent());
        for (int at = 0; at < audio.length() && !cancelled.getAsBoolean(); at += CHUNK_SAMPLES) {
            out.accept(audio.slice(at, Math.min(audio.length(), at + CHUNK_SAMPLES)));
        }
    }

    /** The samples of a LINEAR16 answer, its WAV header parsed and dropped, at {@link #SAMPLE_RATE}. */
    static PcmAudio decodeWav(ByteString content) throws TtsException {
        PcmAudio audio;
        try {
            audio = WavFile.read(new ByteArrayInputStream(content.toByteArray()), "the " + SERVICE + " answer");
        } catch (IOException e) {
            throw new TtsException(SERVICE + " sent audio that is not a LINEAR16 WAV: " + e.getMessage(), e);
        }
        return audio.sampleRate() == SAMPLE_RATE ? audio : Resampler.convert(audio, SAMPLE_RATE);
    }

    // ------------------------------------------------------------------ streaming

    private void streaming(String text, Consumer<PcmAudio> out, BooleanSupplier cancelled, ProviderEvents events) {
        BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
        StreamController[] controller = new StreamController[1];
        ResponseObserver<StreamingSynthesizeResponse> observer = new ResponseObserver<>() {
            @Override
            public void onStart(StreamController c) {
                synchronized (controller) {
                    controller[0] = c;
                }
            }

            @Override
            public void onResponse(StreamingSynthesizeResponse r) {
                if (!r.getAudioContent().isEmpty()) inbox.add(r.getAudioContent());
            }

            @Override
            public void onError(Throwable t) {
                inbox.add(t);
            }

            @Override
            public void onComplete() {
                inbox.add(END);
            }
        };
        long sent = System.nanoTime();
        ClientStream<StreamingSynthesizeRequest> requests = client.streamingSynthesizeCallable().splitCall(observer);
        boolean over = false;
        try {
            requests.send(streamingConfigRequest());
            requests.send(StreamingSynthesizeRequest.newBuilder()
                    .setInput(StreamingSynthesisInput.newBuilder().setText(text)).build());
            requests.closeSend();
            long limit = config.firstByteTimeout().toNanos();
            long lastHeard = sent;
            boolean first = true;
            int carry = -1; // a byte left over when a response ends inside a sample
            while (true) {
                if (cancelled.getAsBoolean()) return;
                Object item;
                try {
                    item = inbox.poll(POLL_NANOS, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (item == null) {
                    if (System.nanoTime() - lastHeard > limit) {
                        throw GoogleException.timedOut(SERVICE, first ? "audio" : "further audio",
                                config.firstByteTimeout());
                    }
                    continue;
                }
                if (item == END) {
                    over = true;
                    return;
                }
                if (item instanceof Throwable t) {
                    over = true;
                    throw GoogleException.from(SERVICE, t);
                }
                lastHeard = System.nanoTime();
                if (first) {
                    first = false;
                    events.timing(new ProviderTiming("google", "tts", lastHeard - sent));
                }
                ByteString bytes = (ByteString) item;
                byte[] b = carry < 0 ? bytes.toByteArray() : ByteString.copyFrom(new byte[]{(byte) carry})
                        .concat(bytes).toByteArray();
                int even = b.length & ~1;
                carry = even < b.length ? b[b.length - 1] & 0xff : -1;
                if (even > 0) out.accept(PcmAudio.fromLittleEndianBytes(b, 0, even, SAMPLE_RATE));
            }
        } finally {
            if (!over) cancel(controller, requests);
        }
    }

    private static void cancel(StreamController[] controller, ClientStream<StreamingSynthesizeRequest> requests) {
        StreamController c;
        synchronized (controller) {
            c = controller[0];
        }
        if (c != null) {
            c.cancel();
        } else {
            requests.closeSendWithError(new java.util.concurrent.CancellationException("cancelled"));
        }
    }
}

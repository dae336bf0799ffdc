package dev.parley.transport.rest;

import dev.parley.audio.PcmAudio;
import dev.parley.audio.Resampler;
import dev.parley.audio.TimeStretch;
import dev.parley.audio.WavFile;
import dev.parley.session.VoiceSession;
import dev.parley.tts.SentenceChunker;
import dev.parley.tts.ChosenVoice;
import dev.parley.tts.SpeechSynthesizer;
import dev.parley.tts.TtsException;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code POST /v1/audio/speech}: the input spoken by the server's voice, a phrase at a time, each chunk sent the
 * moment it is synthesised, resampled to OpenAI's 24 kHz ({@code pcm}: raw 16-bit mono little-endian; {@code wav}:
 * the same after a 44-byte header whose sizes say "unknown", as a streamed WAV file must). With a {@code speed}
 * other than 1 each phrase is stretched whole (WSOLA, same pitch) before it is sent.
 *
 * <p>A voice that fails before any audio is answered 502 with the error JSON; one that fails after cuts the response
 * short (the connection is dropped, so the client cannot take it for complete). A client that goes away stops the
 * synthesis.
 */
final class Speech {
    private static final Logger log = LoggerFactory.getLogger(Speech.class);
    /** OpenAI's {@code pcm} rate. */
    static final int RATE = 24_000;

    private final Supplier<VoiceSession.Engines> engines;
    private final RestLimits limits;

    Speech(Supplier<VoiceSession.Engines> engines, RestLimits limits) {
        this.engines = engines;
        this.limits = limits;
    }

    void handle(Context ctx) throws IOException {
        SpeechRequest request = SpeechRequest.parse(JsonBody.read(ctx, limits.maxSpeechBytes()), limits.maxSpeechChars());
        ResponseStream out = new ResponseStream(ctx, request.format() == SpeechRequest.Format.WAV ? "audio/wav" : "audio/pcm");
        try (EngineLease lease = EngineLease.open(engines)) {
            SpeechSynthesizer tts = lease.engines().tts();
            if (tts instanceof ChosenVoice chosen) {
                try {
                    chosen.select(request.voice());
                } catch (IllegalArgumentException e) {
                    throw ApiError.badRequest("voice", "invalid_value", e.getMessage());
                }
            }
            Resampler resampler = new Resampler(tts.sampleRate(), RATE);
            Audio audio = new Audio(out, request.format() == SpeechRequest.Format.WAV);
            for (String phrase : phrases(request.input())) {
                if (out.gone()) return;
                List<PcmAudio> whole = new ArrayList<>();
                tts.synthesize(phrase, chunk -> {
                    PcmAudio at24 = resampler.process(chunk);
                    if (request.speed() == 1.0) audio.send(at24.samples());
                    else whole.add(at24);
                }, out::gone);
                if (!whole.isEmpty()) audio.send(TimeStretch.stretch(PcmAudio.concat(whole), request.speed()).samples());
            }
            audio.send(resampler.flush());
            audio.end();
            out.finish();
            log.debug("spoke {} characters: {} bytes of audio", request.input().length(), audio.bytes);
        } catch (TtsException | RuntimeException e) {
            if (e instanceof ApiError a) throw a;
            if (e instanceof UncheckedIOException || out.gone()) {
                log.debug("the client went away during speech");
                return;
            }
            log.warn("the voice failed: {}", e.getMessage());
            if (!out.committed()) throw ApiError.engineFailed("the voice failed: " + e.getMessage());
            out.abort(e);
        }
    }

    /** The input in phrases, as a reply is spoken. */
    static List<String> phrases(String input) {
        SentenceChunker chunker = new SentenceChunker(new SentenceChunker.Config(1000, 60));
        List<String> out = new ArrayList<>(chunker.add(input));
        out.addAll(chunker.flush());
        out.removeIf(String::isBlank);
        return out.isEmpty() ? List.of(input) : out;
    }

    /** Audio to the client: the WAV header before the first samples, little-endian PCM16. */
    private static final class Audio {
        private final ResponseStream out;
        private boolean header;
        long bytes;

        Audio(ResponseStream out, boolean wav) {
            this.out = out;
            this.header = wav;
        }

        void send(short[] samples) {
            if (samples.length == 0) return;
            byte[] pcm = new PcmAudio(samples, RATE).toLittleEndianBytes();
            end();
            out.write(pcm);
            bytes += pcm.length;
        }

        /** Sends the WAV header if it is still due (a file of no audio is a header alone). */
        void end() {
            if (header) {
                header = false;
                out.write(WavFile.header(RATE, 0xFFFF_FFFFL));
            }
        }
    }
}

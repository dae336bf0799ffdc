package dev.parley.bench.load;

import dev.parley.audio.PcmAudio;
import dev.parley.audio.Resampler;

/**
 * What Parley itself adds to a turn when its engines are fakes of known latency.
 *
 * <p>A turn's end to end runs from the real end of speech to the first reply audio at the client. Part of it is
 * waited on purpose: the endpoint silence (the session's {@code endpoint-silence-ms}, which the server reports as
 * the {@code endpoint} stage of the waterfall in {@code response.done}); part is the engines' (the fakes' fixed
 * STT, first-token and first-audio latencies). The rest is overhead: the audio's way in (socket, queues, resampling,
 * framing, the VAD falling behind the microphone under load), the hand-offs between stages, the sentence chunker,
 * the output and the socket back, and the client's own reading.
 *
 * <p>It is measured from the instant the audio that let the server decide the turn was over had been recorded,
 * i.e. from {@code speech_stopped.audio_end_ms} + the waterfall's {@code endpoint} (the end of the VAD frame that
 * decided), converted to the 20 ms input chunk that completed that frame (with the 24 → 16 kHz resampler's
 * look-ahead), on the caller's microphone timeline. That is e2e − endpoint − fixed fakes, with the end of speech
 * placed where the server's endpointer placed it rather than where the manifest does, so the VAD's 32 ms frame grid
 * and the 20 ms chunking of the input do not count as overhead.
 */
public final class Overhead {
    private static final double FRAME_MS = 512 * 1000.0 / PcmAudio.PIPELINE_RATE;
    /** Input samples (24 kHz) the session's resampler needs beyond an output sample before it produces it. */
    static final int LOOKAHEAD = new Resampler(ClipStream.RATE, PcmAudio.PIPELINE_RATE).lookahead();

    private Overhead() {
    }

    /**
     * When the input that decided the endpoint had been recorded, in ms of the caller's stream (from its first
     * sample): the whole chunks of 20 ms needed to hold the deciding VAD frame and the resampler's look-ahead.
     *
     * @param audioEndMs where the server placed the end of speech ({@code input_audio_buffer.speech_stopped})
     * @param endpointMs the silence it then waited ({@code response.done} metadata {@code latency_endpoint_ms})
     * @param lookahead  input samples the resampler needs beyond a sample
     */
    static double decisionRecordedMs(double audioEndMs, double endpointMs, int lookahead) {
        long frames = Math.round((audioEndMs + endpointMs) / FRAME_MS); // frame ends lie on a 32 ms grid
        long samples = frames * 512 * ClipStream.RATE / PcmAudio.PIPELINE_RATE + lookahead;
        long chunks = (samples + ClipStream.CHUNK - 1) / ClipStream.CHUNK;
        return chunks * ClipStream.CHUNK_MS;
    }

    /**
     * Parley's overhead on one turn, in ms.
     *
     * @param firstAudioMs when the first reply audio reached the caller, in ms of its stream
     * @param fakesMs      the fixed latencies of the fake engines ({@link FakeLatencies#totalMs()})
     */
    public static double overheadMs(double firstAudioMs, double audioEndMs, double endpointMs, int fakesMs) {
        return firstAudioMs - decisionRecordedMs(audioEndMs, endpointMs, LOOKAHEAD) - fakesMs;
    }
}

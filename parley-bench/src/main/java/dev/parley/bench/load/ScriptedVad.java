package dev.parley.bench.load;

import dev.parley.vad.VoiceActivityDetector;

/**
 * A voice activity detector that knows the answer: a frame is speech when its middle lies in the speech of a clip
 * its caller announced ({@link CallerScript}), per the corpus manifest's {@code speech_start_s}/{@code speech_end_s}.
 * Deterministic and nearly free, so a load test measures the pipeline around the VAD and not Silero.
 *
 * <p>It counts frames from the session's first (a frame is 512 samples at 16 kHz, 32 ms of the stream), so it must
 * see every frame in order, as a session feeds its VAD; {@link #reset()} forgets nothing, since the stream's clock
 * goes on.
 */
public final class ScriptedVad implements VoiceActivityDetector {
    static final int FRAME = 512;
    private static final double FRAME_MS = FRAME * 1000.0 / 16_000;
    private final CallerScript script;
    private long frames;

    public ScriptedVad(CallerScript script) {
        this.script = script;
    }

    @Override
    public int frameSamples() {
        return FRAME;
    }

    @Override
    public float speechProbability(short[] frame) {
        double middleMs = (frames++ + 0.5) * FRAME_MS;
        return script.speechAt(middleMs) ? 0.95f : 0.02f;
    }

    @Override
    public void reset() {
        // the frame count is the stream's clock: it goes on
    }
}

package dev.parley.embedded.vad;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;

import dev.parley.vad.VoiceActivityDetector;

/**
 * Silero VAD v5, run with onnxruntime. The model is loaded once and shared; each session gets its own
 * {@link #newDetector() detector}, which carries the recurrent state and the audio context from frame to frame.
 *
 * <p>The v5 graph takes {@code input} [1, 64 + 512] (the previous frame's last 64 samples, then the new 512, as
 * floats in [-1, 1]), {@code state} [2, 1, 128] and {@code sr} (16000), and returns {@code output} [1, 1] (the
 * speech probability) and {@code stateN}.
 */
public final class SileroVadModel implements AutoCloseable {
    public static final int FRAME = 512;
    private static final int CONTEXT = 64;
    private static final int STATE = 2 * 128;

    private final OrtEnvironment env;
    private final OrtSession session;

    private SileroVadModel(OrtEnvironment env, OrtSession session) {
        this.env = env;
        this.session = session;
    }

    public static SileroVadModel load(Path onnx) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            // One frame is tiny: threads cost more than they save, and sessions run side by side.
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            return new SileroVadModel(env, env.createSession(onnx.toString(), options));
        }
    }

    public VoiceActivityDetector newDetector() {
        try {
            return new Detector();
        } catch (OrtException e) {
            throw new IllegalStateException("could not create Silero VAD tensors: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }

    private static FloatBuffer direct(int floats) {
        return ByteBuffer.allocateDirect(floats * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    private final class Detector implements VoiceActivityDetector {
        private final FloatBuffer input = direct(CONTEXT + FRAME);
        private final FloatBuffer state = direct(STATE);
        private final float[] context = new float[CONTEXT];
        private final OnnxTensor inputTensor;
        private final OnnxTensor stateTensor;
        private final OnnxTensor rateTensor;
        private boolean closed;

        Detector() throws OrtException {
            inputTensor = OnnxTensor.createTensor(env, input, new long[]{1, CONTEXT + FRAME});
            stateTensor = OnnxTensor.createTensor(env, state, new long[]{2, 1, 128});
            rateTensor = OnnxTensor.createTensor(env, 16_000L);
        }

        @Override
        public int frameSamples() {
            return FRAME;
        }

        @Override
        public float speechProbability(short[] frame) {
            if (frame.length != FRAME) throw new IllegalArgumentException("Silero VAD takes frames of " + FRAME + " samples, got " + frame.length);
            input.clear();
            input.put(context);
            for (short s : frame) input.put(s / 32768f);
            for (int i = 0; i < CONTEXT; i++) context[i] = frame[FRAME - CONTEXT + i] / 32768f;
            try (OrtSession.Result result = session.run(Map.of("input", inputTensor, "state", stateTensor, "sr", rateTensor))) {
                float probability = ((float[][]) result.get("output").orElseThrow().getValue())[0][0];
                FloatBuffer next = ((OnnxTensor) result.get("stateN").orElseThrow()).getFloatBuffer();
                state.clear();
                state.put(next);
                return probability;
            } catch (OrtException e) {
                throw new IllegalStateException("Silero VAD failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void reset() {
            state.clear();
            state.put(new float[STATE]);
            java.util.Arrays.fill(context, 0);
        }

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            inputTensor.close();
            stateTensor.close();
            rateTensor.close();
        }
    }
}

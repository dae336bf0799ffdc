package dev.parley.embedded;

import dev.parley.audio.PcmAudio;
import dev.parley.audio.Resampler;
import dev.parley.embedded.stt.VoskSpeechRecognizer;
import dev.parley.embedded.tts.MaryTtsSynthesizer;
import dev.parley.embedded.vad.SileroVadModel;
import dev.parley.stt.RecognitionStream;
import dev.parley.tts.TtsException;
import dev.parley.vad.VoiceActivityDetector;

import java.util.List;

/**
 * Runs the engines once at start on a spoken question, as a turn would (the VAD frame by frame, the recogniser fed in
 * 20 ms pieces, settled and finished), so that the first turn of a process costs what the tenth does: onnxruntime's
 * and Kaldi's first runs allocate and page in what later runs reuse, and the JIT compiles the Java around them.
 * MaryTTS warms itself as it loads; its speech is the input here.
 */
final class WarmUp {
    static final String QUESTION = "What time is it?";
    private static final int ROUNDS = 2;

    private WarmUp() {
    }

    /** Speaks {@link #QUESTION} and hears it back; returns the last transcript (for the log). */
    static String run(SileroVadModel vad, VoskSpeechRecognizer stt, MaryTtsSynthesizer tts) throws TtsException {
        PcmAudio spoken = Resampler.convert(tts.speak(QUESTION), PcmAudio.PIPELINE_RATE);
        short[] pcm = PcmAudio.concat(List.of(PcmAudio.silence(PcmAudio.PIPELINE_RATE, 300), spoken,
                PcmAudio.silence(PcmAudio.PIPELINE_RATE, 500))).samples();
        String heard = "";
        for (int round = 0; round < ROUNDS; round++) {
            listen(vad, pcm);
            heard = recognise(stt, pcm);
        }
        return heard;
    }

    private static void listen(SileroVadModel vad, short[] pcm) {
        try (VoiceActivityDetector detector = vad.newDetector()) {
            short[] frame = new short[detector.frameSamples()];
            for (int i = 0; i + frame.length <= pcm.length; i += frame.length) {
                System.arraycopy(pcm, i, frame, 0, frame.length);
                detector.speechProbability(frame);
            }
        }
    }

    private static String recognise(VoskSpeechRecognizer stt, short[] pcm) {
        int piece = PcmAudio.PIPELINE_RATE / 50;
        try (RecognitionStream s = stt.open()) {
            boolean settled = false;
            for (int i = 0; i < pcm.length; i += piece) {
                s.accept(pcm, i, Math.min(piece, pcm.length - i));
                if (!settled && i >= pcm.length / 2) settled = s.settle() != null; // as at a pause
            }
            return s.finish().text();
        }
    }
}

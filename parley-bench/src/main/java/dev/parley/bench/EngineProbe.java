package dev.parley.bench;

import dev.parley.audio.PcmAudio;
import dev.parley.failover.ProviderEvents;
import dev.parley.session.VoiceSession;
import dev.parley.stt.RecognitionStream;
import dev.parley.stt.SpeechRecognizer;
import dev.parley.stt.Transcript;
import dev.parley.tts.SpeechSynthesizer;
import dev.parley.tts.TtsException;
import dev.parley.vad.VoiceActivityDetector;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Timestamps, on {@link System#nanoTime()}, the two edges of a session's pipeline that a transport sits on: when the
 * VAD starts on each input frame (and when the input thread had finished with the frames before it), and when each
 * phrase's first synthesised audio comes out of TTS. It decorates one session's engines and adds a clock read per
 * call, the same on every path. With these, what a transport adds to a turn is measured apart from the pipeline:
 * input delivery (the audio that decided the endpoint recorded, to the VAD starting on it) and output delivery (the
 * first reply audio leaving the pipeline, to its arrival).
 */
final class EngineProbe {
    /** Per input frame: {VAD call started, the input thread done with the previous frames}. */
    private final List<long[]> frames = new ArrayList<>();
    /** The first audio of each synthesised phrase. */
    private final List<Long> ttsFirstAudio = new ArrayList<>();
    /** When the input thread last came back from an engine (VAD or STT accept). */
    private volatile long inputDone;

    VoiceSession.Engines wrap(VoiceSession.Engines e) {
        return new VoiceSession.Engines(vad(e.vad()), stt(e.stt()), e.dialog(), tts(e.tts()), e.completion());
    }

    /** Frame {@code n} (0-based, in the order the VAD saw them): {VAD started, input idle since}, or null. */
    synchronized long[] frame(int n) {
        return n >= 0 && n < frames.size() ? frames.get(n).clone() : null;
    }

    /** The first phrase audio out of TTS after {@code instant}, or -1. */
    synchronized long firstTtsAudioAfter(long instant) {
        for (long t : ttsFirstAudio) if (t > instant) return t;
        return -1;
    }

    private VoiceActivityDetector vad(VoiceActivityDetector vad) {
        return new VoiceActivityDetector() {
            @Override
            public int frameSamples() {
                return vad.frameSamples();
            }

            @Override
            public float speechProbability(short[] frame) {
                long start = System.nanoTime();
                synchronized (EngineProbe.this) {
                    frames.add(new long[]{start, inputDone});
                }
                float p = vad.speechProbability(frame);
                inputDone = System.nanoTime();
                return p;
            }

            @Override
            public void reset() {
                vad.reset();
            }

            @Override
            public void close() {
                vad.close();
            }
        };
    }

    private SpeechRecognizer stt(SpeechRecognizer stt) {
        return new SpeechRecognizer() {
            @Override
            public RecognitionStream open(ProviderEvents events) {
                RecognitionStream s = stt.open();
                return new RecognitionStream() {
                    @Override
                    public String accept(short[] pcm, int offset, int length) {
                        String partial = s.accept(pcm, offset, length);
                        inputDone = System.nanoTime();
                        return partial;
                    }

                    @Override
                    public Transcript finish() {
                        return s.finish();
                    }

                    @Override
                    public void close() {
                        s.close();
                    }
                };
            }

            @Override
            public void close() {
                stt.close();
            }
        };
    }

    private SpeechSynthesizer tts(SpeechSynthesizer tts) {
        return new SpeechSynthesizer() {
            @Override
            public int sampleRate() {
                return tts.sampleRate();
            }

            @Override
            public void synthesize(String text, Consumer<PcmAudio> out, BooleanSupplier cancelled, ProviderEvents events)
                    throws TtsException {
                boolean[] first = {true};
                tts.synthesize(text, audio -> {
                    if (first[0] && !audio.isEmpty()) {
                        first[0] = false;
                        long now = System.nanoTime();
                        synchronized (EngineProbe.this) {
                            ttsFirstAudio.add(now);
                        }
                    }
                    out.accept(audio);
                }, cancelled);
            }

            @Override
            public void close() {
                tts.close();
            }
        };
    }
}

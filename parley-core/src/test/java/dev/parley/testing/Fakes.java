package dev.parley.testing;

import dev.parley.audio.AudioSink;
import dev.parley.audio.PcmAudio;
import dev.parley.failover.ProviderEvents;
import dev.parley.stt.RecognitionStream;
import dev.parley.stt.SpeechRecognizer;
import dev.parley.stt.Transcript;
import dev.parley.tts.SpeechSynthesizer;
import dev.parley.vad.VoiceActivityDetector;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** Scripted engines and audio for stage tests: no models, no threads of their own, time from a {@link FakeClock}. */
public final class Fakes {
    private Fakes() {
    }

    /** A clock the test moves; {@link #advanceMillis} from engines simulates their compute time. */
    public static final class FakeClock {
        private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

        public long nanoTime() {
            return nanos.get();
        }

        public void advanceNanos(long n) {
            nanos.addAndGet(n);
        }

        public void advanceMillis(long ms) {
            advanceNanos(ms * 1_000_000);
        }
    }

    /** 16 kHz audio built from spans of "speech" (a loud tone) and silence. */
    public static final class Script {
        private final List<short[]> parts = new ArrayList<>();

        public Script silence(int ms) {
            parts.add(new short[ms * 16]);
            return this;
        }

        public Script speech(int ms) {
            short[] s = new short[ms * 16];
            for (int i = 0; i < s.length; i++) s[i] = (short) (8000 * Math.sin(2 * Math.PI * 220 * i / 16000.0));
            parts.add(s);
            return this;
        }

        public PcmAudio build() {
            int n = parts.stream().mapToInt(p -> p.length).sum();
            short[] all = new short[n];
            int at = 0;
            for (short[] p : parts) {
                System.arraycopy(p, 0, all, at, p.length);
                at += p.length;
            }
            return new PcmAudio(all, 16_000);
        }
    }

    /** Speech probability from loudness: frames with RMS above 1000 are speech. */
    public static final class LoudnessVad implements VoiceActivityDetector {
        public int frames;

        @Override
        public int frameSamples() {
            return 512;
        }

        @Override
        public float speechProbability(short[] frame) {
            frames++;
            double sum = 0;
            for (short s : frame) sum += (double) s * s;
            return Math.sqrt(sum / frame.length) > 1000 ? 0.95f : 0.02f;
        }

        @Override
        public void reset() {
        }
    }

    /** Returns scripted transcripts, one per utterance, and records how much audio each utterance got. */
    public static final class ScriptedStt implements SpeechRecognizer {
        private final Deque<String> texts;
        private final FakeClock clock;
        private final long finishMillis;
        public final List<Long> samplesPerUtterance = new ArrayList<>();
        public int open;

        public ScriptedStt(FakeClock clock, long finishMillis, String... texts) {
            this.clock = clock;
            this.finishMillis = finishMillis;
            this.texts = new ArrayDeque<>(List.of(texts));
        }

        /** The partial hypothesis each utterance reports, by default its final text; null entries mean "…". */
        public final Deque<String> partials = new ArrayDeque<>();

        @Override
        public RecognitionStream open(ProviderEvents events) {
            int index = samplesPerUtterance.size();
            samplesPerUtterance.add(0L);
            open++;
            String text = texts.isEmpty() ? "" : texts.poll();
            String partial = partials.isEmpty() ? text : partials.poll();
            return new RecognitionStream() {
                boolean closed;

                @Override
                public String accept(short[] pcm, int offset, int length) {
                    samplesPerUtterance.set(index, samplesPerUtterance.get(index) + length);
                    return partial;
                }

                @Override
                public Transcript finish() {
                    if (clock != null) clock.advanceMillis(finishMillis);
                    return new Transcript(text, 0.9);
                }

                @Override
                public void close() {
                    if (!closed) open--;
                    closed = true;
                }
            };
        }
    }

    /** Speaks 100 ms of a tone per word, taking {@code renderMillis} of fake time before the first chunk. */
    public static final class ToneTts implements SpeechSynthesizer {
        private final FakeClock clock;
        private final long renderMillis;
        public final List<String> spoken = new ArrayList<>();

        public ToneTts(FakeClock clock, long renderMillis) {
            this.clock = clock;
            this.renderMillis = renderMillis;
        }

        @Override
        public int sampleRate() {
            return 16_000;
        }

        @Override
        public void synthesize(String text, Consumer<PcmAudio> out, BooleanSupplier cancelled, ProviderEvents events) {
            spoken.add(text);
            if (clock != null) clock.advanceMillis(renderMillis);
            int words = text.split("\\s+").length;
            for (int w = 0; w < words && !cancelled.getAsBoolean(); w++) {
                short[] s = new short[1600];
                java.util.Arrays.fill(s, (short) 1000);
                out.accept(new PcmAudio(s, 16_000));
            }
        }
    }

    /** Records what is played; optionally blocks every write until released (to hold a reply "playing"). */
    public static final class RecordingSink implements AudioSink {
        public final List<PcmAudio> played = new ArrayList<>();
        public final CountDownLatch firstWrite = new CountDownLatch(1);
        public volatile int interrupts;
        private final boolean blocking;
        private boolean released;

        public RecordingSink(boolean blocking) {
            this.blocking = blocking;
        }

        @Override
        public int sampleRate() {
            return 16_000;
        }

        @Override
        public synchronized void write(PcmAudio chunk) throws InterruptedException {
            int before = interrupts;
            played.add(chunk);
            firstWrite.countDown();
            while (blocking && !released && interrupts == before) wait(1000);
        }

        @Override
        public synchronized void interrupt() {
            interrupts++;
            notifyAll();
        }

        @Override
        public synchronized void drain() {
        }

        public synchronized void release() {
            released = true;
            notifyAll();
        }

        public synchronized long samplesPlayed() {
            return played.stream().mapToLong(PcmAudio::length).sum();
        }
    }

    /**
     * A wake-word detector that hears its first phrase once a listener has been given {@code afterMs} of 16 kHz audio
     * since its last reset, ending at {@code endMs} of that stretch; it refuses the phrase "xyzzy" as an unknown word.
     */
    public static final class ScriptedWake implements dev.parley.wake.WakeDetector {
        final long afterMs;
        final long endMs;
        public long fed;
        long fedSinceReset;
        public int resets;
        public List<String> phrases;

        public ScriptedWake(long afterMs, long endMs) {
            this.afterMs = afterMs;
            this.endMs = endMs;
        }

        @Override
        public dev.parley.wake.WakeListener listen(List<String> p) {
            if (p.contains("xyzzy")) throw new IllegalArgumentException("\"xyzzy\" is not a word this detector knows");
            phrases = p;
            return new dev.parley.wake.WakeListener() {
                boolean heard;

                @Override
                public dev.parley.wake.Wake accept(short[] samples, int length) {
                    fed += length;
                    fedSinceReset += length;
                    if (heard || fedSinceReset < afterMs * 16) return null;
                    heard = true;
                    return new dev.parley.wake.Wake(p.getFirst(), fed - fedSinceReset + endMs * 16, 0.9);
                }

                @Override
                public void reset() {
                    resets++;
                    fedSinceReset = 0;
                }
            };
        }

        @Override
        public String name() {
            return "scripted";
        }
    }
}

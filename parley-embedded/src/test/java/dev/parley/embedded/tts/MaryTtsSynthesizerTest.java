package dev.parley.embedded.tts;

import dev.parley.tts.SpeechSynthesizer;
import dev.parley.tts.TtsException;

import dev.parley.audio.PcmAudio;
import dev.parley.audio.Resampler;
import dev.parley.eval.WordErrorRate;
import dev.parley.stt.RecognitionStream;
import dev.parley.embedded.testing.EmbeddedFixture;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MaryTtsSynthesizerTest {

    private static PcmAudio speak(String text) throws TtsException {
        SpeechSynthesizer tts = EmbeddedFixture.stack().tts();
        List<PcmAudio> chunks = new ArrayList<>();
        tts.synthesize(text, chunks::add, () -> false);
        return PcmAudio.concat(chunks);
    }

    @Test
    void speechComesOutInSmallChunksAndSoundsLikeTheText() throws Exception {
        String text = "It is ten past five in the afternoon.";
        PcmAudio audio = speak(text);
        assertThat(audio.durationSeconds()).isBetween(1.5, 4.0);
        // the spoken reply, heard by the recogniser, is the reply text
        PcmAudio heard = Resampler.convert(audio, 16_000);
        String recognised;
        try (RecognitionStream s = EmbeddedFixture.stack().stt().open()) {
            s.accept(heard.samples(), 0, heard.length());
            recognised = s.finish().text();
        }
        assertThat(WordErrorRate.compute(text, recognised).wer()).as(recognised).isLessThanOrEqualTo(0.25);
    }

    @Test
    void phrasesRenderedOnSeveralThreadsAtOnceAreTheSameAsRenderedAlone() throws Exception {
        List<String> phrases = List.of("Timer set for three hours and ten minutes.", "It is ten past five.",
                "Hello, how can I help you today?", "Sorry, I did not catch that.");
        Map<String, PcmAudio> alone = new HashMap<>();
        for (String p : phrases) alone.put(p, speak(p));
        int threads = 4;
        CyclicBarrier together = new CyclicBarrier(threads);
        List<Callable<Map<String, PcmAudio>>> callers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t;
            callers.add(() -> {
                Map<String, PcmAudio> heard = new HashMap<>();
                for (int round = 0; round < phrases.size(); round++) {
                    together.await();
                    String p = phrases.get((first + round) % phrases.size());
                    heard.put(p, speak(p));
                }
                return heard;
            });
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (Future<Map<String, PcmAudio>> f : pool.invokeAll(callers)) {
                for (var e : f.get().entrySet()) {
                    assertThat(e.getValue().samples()).as(e.getKey()).isEqualTo(alone.get(e.getKey()).samples());
                }
            }
        }
    }

    @Test
    void theHmmPathSpeaksWhatMaryTtssOwnAudioStreamSays() throws Exception {
        // MaryTTS's own audio stream for the same phrase (its vocoder on a thread of its own), read whole
        marytts.LocalMaryInterface mary = new marytts.LocalMaryInterface();
        mary.setVoice(MaryTtsSynthesizer.DEFAULT_VOICE);
        mary.setLocale(java.util.Locale.US);
        for (String text : List.of("Timer set for three hours and ten minutes.", "Sorry, I did not catch that.")) {
            List<PcmAudio> chunks = new ArrayList<>();
            try (var in = mary.generateAudio(text)) {
                int rate = Math.round(in.getFormat().getSampleRate());
                new PcmChunks(rate / 25, rate).stream(in, chunks::add, () -> false);
            }
            PcmAudio own = PcmAudio.concat(chunks);
            PcmAudio ours = speak(text);

            assertThat(ours.sampleRate()).isEqualTo(own.sampleRate());
            assertThat(ours.length()).as(text).isEqualTo(own.length());
            // the same vocoder output; only the running loudness scale is taken per block rather than per read, so
            // samples may differ slightly where a new loudest sample falls inside a block
            assertThat(bestCorrelation(own.samples(), ours.samples(), 0)).as(text).isGreaterThan(0.999);
        }
    }

    /** The largest normalised correlation of {@code a} and {@code b} over shifts of up to {@code lag} samples. */
    private static double bestCorrelation(short[] a, short[] b, int lag) {
        double best = -1;
        for (int d = -lag; d <= lag; d++) {
            double ab = 0, aa = 0, bb = 0;
            for (int i = Math.max(0, -d); i < a.length && i + d < b.length; i++) {
                ab += (double) a[i] * b[i + d];
                aa += (double) a[i] * a[i];
                bb += (double) b[i + d] * b[i + d];
            }
            best = Math.max(best, ab / Math.sqrt(aa * bb));
        }
        return best;
    }

    @Test
    void blocksAreScaledByTheLoudestSampleSoFar() {
        short[] out = new short[3];
        double max = BlockVocoder.toPcm(new double[] {8500, -17000, 100}, 3, BlockVocoder.INITIAL_MAX_AMPLITUDE, out);
        assertThat(max).isEqualTo(17000);
        assertThat(out).containsExactly((short) 16384, (short) -32767, (short) 193);
        max = BlockVocoder.toPcm(new double[] {34000, 17000}, 2, max, out);
        assertThat(max).isEqualTo(34000); // a louder block scales by its own loudest sample, never clipping
        assertThat(out[0]).isEqualTo((short) 32767);
        assertThat(out[1]).isEqualTo((short) 16384);
    }

    @Test
    void cancellationStopsDelivery() throws Exception {
        AtomicInteger chunks = new AtomicInteger();
        EmbeddedFixture.stack().tts().synthesize("This is a rather long sentence that would take several seconds to say out loud.",
                c -> chunks.incrementAndGet(), () -> chunks.get() >= 2);
        assertThat(chunks.get()).isEqualTo(2);
    }

    @Test
    void audioComesIn40MsChunksAndMaryStaysUsableAfterACancelledPhrase() throws Exception {
        MaryTtsSynthesizer tts = EmbeddedFixture.stack().tts();
        AtomicInteger chunks = new AtomicInteger();
        tts.synthesize("A long sentence, cancelled after its first chunk, whose vocoder stops there.",
                c -> chunks.incrementAndGet(), () -> chunks.get() >= 1);
        List<PcmAudio> out = new ArrayList<>();
        tts.synthesize("Timer set", out::add, () -> false);
        int chunk = tts.sampleRate() * 40 / 1000;
        assertThat(out).hasSizeGreaterThan(3);
        assertThat(out.subList(0, out.size() - 1)).allSatisfy(c -> assertThat(c.length()).isEqualTo(chunk));
        assertThat(out.getLast().length()).isBetween(1, chunk);
    }

    @Test
    void unknownVoiceIsAClearError() {
        assertThatThrownBy(() -> MaryTtsSynthesizer.load("no-such-voice"))
                .isInstanceOf(TtsException.class).hasMessageContaining("no voice 'no-such-voice'").hasMessageContaining("cmu-slt-hsmm");
    }
}

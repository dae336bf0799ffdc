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
        tts.synthesize("A long sentence, cancelled after its first chunk, whose vocoder must still finish.",
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

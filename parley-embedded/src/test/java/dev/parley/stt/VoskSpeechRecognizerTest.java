package dev.parley.stt;

import dev.parley.audio.PcmAudio;
import dev.parley.audio.Resampler;
import dev.parley.audio.WavFile;
import dev.parley.eval.CorpusManifest;
import dev.parley.eval.WordErrorRate;
import dev.parley.testing.EmbeddedFixture;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class VoskSpeechRecognizerTest {

    static Transcript recognise(PcmAudio audio16k, List<String> partials) {
        try (RecognitionStream s = EmbeddedFixture.stack().stt().open()) {
            for (int i = 0; i < audio16k.length(); i += 320) {
                int n = Math.min(320, audio16k.length() - i);
                String p = s.accept(audio16k.samples(), i, n);
                if (partials != null && !p.isEmpty() && (partials.isEmpty() || !partials.getLast().equals(p))) partials.add(p);
            }
            return s.finish();
        }
    }

    @Test
    void transcribesVoiceAssistantCommandsExactly() throws Exception {
        for (String name : List.of("what_time_is_it", "whats_the_weather", "pocketsphinx__goforward", "cards_003")) {
            CorpusManifest.Clip clip = EmbeddedFixture.clip(name);
            PcmAudio audio = Resampler.convert(WavFile.read(clip.file()), 16_000);
            Transcript t = recognise(audio, null);
            assertThat(WordErrorRate.compute(clip.transcript(), t.text()).wer()).as(clip.name() + " → " + t.text()).isZero();
            assertThat(t.confidence()).isBetween(0.0, 1.0);
        }
    }

    @Test
    void partialResultsGrowTowardsTheFinalOne() throws Exception {
        CorpusManifest.Clip clip = EmbeddedFixture.clip("pocketsphinx__goforward");
        List<String> partials = new ArrayList<>();
        Transcript t = recognise(WavFile.read(clip.file()), partials);
        assertThat(partials).hasSizeGreaterThanOrEqualTo(2);
        assertThat(partials.getLast()).isEqualTo(t.text());
    }

    /**
     * Word error rate over every English clip of the corpus, each fed whole: the bound is the one the foundation
     * promises (15 %); what the small Vosk model actually scores is printed and reported by the benchmark.
     */
    @Test
    void corpusWordErrorRateIsWithinBound() throws Exception {
        List<WordErrorRate.Result> results = new ArrayList<>();
        for (CorpusManifest.Clip clip : EmbeddedFixture.clips()) {
            if (!clip.language().equals("en")) continue;
            PcmAudio audio = Resampler.convert(WavFile.read(clip.file()), 16_000);
            Transcript t = recognise(audio, null);
            WordErrorRate.Result r = WordErrorRate.compute(clip.transcript(), t.text());
            results.add(r);
            System.out.printf("WER %5.1f%%  %-45s %s%n", 100 * r.wer(), clip.name(), t.text());
        }
        WordErrorRate.Result total = WordErrorRate.sum(results);
        System.out.printf("corpus WER %.1f%% over %d clips, %d words%n", 100 * total.wer(), results.size(), total.referenceWords());
        assertThat(results).hasSize(42);
        assertThat(total.wer()).isLessThanOrEqualTo(0.15);
    }

    @Test
    void silenceGivesAnEmptyTranscript() {
        assertThat(recognise(PcmAudio.silence(16_000, 2000), null).isEmpty()).isTrue();
    }
}

package dev.parley.embedded.stt;

import dev.parley.stt.RecognitionStream;
import dev.parley.stt.Transcript;

import dev.parley.audio.PcmAudio;
import dev.parley.audio.Resampler;
import dev.parley.audio.WavFile;
import dev.parley.eval.CorpusManifest;
import dev.parley.eval.WordErrorRate;
import dev.parley.embedded.testing.EmbeddedFixture;
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

    /**
     * 300 ms after "what time is it" ends, Vosk's partial still lacks the last word ("what time is": an auxiliary, which
     * a judge of finished sentences rightly calls unfinished); settling gives the whole sentence, and the stream goes
     * on: words said after it join the final transcript.
     */
    @Test
    void settlingAtAPauseGivesTheLastWordAndTheStreamGoesOn() throws Exception {
        CorpusManifest.Clip clip = EmbeddedFixture.clip("what_time_is_it");
        PcmAudio audio = Resampler.convert(WavFile.read(clip.file()), 16_000);
        int pause = (int) ((clip.speechEndS() + 0.3) * 16_000);
        PcmAudio heard = PcmAudio.concat(List.of(audio.slice(0, Math.min(pause, audio.length())),
                PcmAudio.silence(16_000, Math.max(0, (pause - audio.length()) / 16))));
        CorpusManifest.Clip next = EmbeddedFixture.clip("whats_the_weather");
        PcmAudio more = Resampler.convert(WavFile.read(next.file()), 16_000);
        try (RecognitionStream s = EmbeddedFixture.stack().stt().open()) {
            String partial = "";
            for (int i = 0; i < heard.length(); i += 320) partial = s.accept(heard.samples(), i, Math.min(320, heard.length() - i));
            assertThat(partial).as("the partial lags").isEqualTo("what time is");
            assertThat(s.settle()).contains("what time is it");
            for (int i = 0; i < more.length(); i += 320) partial = s.accept(more.samples(), i, Math.min(320, more.length() - i));
            assertThat(partial).startsWith("what time is it");
            assertThat(s.finish().text()).isEqualTo("what time is it what's the weather");
        }
    }

    /**
     * Recognizers are reused (the decoding graph they composed stays cached); an utterance dropped halfway leaves
     * nothing behind for the next one, which hears exactly what a fresh recognizer hears.
     */
    @Test
    void aReusedRecognizerHearsTheNextUtteranceAsAFreshOneWould() throws Exception {
        VoskSpeechRecognizer stt = EmbeddedFixture.stack().stt();
        PcmAudio weather = Resampler.convert(WavFile.read(EmbeddedFixture.clip("whats_the_weather").file()), 16_000);
        PcmAudio time = Resampler.convert(WavFile.read(EmbeddedFixture.clip("what_time_is_it").file()), 16_000);
        try (RecognitionStream s = stt.open()) {
            for (int i = 0; i < weather.length() / 2; i += 320) s.accept(weather.samples(), i, 320);
        }
        int idle = stt.idleRecognizers();
        assertThat(idle).isPositive();

        assertThat(recognise(time, null).text()).isEqualTo("what time is it");
        assertThat(stt.idleRecognizers()).as("the kept recognizer served it and went back").isEqualTo(idle);
    }

    @Test
    void recognizersHeardAtOnceAreKeptUpToTheLimitAndTheRestClosed() {
        VoskSpeechRecognizer stt = EmbeddedFixture.stack().stt();
        List<RecognitionStream> open = new ArrayList<>();
        for (int i = 0; i < RecognizerPool.DEFAULT_IDLE + 3; i++) open.add(stt.open());
        assertThat(stt.idleRecognizers()).isZero();
        open.forEach(RecognitionStream::close);
        open.forEach(RecognitionStream::close); // closing twice gives nothing back twice
        assertThat(stt.idleRecognizers()).isEqualTo(RecognizerPool.DEFAULT_IDLE);
    }

    @Test
    void silenceGivesAnEmptyTranscript() {
        assertThat(recognise(PcmAudio.silence(16_000, 2000), null).isEmpty()).isTrue();
    }
}

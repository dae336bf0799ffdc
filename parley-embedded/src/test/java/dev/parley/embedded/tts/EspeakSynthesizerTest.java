package dev.parley.embedded.tts;

import dev.parley.audio.PcmAudio;
import dev.parley.audio.Resampler;
import dev.parley.embedded.testing.EmbeddedFixture;
import dev.parley.eval.WordErrorRate;
import dev.parley.stt.RecognitionStream;
import dev.parley.tts.SpeechSynthesizer;
import dev.parley.tts.TtsException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Debian's espeak-ng for real (.ci/run installs it). */
class EspeakSynthesizerTest {
    private static List<String> voices;

    @BeforeAll
    static void installed() {
        voices = EspeakSynthesizer.voices("espeak-ng");
        assertThat(voices).as("espeak-ng is not installed: apt install espeak-ng (.ci/run does)").isNotEmpty();
    }

    private static List<PcmAudio> speak(SpeechSynthesizer tts, String text) throws TtsException {
        List<PcmAudio> chunks = new ArrayList<>();
        tts.synthesize(text, chunks::add, () -> false);
        return chunks;
    }

    private static double rms(PcmAudio a) {
        double sum = 0;
        for (short s : a.samples()) sum += (double) s * s;
        return Math.sqrt(sum / Math.max(1, a.length()));
    }

    @Test
    void englishComesOutInChunksAndIsHeardBackAsTheText() throws Exception {
        String text = "It is ten past five in the afternoon.";
        List<PcmAudio> chunks = speak(new EspeakSynthesizer("espeak-ng", "en-us"), text);
        assertThat(chunks.size()).as("streamed, 100 ms at a time").isGreaterThan(5);
        PcmAudio audio = PcmAudio.concat(chunks);
        assertThat(audio.sampleRate()).isEqualTo(22_050);
        assertThat(audio.durationSeconds()).isBetween(1.0, 4.0);
        assertThat(rms(audio)).isGreaterThan(500);
        PcmAudio heard = Resampler.convert(audio, 16_000);
        String recognised;
        try (RecognitionStream s = EmbeddedFixture.stack().stt().open()) {
            s.accept(heard.samples(), 0, heard.length());
            recognised = s.finish().text();
        }
        assertThat(WordErrorRate.compute(text, recognised).wer()).as(recognised).isLessThanOrEqualTo(0.5);
    }

    @Test
    void otherLanguagesSpeakTooAndTheVoicesAreListed() throws Exception {
        assertThat(voices).contains("en-us", "en-gb", "de", "ru", "fr-fr", "es").doesNotHaveDuplicates();
        PcmAudio russian = PcmAudio.concat(speak(new EspeakSynthesizer("espeak-ng", "ru"), "Привет! Чем я могу помочь?"));
        assertThat(russian.durationSeconds()).isBetween(0.8, 4.0);
        assertThat(rms(russian)).isGreaterThan(500);
    }

    @Test
    void aCancelStopsThePhraseAndBadSetupsSayWhatToDo() throws Exception {
        List<PcmAudio> chunks = new ArrayList<>();
        new EspeakSynthesizer("espeak-ng", "en-us").synthesize("This is a long sentence that goes on and on for a good while, "
                + "long enough that a cancel after the first chunk cuts most of it.", chunks::add, () -> !chunks.isEmpty());
        assertThat(chunks).hasSize(1);
        assertThatThrownBy(() -> speak(new EspeakSynthesizer("espeak-ng-missing", "en-us"), "hello"))
                .isInstanceOf(TtsException.class).hasMessageContaining("apt install espeak-ng");
        assertThat(EspeakSynthesizer.voices("espeak-ng-missing")).isEmpty();
        assertThat(speak(new EspeakSynthesizer("espeak-ng", "en-us"), " \u0007 ")).isEmpty();
    }

    @Test
    void theCatalogOffersMaryTtsFirstThenEspeakAndRefusesTheUnknown() {
        SpeechSynthesizer mary = new EspeakSynthesizer("espeak-ng", "en-us"); // any synthesizer stands in for MaryTTS here
        EmbeddedVoices v = new EmbeddedVoices("cmu-slt-hsmm", mary, "espeak-ng", voices);
        assertThat(v.defaultName()).isEqualTo("cmu-slt-hsmm");
        assertThat(v.names()).contains("espeak-en-gb", "espeak-ru");
        assertThat(v.voice("cmu-slt-hsmm")).isSameAs(mary);
        assertThat(v.voice("marin")).as("OpenAI's names speak with the default").isSameAs(mary);
        assertThat(v.voice("espeak-de")).isInstanceOfSatisfying(EspeakSynthesizer.class, e -> assertThat(e.voice()).isEqualTo("de"));
        assertThat(v.voice("espeak-de")).as("made once").isSameAs(v.voice("espeak-de"));
        assertThatThrownBy(() -> v.voice("robot")).hasMessageContaining("no voice \"robot\"").hasMessageContaining("espeak-");
        assertThatThrownBy(() -> new EmbeddedVoices("cmu-slt-hsmm", mary, null, List.of()).voice("espeak-de"))
                .hasMessageContaining("install espeak-ng");
    }

    @Test
    void aLanguageMaryTtsLacksDefaultsToEspeaksVoiceOfIt() {
        SpeechSynthesizer mary = new EspeakSynthesizer("espeak-ng", "en-us");
        EmbeddedVoices ru = new EmbeddedVoices("cmu-slt-hsmm", mary, "espeak-ng", voices, "ru");
        assertThat(ru.defaultName()).isEqualTo("espeak-ru");
        assertThat(ru.names()).startsWith("espeak-ru", "cmu-slt-hsmm").doesNotHaveDuplicates();
        assertThat(ru.voice("alloy")).as("OpenAI's names: the language's voice")
                .isInstanceOfSatisfying(EspeakSynthesizer.class, e -> assertThat(e.voice()).isEqualTo("ru"));
        assertThat(ru.voice("cmu-slt-hsmm")).isSameAs(mary);
        assertThat(new EmbeddedVoices("cmu-slt-hsmm", mary, "espeak-ng", voices, "fr").defaultName()).isEqualTo("espeak-fr-fr");
        assertThat(ru.speaks("ru")).isTrue();
        assertThat(ru.speaks("tlh")).isFalse();
        EmbeddedVoices none = new EmbeddedVoices("cmu-slt-hsmm", mary, null, List.of(), "ru");
        assertThat(none.speaks("ru")).isFalse();
        assertThat(none.defaultName()).isEqualTo("cmu-slt-hsmm");
    }
}

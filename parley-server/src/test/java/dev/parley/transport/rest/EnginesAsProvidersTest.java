package dev.parley.transport.rest;

import dev.parley.audio.PcmAudio;
import dev.parley.dialog.DialogContext;
import dev.parley.dialog.TextStream;
import dev.parley.providers.http.Secret;
import dev.parley.providers.openai.OpenAiChatBrain;
import dev.parley.providers.openai.OpenAiChatConfig;
import dev.parley.providers.openai.OpenAiChatDialog;
import dev.parley.providers.openai.OpenAiCheck;
import dev.parley.providers.openai.OpenAiSpeechConfig;
import dev.parley.providers.openai.OpenAiSpeechRecognizer;
import dev.parley.providers.openai.OpenAiSpeechSynthesizer;
import dev.parley.stt.RecognitionStream;
import dev.parley.stt.Transcript;
import dev.parley.tts.TtsException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A Parley server as the OpenAI provider of another Parley: the project's own OpenAI clients pointed at its base URL
 * (with its token as their key) transcribe, speak and answer through its engines, as a front instance with
 * {@code OPENAI_BASE_URL} set to an engine instance would.
 */
class EnginesAsProvidersTest {
    private final RestFixture engines = new RestFixture("engine-token", RestLimits.DEFAULT);

    @AfterEach
    void stop() {
        engines.close();
    }

    private OpenAiSpeechConfig speech() {
        return OpenAiSpeechConfig.defaults().withBaseUrl(engines.baseUrl()).withApiKey(Secret.of("engine-token"));
    }

    private static Transcript recognise(OpenAiSpeechRecognizer stt) {
        short[] second = new short[16_000];
        for (int i = 0; i < second.length; i++) second[i] = (short) (4000 * Math.sin(i / 5.0));
        try (RecognitionStream stream = stt.open()) {
            stream.accept(second, 0, 8_000);
            stream.accept(second, 8_000, 8_000);
            return stream.finish();
        }
    }

    @Test
    void openAiSpeechRecognizerTranscribes() {
        // gpt-4o models stream the transcript as events; whisper-1 gets the JSON object
        for (String model : new String[]{OpenAiSpeechConfig.DEFAULT_STT_MODEL, "whisper-1"}) {
            try (OpenAiSpeechRecognizer stt = new OpenAiSpeechRecognizer(speech().withSttModel(model))) {
                assertThat(recognise(stt).text()).as(model).isEqualTo("what time is it");
            }
        }
        assertThat(engines.stt.samples).containsExactly(16_000L, 16_000L);
    }

    @Test
    void openAiSpeechSynthesizerSpeaks() throws TtsException {
        List<PcmAudio> heard = new ArrayList<>();
        try (OpenAiSpeechSynthesizer tts = new OpenAiSpeechSynthesizer(speech())) {
            tts.synthesize("Hello there. How are you?", heard::add, () -> false);
        }
        PcmAudio all = PcmAudio.concat(heard);
        assertThat(all.sampleRate()).isEqualTo(24_000);
        assertThat(all.length()).isEqualTo(12_000);
    }

    @Test
    void theOpenAiBrainAnswers() throws Exception {
        OpenAiChatConfig config = OpenAiChatConfig.defaults().withBaseUrl(engines.baseUrl()).withApiKey(Secret.of("engine-token"));
        StringBuilder reply = new StringBuilder();
        try (OpenAiChatBrain brain = new OpenAiChatBrain(config); OpenAiChatDialog dialog = brain.newDialog()) {
            dialog.attach(DialogContext.NONE);
            try (TextStream stream = dialog.respond(List.of(), "what time is it")) {
                for (String piece; (piece = stream.next()) != null; ) reply.append(piece);
            }
        }
        assertThat(reply).hasToString("It's six o'clock.");
        assertThat(engines.brain.turns).containsExactly("what time is it");
    }

    @Test
    void theProvidersKeyCheckPasses() {
        assertThat(OpenAiCheck.check(speech()).ok()).isTrue();
        assertThat(OpenAiCheck.check(speech().withApiKey(Secret.of("wrong"))).ok()).isFalse();
    }

    @Test
    void aWrongKeyIsReportedAsTheProvidersRefusal() {
        OpenAiSpeechConfig wrong = speech().withApiKey(Secret.of("not-the-token"));
        try (OpenAiSpeechSynthesizer tts = new OpenAiSpeechSynthesizer(wrong)) {
            assertThatThrownBy(() -> tts.synthesize("Hello.", chunk -> { }, () -> false))
                    .isInstanceOf(TtsException.class).hasMessageContaining("401").hasMessageNotContaining("not-the-token");
        }
    }
}

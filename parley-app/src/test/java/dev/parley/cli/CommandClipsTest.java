package dev.parley.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.audio.PcmAudio;
import dev.parley.audio.Resampler;
import dev.parley.audio.WavFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The spoken commands of the shared corpus through the whole loop (VAD, endpoint, Vosk, the skills assistant with
 * the real classifier, MaryTTS): each gets the right answer.
 */
class CommandClipsTest {
    private static final Path CLIPS = Path.of(System.getProperty("parley.shared", "../../shared"), "corpus", "dev", "clips");

    @TempDir
    Path tmp;

    private List<JsonNode> reply(Path clip) throws Exception {
        ReplyCommandTest.Run run = ReplyCommandTest.parley("reply", clip.toString(), "--out", tmp.resolve("out.wav").toString(),
                "--json", "--fast");
        assertThat(run.exit()).as(run.err()).isZero();
        return run.turns();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '#', value = {
            "speech2phrase__what_time_is_it.wav # It's .*(AM|PM|noon|midnight)\\.",
            "speech2phrase__whats_the_weather.wav # (?i).*weather.*",
            "speech2phrase__set_a_timer_for_3_hours_and_10_minutes.wav # (?i).*(3|three) hours? and (10|ten) minutes?.*",
            "speech2phrase__add_apples_to_my_shopping_list.wav # (?i).*apples.*shopping list.*"})
    void aSpokenCommandGetsTheRightAnswer(String clip, String expected) throws Exception {
        List<JsonNode> turns = reply(CLIPS.resolve(clip));
        assertThat(turns).hasSize(1);
        assertThat(turns.getFirst().get("reply").asText()).as(turns.getFirst().get("transcript").asText()).matches(expected);
    }

    @Test
    void aTimerSetByVoiceIsTheOneTheStatusReports() throws Exception {
        PcmAudio set = Resampler.convert(WavFile.read(CLIPS.resolve("speech2phrase__set_a_timer_for_3_hours_and_10_minutes.wav")), 16_000);
        // the corpus's "timer status" is heard by the small Vosk model as "the time status": the question is spoken by MaryTTS
        java.util.List<PcmAudio> spoken = new java.util.ArrayList<>();
        Startup.embedded("cmu-slt-hsmm").tts().synthesize("How much time is left on my timer?", spoken::add, () -> false);
        PcmAudio status = Resampler.convert(PcmAudio.concat(spoken), 16_000);
        Path both = tmp.resolve("both.wav");
        WavFile.write(both, PcmAudio.concat(List.of(set, PcmAudio.silence(16_000, 6_000), status, PcmAudio.silence(16_000, 1_000))));
        List<JsonNode> turns = reply(both);
        assertThat(turns).hasSize(2);
        // a few seconds after it was set, the timer has a little over three hours and nine minutes left
        assertThat(turns.get(1).get("reply").asText()).as(turns.toString()).matches("(?i).*(3|three) hours? and (9|nine|10|ten) minutes?.*");
    }
}

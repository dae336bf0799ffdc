package dev.parley.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.audio.PcmAudio;
import dev.parley.audio.Resampler;
import dev.parley.audio.WavFile;
import dev.parley.eval.WordErrorRate;
import dev.parley.embedded.EmbeddedStack;
import dev.parley.stt.RecognitionStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The terminal face, end to end, with the real embedded models and recordings from the shared corpus. */
class ReplyCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CLIPS = Path.of(System.getProperty("parley.shared", "../../shared"), "corpus", "dev", "clips");

    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {
        List<JsonNode> turns() throws IOException {
            List<JsonNode> t = new ArrayList<>();
            for (String line : out.strip().split("\n")) if (!line.isBlank()) t.add(JSON.readTree(line));
            return t;
        }

        /** What a user sees for an error: exactly one line, no stack trace. */
        String oneLineError() {
            assertThat(err.strip().lines().count()).as(err).isEqualTo(1);
            assertThat(err).doesNotContain("\tat ", "Exception");
            return err.strip();
        }
    }

    static Run parley(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int exit = ParleyCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    static String recognise(Path wav) throws IOException {
        return recognise(WavFile.read(wav));
    }

    /** What the embedded recogniser hears in some audio (any rate). */
    static String recognise(PcmAudio anyRate) {
        PcmAudio audio = Resampler.convert(anyRate, 16_000);
        EmbeddedStack stack = Startup.embedded("cmu-slt-hsmm");
        try (RecognitionStream s = stack.stt().open()) {
            s.accept(audio.samples(), 0, audio.length());
            return s.finish().text();
        }
    }

    @Test
    void answersASpokenCommandAndTheSpokenReplySaysTheReplyText() throws Exception {
        Path out = tmp.resolve("reply.wav");
        Run run = parley("reply", CLIPS.resolve("pocketsphinx__goforward.wav").toString(), "--out", out.toString(), "--json", "--fast");
        assertThat(run.exit()).as(run.err()).isZero();
        List<JsonNode> turns = run.turns();
        assertThat(turns).hasSize(1);
        JsonNode turn = turns.getFirst();
        assertThat(turn.get("transcript").asText()).isEqualTo("go forward ten meters");
        String replyText = turn.get("reply").asText();
        assertThat(replyText).as("not a command the assistant knows").contains("can't");
        assertThat(turn.get("interrupted").asBoolean()).isFalse();
        JsonNode w = turn.get("waterfall_ms");
        for (String k : List.of("end_to_end", "endpoint", "stt", "dialog", "tts", "out")) assertThat(w.has(k)).as(k).isTrue();
        assertThat(w.get("endpoint").asLong()).isBetween(300L, 340L);
        assertThat(w.get("end_to_end").asLong()).isGreaterThanOrEqualTo(w.get("endpoint").asLong());

        PcmAudio reply = WavFile.read(out);
        assertThat(reply.sampleRate()).isEqualTo(24_000);
        assertThat(reply.durationSeconds()).isBetween(1.0, 12.0);
        // the reply audio, heard by the recogniser, is the reply text
        assertThat(WordErrorRate.compute(replyText, recognise(out)).wer()).isLessThanOrEqualTo(0.3);
    }

    @Test
    void inRealTimeTheAssistantAnswersAQuestionAndPrintsTheWaterfall() throws Exception {
        Path out = tmp.resolve("reply.wav");
        Run run = parley("reply", CLIPS.resolve("speech2phrase__what_time_is_it.wav").toString(), "--out", out.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("you:    what time is it").containsPattern("parley: It's .*(AM|PM|noon|midnight)\\.")
                .containsPattern("⏱ end-to-end \\d+ ms \\(endpoint \\d+ · stt \\d+ · dialog \\d+ · tts \\d+ · out \\d+\\)");
        assertThat(WavFile.read(out).durationSeconds()).isGreaterThan(0.5);
    }

    @Test
    void eightKilohertzStereoIsHeard() throws Exception {
        PcmAudio clip = Resampler.convert(WavFile.read(CLIPS.resolve("pocketsphinx__goforward.wav")), 8_000);
        Path in = tmp.resolve("stereo8k.wav");
        Files.write(in, wav(clip.samples(), 8_000, 2, false));
        Run run = parley("reply", in.toString(), "--out", tmp.resolve("o.wav").toString(), "--json", "--fast");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(WordErrorRate.compute("go forward ten meters", run.turns().getFirst().get("transcript").asText()).wer())
                .isLessThanOrEqualTo(0.25);
    }

    @Test
    void floatAudioAt48KilohertzIsHeard() throws Exception {
        PcmAudio clip = Resampler.convert(WavFile.read(CLIPS.resolve("speech2phrase__what_time_is_it.wav")), 48_000);
        Path in = tmp.resolve("float48k.wav");
        Files.write(in, wav(clip.samples(), 48_000, 1, true));
        Run run = parley("reply", in.toString(), "--out", tmp.resolve("o.wav").toString(), "--json", "--fast");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.turns().getFirst().get("transcript").asText()).isEqualTo("what time is it");
    }

    @Test
    void tenMinutesOfSilenceGiveNoTurnAndAnEmptyReply() throws Exception {
        Path in = tmp.resolve("silence.wav");
        WavFile.write(in, PcmAudio.silence(16_000, 600_000));
        Path out = tmp.resolve("o.wav");
        Run run = parley("reply", in.toString(), "--out", out.toString(), "--json", "--fast");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).isBlank();
        assertThat(run.oneLineError()).contains("no speech heard");
        assertThat(WavFile.read(out).length()).isZero();
    }

    @Test
    void aFileThatIsNotAudioIsAOneLineError() throws Exception {
        Path in = tmp.resolve("notes.wav");
        Files.writeString(in, "these are not the samples you are looking for\n");
        Run run = parley("reply", in.toString(), "--out", tmp.resolve("o.wav").toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.oneLineError()).startsWith("parley: ").contains("is not a WAV file");
    }

    @Test
    void anEmptyFileIsAOneLineError() throws Exception {
        Path in = tmp.resolve("empty.wav");
        Files.write(in, new byte[0]);
        Run run = parley("reply", in.toString(), "--out", tmp.resolve("o.wav").toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.oneLineError()).contains("empty");
    }

    @Test
    void aMissingFileOrFolderIsAOneLineError() {
        Run missing = parley("reply", tmp.resolve("nope.wav").toString(), "--out", tmp.resolve("o.wav").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.oneLineError()).contains("does not exist");
        Run badOut = parley("reply", CLIPS.resolve("pocketsphinx__goforward.wav").toString(), "--out", tmp.resolve("no/such/dir/o.wav").toString());
        assertThat(badOut.exit()).isEqualTo(2);
        assertThat(badOut.oneLineError()).contains("does not exist");
    }

    @Test
    void settingsComeFromTheConfigFileAndFlagsWin() throws Exception {
        Path config = tmp.resolve("parley.yaml");
        Files.writeString(config, "endpoint-silence-ms: 600\noutput-rate: 16000\n");
        Path out = tmp.resolve("o.wav");
        Run run = parley("reply", CLIPS.resolve("pocketsphinx__goforward.wav").toString(), "--out", out.toString(),
                "--json", "--fast", "--config", config.toString(), "--output-rate", "22050");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.turns().getFirst().get("waterfall_ms").get("endpoint").asLong()).isBetween(600L, 640L);
        assertThat(WavFile.read(out).sampleRate()).isEqualTo(22_050);
    }

    @Test
    void aBrokenConfigFileIsAOneLineError() throws Exception {
        Path config = tmp.resolve("parley.yaml");
        Files.writeString(config, "endpoint-silence: 600\n");
        Run typo = parley("reply", "x.wav", "--out", "o.wav", "--config", config.toString());
        assertThat(typo.exit()).isEqualTo(2);
        assertThat(typo.oneLineError()).contains("unknown setting 'endpoint-silence'").contains("endpoint-silence-ms");
        Files.writeString(config, "endpoint-silence-ms: [1, 2\n");
        Run broken = parley("reply", "x.wav", "--out", "o.wav", "--config", config.toString());
        assertThat(broken.exit()).isEqualTo(2);
        assertThat(broken.oneLineError()).contains("cannot read config file");
        Files.writeString(config, "vad-threshold: 7\n");
        Run invalid = parley("reply", CLIPS.resolve("pocketsphinx__goforward.wav").toString(), "--out", "o.wav", "--config", config.toString());
        assertThat(invalid.exit()).isEqualTo(2);
        assertThat(invalid.oneLineError()).contains("threshold");
    }

    @Test
    void helpShowsEverySettingWithItsDefault() {
        Run help = parley("reply", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("--endpoint-silence-ms", "Default: 300", "--min-speech-ms", "--vad-threshold",
                "--pre-roll-ms", "--barge-in-ms", "--voice", "cmu-slt-hsmm", "--output-rate", "--json", "--fast");
    }

    /** A WAV of the given samples, duplicated over {@code channels}, as PCM16 or IEEE float32. */
    static byte[] wav(short[] samples, int rate, int channels, boolean asFloat) {
        int bytesPerSample = asFloat ? 4 : 2;
        int data = samples.length * channels * bytesPerSample;
        ByteBuffer b = ByteBuffer.allocate(44 + data).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + data).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) (asFloat ? 3 : 1)).putShort((short) channels).putInt(rate)
                .putInt(rate * channels * bytesPerSample).putShort((short) (channels * bytesPerSample)).putShort((short) (8 * bytesPerSample));
        b.put("data".getBytes()).putInt(data);
        for (short s : samples) {
            for (int c = 0; c < channels; c++) {
                if (asFloat) b.putFloat(s / 32768f);
                else b.putShort(s);
            }
        }
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(b.array());
        return o.toByteArray();
    }
}

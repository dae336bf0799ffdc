package dev.parley.cli;

import dev.parley.audio.PcmAudio;
import dev.parley.audio.WavFile;
import dev.parley.eval.WordErrorRate;
import dev.parley.embedded.models.ModelCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code parley talk} through Java Sound and ALSA, on a machine without a sound card: an ALSA configuration makes
 * the default device a {@code file} plugin over {@code null}, whose capture side plays a recording as the microphone
 * and whose playback side records what the speaker would have played. ALSA reads it from {@code ~/.asoundrc}, so
 * Parley runs in a child JVM with its own home folder.
 */
class TalkCommandTest {
    private static final Path CLIPS = Path.of(System.getProperty("parley.shared", "../../shared"), "corpus", "dev", "clips");

    @TempDir
    Path home;

    @Test
    void talksThroughTheMicrophoneAndSpeaker() throws Exception {
        PcmAudio question = WavFile.read(CLIPS.resolve("pocketsphinx__goforward.wav"));
        short[] padded = new short[question.length() + 16_000 * 8]; // then silence, as a quiet room
        System.arraycopy(question.samples(), 0, padded, 0, question.length());
        Files.write(home.resolve("in.raw"), new PcmAudio(padded, 16_000).toLittleEndianBytes());
        Path speaker = home.resolve("out.raw");
        Files.writeString(home.resolve(".asoundrc"), """
                pcm.!default { type asym; playback.pcm "speaker"; capture.pcm "microphone" }
                pcm.speaker { type file; slave.pcm "null"; file "%s"; format "raw" }
                pcm.microphone { type file; slave.pcm "null"; file "/dev/null"; infile "%s"; format "raw" }
                """.formatted(speaker, home.resolve("in.raw")));

        ProcessBuilder pb = parley("talk", "--output-rate", "16000");
        pb.redirectOutput(home.resolve("stdout.txt").toFile()).redirectError(home.resolve("stderr.txt").toFile());
        Process talk = pb.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (System.nanoTime() < deadline && talk.isAlive()
                    && !Files.readString(home.resolve("stdout.txt"), StandardCharsets.UTF_8).contains("⏱")) {
                Thread.sleep(100);
            }
            Thread.sleep(3000); // let the reply play out
        } finally {
            talk.destroy();
            talk.waitFor(10, TimeUnit.SECONDS);
        }
        String out = Files.readString(home.resolve("stdout.txt"));
        String err = Files.readString(home.resolve("stderr.txt")) + " [exit " + talk.exitValue() + "]";
        assertThat(out).as(err).contains("you:    go forward ten meters").containsPattern("parley: .*can't")
                .containsPattern("⏱ end-to-end \\d+ ms");
        java.util.regex.Matcher said = java.util.regex.Pattern.compile("parley: (.*)").matcher(out);
        assertThat(said.find()).isTrue();
        assertThat(err).contains("Listening (16000 Hz microphone)").doesNotContain("Exception");

        byte[] played = Files.readAllBytes(speaker);
        PcmAudio reply = PcmAudio.fromLittleEndianBytes(played, 0, played.length & ~1, 16_000);
        assertThat(reply.durationSeconds()).isGreaterThan(1.0);
        String heard = ReplyCommandTest.recognise(reply);
        // the reply the speaker played, heard by the recogniser, is the reply printed
        assertThat(WordErrorRate.compute(said.group(1), heard).wer()).as(heard).isLessThanOrEqualTo(0.3);
    }

    @Test
    void withoutASoundDeviceTheErrorIsOneLine() throws Exception {
        // the default device is a sound card that does not exist
        Files.writeString(home.resolve(".asoundrc"), "pcm.!default { type hw; card 99 }\nctl.!default { type hw; card 99 }\n");
        ProcessBuilder pb = parley("talk");
        pb.redirectErrorStream(true).redirectOutput(home.resolve("all.txt").toFile());
        Process talk = pb.start();
        boolean ended = talk.waitFor(60, TimeUnit.SECONDS);
        if (!ended) talk.destroyForcibly();
        String all = Files.readString(home.resolve("all.txt"));
        assertThat(ended).as(all).isTrue();
        assertThat(talk.exitValue()).as(all).isEqualTo(2);
        assertThat(all.strip().lines().toList()).as(all).singleElement()
                .satisfies(line -> assertThat(line).startsWith("parley: no microphone found"));
    }

    /** Parley in a child JVM whose home (so its ALSA configuration) is the test's folder, with the usual model cache. */
    private ProcessBuilder parley(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // as ./parley runs it: native code (Kaldi, ALSA) needs more stack than the JVM's 1 MB default
                "--enable-native-access=ALL-UNNAMED", "-Xss8m", "-cp", System.getProperty("java.class.path"),
                ParleyCli.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("HOME", home.toString());
        pb.environment().put("PARLEY_HOME", ModelCache.defaultRoot().getParent().toString());
        return pb;
    }
}

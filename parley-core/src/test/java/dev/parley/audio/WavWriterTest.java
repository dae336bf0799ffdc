package dev.parley.audio;

import static dev.parley.testing.Patience.CEILING_SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavWriterTest {

    @TempDir
    Path dir;

    private static int riffSize(Path p) throws IOException {
        return ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN).getInt(4);
    }

    private static int dataSize(Path p) throws IOException {
        return ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN).getInt(40);
    }

    private static short[] ramp(int n, int start) {
        short[] s = new short[n];
        for (int i = 0; i < n; i++) s[i] = (short) (start + i);
        return s;
    }

    @Test
    void aWriterThatWroteNothingLeavesAValidEmptyWav() throws IOException {
        Path p = dir.resolve("empty.wav");
        try (WavWriter w = new WavWriter(p, 16000)) {
            assertThat(w.file()).isEqualTo(p);
            assertThat(w.sampleRate()).isEqualTo(16000);
            assertThat(Files.size(p)).isEqualTo(44); // the header is there from the start
        }
        assertThat(Files.readAllBytes(p)).isEqualTo(WavFile.toWavBytes(new PcmAudio(new short[0], 16000)));
        PcmAudio back = WavFile.read(p);
        assertThat(back.isEmpty()).isTrue();
        assertThat(back.sampleRate()).isEqualTo(16000);
    }

    @Test
    void chunksAreConcatenatedAndSizesPatchedOnClose() throws IOException {
        Path p = dir.resolve("chunks.wav");
        try (WavWriter w = new WavWriter(p, 24000)) {
            w.write(new PcmAudio(ramp(480, 0), 24000));
            w.write(new PcmAudio(new short[0], 24000));
            w.write(new PcmAudio(ramp(100_000, 480), 24000)); // more than the internal buffer
            w.write(ramp(10, 0), 3, 5);
            assertThat(w.samplesWritten()).isEqualTo(100_485);
        }
        short[] expected = new short[100_485];
        System.arraycopy(ramp(100_480, 0), 0, expected, 0, 100_480);
        System.arraycopy(ramp(5, 3), 0, expected, 100_480, 5);
        assertThat(WavFile.read(p)).isEqualTo(new PcmAudio(expected, 24000));
        assertThat(Files.readAllBytes(p)).isEqualTo(WavFile.toWavBytes(new PcmAudio(expected, 24000)));
        assertThat(dataSize(p)).isEqualTo(2 * 100_485);
        assertThat(riffSize(p)).isEqualTo(36 + 2 * 100_485);
    }

    @Test
    void aChunkAtAnotherRateIsRefused() throws IOException {
        try (WavWriter w = new WavWriter(dir.resolve("rate.wav"), 16000)) {
            assertThatThrownBy(() -> w.write(PcmAudio.silence(8000, 10)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("8000 Hz");
            assertThat(w.samplesWritten()).isZero();
        }
        assertThatThrownBy(() -> new WavWriter(dir.resolve("bad.wav"), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closingTwiceIsHarmlessButWritingAfterCloseIsNot() throws IOException {
        Path p = dir.resolve("closed.wav");
        WavWriter w = new WavWriter(p, 16000);
        w.write(PcmAudio.silence(16000, 10));
        w.close();
        w.close();
        assertThatThrownBy(() -> w.write(PcmAudio.silence(16000, 10))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(w::flush).isInstanceOf(IllegalStateException.class);
        assertThat(WavFile.read(p).length()).isEqualTo(160);
    }

    @Test
    void flushMakesTheFileCompleteWhileStillOpen() throws IOException {
        Path p = dir.resolve("live.wav");
        try (WavWriter w = new WavWriter(p, 16000)) {
            w.write(new PcmAudio(ramp(1000, -500), 16000));
            w.flush();
            assertThat(dataSize(p)).isEqualTo(2000);
            assertThat(WavFile.read(p)).isEqualTo(new PcmAudio(ramp(1000, -500), 16000));
            w.write(new PcmAudio(ramp(10, 0), 16000));
        }
        assertThat(WavFile.read(p).length()).isEqualTo(1010);
    }

    @Test
    void anUnpatchedFileIsStillReadable() throws IOException {
        // as if the process died before close(): the header still declares 0 data bytes, meaning "to the end"
        Path p = dir.resolve("crashed.wav");
        WavWriter w = new WavWriter(p, 16000);
        w.write(new PcmAudio(ramp(60_000, 0), 16000)); // beyond the 64 KiB buffer, so some of it is on disk
        PcmAudio partial = WavFile.read(p);
        assertThat(dataSize(p)).isZero();
        assertThat(partial.length()).isPositive().isLessThanOrEqualTo(60_000);
        assertThat(partial.samples()).isEqualTo(ramp(partial.length(), 0));
        w.close();
        assertThat(WavFile.read(p).length()).isEqualTo(60_000);
    }

    @Test
    void anExistingFileIsReplaced() throws IOException {
        Path p = dir.resolve("old.wav");
        Files.write(p, new byte[10_000]);
        try (WavWriter w = new WavWriter(p, 8000)) {
            w.write(new PcmAudio(new short[] {1, 2, 3}, 8000));
        }
        assertThat(Files.size(p)).isEqualTo(50);
        assertThat(WavFile.read(p).samples()).containsExactly(1, 2, 3);
    }

    @Test
    void anotherThreadMayCloseWhileAudioIsBeingWritten() throws Exception {
        Path p = dir.resolve("threads.wav");
        WavWriter w = new WavWriter(p, 16000);
        CountDownLatch started = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Long> writer = pool.submit(() -> {
                long chunks = 0;
                try {
                    while (true) {
                        w.write(new PcmAudio(ramp(320, (int) (chunks % 50) * 320 - 8000), 16000));
                        chunks++;
                        if (chunks == 20) started.countDown();
                    }
                } catch (IllegalStateException closed) {
                    return chunks;
                }
            });
            assertThat(started.await(CEILING_SECONDS, TimeUnit.SECONDS)).isTrue();
            w.close();
            long chunks = writer.get(CEILING_SECONDS, TimeUnit.SECONDS);
            PcmAudio back = WavFile.read(p);
            // every chunk is either wholly in the file or not at all, and the header matches the content
            assertThat((long) back.length()).isEqualTo(chunks * 320).isEqualTo(w.samplesWritten());
            assertThat(dataSize(p)).isEqualTo(2 * back.length());
            for (int c = 0; c < chunks; c++) {
                assertThat(back.samples()[c * 320]).isEqualTo((short) ((c % 50) * 320 - 8000));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void tenMinutesStreamedInTwentyMillisecondChunks() throws IOException {
        Path p = dir.resolve("long.wav");
        short[] chunk = new short[320];
        try (WavWriter w = new WavWriter(p, 16000)) {
            for (int i = 0; i < 30_000; i++) w.write(chunk, 0, chunk.length);
        }
        assertThat(Files.size(p)).isEqualTo(44 + 2L * 9_600_000);
        assertThat(WavFile.read(p).durationSeconds()).isEqualTo(600.0);
    }
}

package dev.parley.embedded.tts;

import dev.parley.audio.PcmAudio;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PcmChunksTest {

    /** Samples 0, 1, 2 … as little-endian PCM16, handed out at most {@code step} bytes per read. */
    private static final class Trickle extends InputStream {
        private final InputStream in;
        private final int step;
        int read;

        Trickle(int samples, int step) {
            byte[] b = new byte[samples * 2];
            for (int i = 0; i < samples; i++) {
                b[2 * i] = (byte) i;
                b[2 * i + 1] = (byte) (i >> 8);
            }
            in = new ByteArrayInputStream(b);
            this.step = step;
        }

        @Override
        public int read() throws IOException {
            int c = in.read();
            if (c >= 0) read++;
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, Math.min(len, step));
            if (n > 0) read += n;
            return n;
        }
    }

    @Test
    void eachChunkGoesOnAsSoonAsItIsCompleteWithoutReadingAhead() throws IOException {
        Trickle in = new Trickle(1000, 7);
        List<PcmAudio> chunks = new ArrayList<>();
        List<Integer> readAtDelivery = new ArrayList<>();
        long n = new PcmChunks(300, 16_000).stream(in, c -> {
            chunks.add(c);
            readAtDelivery.add(in.read);
        }, () -> false);
        assertThat(n).isEqualTo(1000);
        assertThat(chunks).extracting(PcmAudio::length).containsExactly(300, 300, 300, 100);
        assertThat(readAtDelivery).containsExactly(600, 1200, 1800, 2000);
        short[] all = PcmAudio.concat(chunks).samples();
        for (int i = 0; i < all.length; i++) assertThat(all[i]).isEqualTo((short) i);
        assertThat(chunks).allSatisfy(c -> assertThat(c.sampleRate()).isEqualTo(16_000));
    }

    @Test
    void afterCancellationTheRestIsReadButDropped() throws IOException {
        Trickle in = new Trickle(1000, 64);
        AtomicInteger delivered = new AtomicInteger();
        long n = new PcmChunks(100, 16_000).stream(in, c -> delivered.incrementAndGet(), () -> delivered.get() >= 2);
        assertThat(n).isEqualTo(200);
        assertThat(delivered.get()).isEqualTo(2);
        assertThat(in.read).isEqualTo(2000); // read to the end: a producer blocked on a full queue is released
    }

    @Test
    void aFailingConsumerStillLetsTheStreamBeReadToItsEnd() {
        Trickle in = new Trickle(1000, 64);
        assertThatThrownBy(() -> new PcmChunks(100, 16_000).stream(in, c -> {
            throw new IllegalStateException("sink gone");
        }, () -> false)).hasMessage("sink gone");
        assertThat(in.read).isEqualTo(2000);
    }

    @Test
    void anOddTrailingByteIsDropped() throws IOException {
        InputStream in = new ByteArrayInputStream(new byte[] {1, 0, 2, 0, 3});
        List<PcmAudio> chunks = new ArrayList<>();
        new PcmChunks(4, 16_000).stream(in, chunks::add, () -> false);
        assertThat(PcmAudio.concat(chunks).samples()).containsExactly((short) 1, (short) 2);
    }
}

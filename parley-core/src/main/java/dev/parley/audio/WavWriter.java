package dev.parley.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Streams mono PCM16 audio into a WAV file.
 *
 * <p>The constructor writes a canonical 44-byte header right away, so the file is a valid (empty) WAV even if
 * nothing is ever written; {@link #flush()} and {@link #close()} patch the RIFF and data sizes. Until then the
 * header says 0 bytes, which WAV readers (including {@link WavFile}) take as "read to the end of the file", so even
 * a file left behind by a crash is readable. Should the data outgrow RIFF's 32-bit sizes (≈ 37 hours at 16 kHz),
 * the sizes are written as 0xFFFFFFFF, which means the same.
 *
 * <p>All methods are synchronized: an audio thread may write while another thread closes. Closing twice is
 * harmless; writing after close throws {@link IllegalStateException}.
 */
public final class WavWriter implements AutoCloseable {

    private static final int BUFFER_BYTES = 64 * 1024;

    private final Path file;
    private final int sampleRate;
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private long samplesWritten;
    private boolean closed;

    /** Creates (or truncates) {@code file} and writes the header of an empty PCM16 mono WAV at {@code sampleRate}. */
    public WavWriter(Path file, int sampleRate) throws IOException {
        if (sampleRate <= 0) throw new IllegalArgumentException("sample rate must be positive: " + sampleRate);
        this.file = Objects.requireNonNull(file, "file");
        this.sampleRate = sampleRate;
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        try {
            writeHeader(0);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    public Path file() {
        return file;
    }

    public int sampleRate() {
        return sampleRate;
    }

    /** Number of samples written so far. */
    public synchronized long samplesWritten() {
        return samplesWritten;
    }

    /**
     * Appends a chunk of audio.
     *
     * @throws IllegalArgumentException if the chunk's rate differs from the file's
     * @throws IllegalStateException    if the writer is closed
     */
    public synchronized void write(PcmAudio chunk) throws IOException {
        if (chunk.sampleRate() != sampleRate) {
            throw new IllegalArgumentException(
                    "cannot write " + chunk.sampleRate() + " Hz audio into " + file + ", which is " + sampleRate + " Hz");
        }
        write(chunk.samples(), 0, chunk.length());
    }

    /** Appends {@code length} samples of {@code samples} from {@code offset}, at the file's rate. */
    public synchronized void write(short[] samples, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, samples.length);
        ensureOpen();
        for (int i = 0; i < length; i++) {
            if (buffer.remaining() < 2) drain();
            buffer.putShort(samples[offset + i]);
        }
        samplesWritten += length;
    }

    /** Writes buffered samples to the file and updates the header, so the file is complete as it stands. */
    public synchronized void flush() throws IOException {
        ensureOpen();
        drain();
        writeHeader(2 * samplesWritten);
    }

    /** Writes what is buffered, patches the header sizes and closes the file. Idempotent. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) return;
        closed = true;
        try (channel) {
            drain();
            writeHeader(2 * samplesWritten);
        }
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException(file + " is already closed");
    }

    private void drain() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) channel.write(buffer);
        buffer.clear();
    }

    private void writeHeader(long dataBytes) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(WavFile.header(sampleRate, dataBytes));
        long pos = 0;
        while (bb.hasRemaining()) pos += channel.write(bb, pos);
        if (channel.position() < WavFile.HEADER_BYTES) channel.position(WavFile.HEADER_BYTES);
    }
}

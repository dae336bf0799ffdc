package dev.parley.recording;

import dev.parley.audio.AudioSink;
import dev.parley.audio.PcmAudio;
import dev.parley.audio.WavWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Writes reply audio straight into a WAV file, as fast as it comes (wrap it in a {@link PacedSink} to play it). */
public final class WavFileSink implements AudioSink {
    private final WavWriter writer;
    private final int rate;
    private long samples;

    public WavFileSink(Path file, int rate) throws IOException {
        this.writer = new WavWriter(file, rate);
        this.rate = rate;
    }

    @Override
    public int sampleRate() {
        return rate;
    }

    @Override
    public void write(PcmAudio chunk) {
        try {
            writer.write(chunk);
            synchronized (this) {
                samples += chunk.length();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the reply audio: " + e.getMessage(), e);
        }
    }

    public synchronized long samplesWritten() {
        return samples;
    }

    @Override
    public void interrupt() {
    }

    @Override
    public void drain() {
    }

    @Override
    public void close() {
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not finish the reply audio file: " + e.getMessage(), e);
        }
    }
}

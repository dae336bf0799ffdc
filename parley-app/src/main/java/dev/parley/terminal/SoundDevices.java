package dev.parley.terminal;

import dev.parley.audio.AudioSink;
import dev.parley.audio.PcmAudio;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.SourceDataLine;
import javax.sound.sampled.TargetDataLine;

/** The machine's microphone and speaker, through javax.sound.sampled. */
public final class SoundDevices {
    private SoundDevices() {
    }

    /** Thrown when there is no usable device; the message says what to do. */
    public static final class NoDeviceException extends Exception {
        public NoDeviceException(String message) {
            super(message);
        }
    }

    private static AudioFormat pcm16(int rate) {
        return new AudioFormat(rate, 16, 1, true, false);
    }

    /** Opens the default microphone, trying 16 kHz first and then common device rates. */
    public static Microphone openMicrophone(int bufferMs) throws NoDeviceException {
        LineUnavailableException last = null;
        for (int rate : new int[]{16_000, 48_000, 44_100, 32_000, 22_050, 8_000}) {
            DataLine.Info info = new DataLine.Info(TargetDataLine.class, pcm16(rate));
            if (!AudioSystem.isLineSupported(info)) continue;
            try {
                TargetDataLine line = (TargetDataLine) AudioSystem.getLine(info);
                line.open(pcm16(rate), rate * 2 * bufferMs / 1000);
                line.start();
                return new Microphone(line, rate);
            } catch (LineUnavailableException | IllegalArgumentException | SecurityException e) {
                last = e instanceof LineUnavailableException l ? l : last;
            }
        }
        throw new NoDeviceException("no microphone found: Java Sound sees no audio capture device"
                + (last == null ? "" : " (" + last.getMessage() + ")")
                + ". Check that a sound card or USB microphone is connected and that ALSA (or PulseAudio/PipeWire's ALSA plugin) is set up;"
                + " or use 'parley reply IN.wav --out OUT.wav' to talk through files.");
    }

    /** Opens the default speaker at the given rate. */
    public static Speaker openSpeaker(int rate, int bufferMs) throws NoDeviceException {
        DataLine.Info info = new DataLine.Info(SourceDataLine.class, pcm16(rate));
        try {
            if (!AudioSystem.isLineSupported(info)) throw new LineUnavailableException("no line for " + pcm16(rate));
            SourceDataLine line = (SourceDataLine) AudioSystem.getLine(info);
            line.open(pcm16(rate), rate * 2 * bufferMs / 1000);
            line.start();
            return new Speaker(line, rate);
        } catch (LineUnavailableException | IllegalArgumentException | SecurityException e) {
            throw new NoDeviceException("no speaker found: Java Sound cannot open an audio output at " + rate + " Hz (" + e.getMessage()
                    + "). Check the sound card or ALSA set-up, or use 'parley reply IN.wav --out OUT.wav'.");
        }
    }

    /** A capture line; {@link #read(int)} blocks for the next chunk. */
    public record Microphone(TargetDataLine line, int sampleRate) implements AutoCloseable {
        public PcmAudio read(int millis) {
            byte[] buf = new byte[sampleRate * millis / 1000 * 2];
            int n = line.read(buf, 0, buf.length);
            return PcmAudio.fromLittleEndianBytes(buf, 0, n & ~1, sampleRate);
        }

        @Override
        public void close() {
            line.stop();
            line.close();
        }
    }

    /** A playback line as an {@link AudioSink}: interrupt flushes what the device has not played yet. */
    public record Speaker(SourceDataLine line, int sampleRate) implements AudioSink {
        @Override
        public void write(PcmAudio chunk) {
            byte[] b = chunk.toLittleEndianBytes();
            line.write(b, 0, b.length);
        }

        @Override
        public void interrupt() {
            line.flush();
        }

        @Override
        public void drain() {
            line.drain();
        }

        @Override
        public void close() {
            line.flush();
            line.close();
        }
    }
}

package dev.parley.jmh;

import dev.parley.audio.PcmAudio;
import dev.parley.audio.WavFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Audio for the benchmarks: a real speech clip of the shared corpus ({@code -Dparley.corpus}, default
 * {@code /work/shared/corpus/dev}), so resampling, VAD and endpointing see real speech and real pauses; where the
 * corpus is absent, a synthesized stand-in (voiced harmonics at a syllable rate between quiet noise), which is
 * said on stderr because its figures are less telling.
 */
final class BenchAudio {
    /** "go forward ten meters": 2.8 s at 16 kHz, 0.49 s of silence before the speech and 0.39 s after it. */
    static final String CLIP = "clips/pocketsphinx__goforward.wav";

    private BenchAudio() {
    }

    /** The benchmark clip at its own rate (16 kHz). */
    static PcmAudio speech() {
        Path corpus = Path.of(System.getProperty("parley.corpus", "/work/shared/corpus/dev"));
        Path clip = corpus.resolve(CLIP);
        if (Files.isRegularFile(clip)) {
            try {
                return WavFile.read(clip);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the benchmark clip " + clip + ": " + e.getMessage(), e);
            }
        }
        System.err.println("bench: " + clip + " is absent; using synthesized speech-like audio instead");
        return synthesized();
    }

    /** 0.5 s of quiet noise, 2 s of a 120 Hz voice with 8 harmonics pulsing at 4 syllables a second, 0.5 s of noise. */
    static PcmAudio synthesized() {
        int rate = 16_000;
        short[] s = new short[rate * 3];
        Random noise = new Random(42);
        for (int i = 0; i < s.length; i++) {
            double t = (double) i / rate;
            double v = noise.nextGaussian() * 30;
            if (t >= 0.5 && t < 2.5) {
                double syllable = Math.max(0, Math.sin(2 * Math.PI * 4 * (t - 0.5)));
                double voice = 0;
                for (int h = 1; h <= 8; h++) voice += Math.sin(2 * Math.PI * 120 * h * t) / h;
                v += 6000 * syllable * voice;
            }
            s[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(v)));
        }
        return new PcmAudio(s, rate);
    }

    /** {@code audio} cut into consecutive pieces of {@code millis} (the last, partial piece dropped). */
    static PcmAudio[] chunks(PcmAudio audio, int millis) {
        int n = audio.sampleRate() * millis / 1000;
        PcmAudio[] out = new PcmAudio[audio.length() / n];
        for (int i = 0; i < out.length; i++) out[i] = audio.slice(i * n, (i + 1) * n);
        return out;
    }
}

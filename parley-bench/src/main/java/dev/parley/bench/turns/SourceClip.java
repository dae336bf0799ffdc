package dev.parley.bench.turns;

import dev.parley.audio.PcmAudio;
import dev.parley.audio.Resampler;
import dev.parley.audio.WavFile;
import dev.parley.eval.CorpusManifest;

import java.io.IOException;

/**
 * A corpus recording as the benchmark builds with it: read from the corpus by path (never copied), at the pipeline's
 * 16 kHz so that every splice and position is in one unit, with its room's background at hand.
 */
record SourceClip(CorpusManifest.Clip meta, PcmAudio audio, RoomTone room) {

    static SourceClip read(CorpusManifest.Clip meta) throws IOException {
        PcmAudio audio = Resampler.convert(WavFile.read(meta.file()), SessionDriver.RATE);
        int rate = SessionDriver.RATE;
        return new SourceClip(meta, audio, RoomTone.of(audio, (int) (meta.speechStartS() * rate), (int) (meta.speechEndS() * rate)));
    }

    String name() {
        return meta.name().replaceFirst("\\.wav$", "");
    }

    String reference() {
        return meta.transcript();
    }

    int words() {
        return dev.parley.eval.WordErrorRate.normalize(meta.transcript()).size();
    }

    /** A sample position of a time in the recording, within its bounds. */
    int sample(double seconds) {
        return (int) Math.max(0, Math.min(audio.length(), Math.round(seconds * SessionDriver.RATE)));
    }

    /** The speech with {@code padS} of the recording on either side (less where the recording is shorter). */
    PcmAudio speech(double padS) {
        return audio.slice(sample(meta.speechStartS() - padS), sample(meta.speechEndS() + padS));
    }

    /** How much of the recording {@link #speech(double)} keeps before the speech starts, in ms. */
    double leadMs(double padS) {
        return (meta.speechStartS() - sample(meta.speechStartS() - padS) / (double) SessionDriver.RATE) * 1000;
    }

    /** The speech's level (RMS), to give a synthetic voice the speaker's loudness. */
    double speechRms() {
        short[] s = audio.samples();
        int from = sample(meta.speechStartS()), to = Math.max(from + 1, sample(meta.speechEndS()));
        double sum = 0;
        for (int i = from; i < Math.min(to, s.length); i++) sum += (double) s[i] * s[i];
        return Math.sqrt(sum / Math.max(1, Math.min(to, s.length) - from));
    }
}

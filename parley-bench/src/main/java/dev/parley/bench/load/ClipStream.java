package dev.parley.bench.load;

import dev.parley.audio.PcmAudio;
import dev.parley.audio.Resampler;
import dev.parley.audio.WavFile;
import dev.parley.eval.CorpusManifest;

import java.io.IOException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * A corpus clip as a browser microphone sends it: 24 kHz mono PCM16 in {@code input_audio_buffer.append} events of
 * 20 ms, padded with silence to whole chunks. The events are built once and shared by every caller, so the load
 * generator spends its CPU on sending, not on base64.
 */
public record ClipStream(CorpusManifest.Clip clip, List<String> appends) {
    /** The rate a browser client sends. */
    public static final int RATE = 24_000;
    public static final int CHUNK_MS = 20;
    static final int CHUNK = RATE * CHUNK_MS / 1000;
    /** 20 ms of silence, sent between clips while the caller listens. */
    public static final String SILENCE = append(new short[CHUNK], 0, CHUNK);

    public ClipStream {
        appends = List.copyOf(appends);
        if (appends.isEmpty()) throw new IllegalArgumentException(clip.name() + " has no audio");
    }

    /** Reads a clip's WAV file and cuts it into appends. */
    public static ClipStream of(CorpusManifest.Clip clip) throws IOException {
        PcmAudio audio = WavFile.read(clip.file());
        PcmAudio at24 = audio.sampleRate() == RATE ? audio : Resampler.convert(audio, RATE);
        short[] s = at24.samples();
        int chunks = (s.length + CHUNK - 1) / CHUNK;
        if (chunks == 0) throw new IOException(clip.name() + " has no audio");
        short[] padded = Arrays.copyOf(s, chunks * CHUNK);
        String[] appends = new String[chunks];
        for (int i = 0; i < chunks; i++) appends[i] = append(padded, i * CHUNK, CHUNK);
        return new ClipStream(clip, List.of(appends));
    }

    /** The clip's length on the stream, in whole chunks. */
    public int chunks() {
        return appends.size();
    }

    static String append(short[] samples, int from, int length) {
        byte[] b = new byte[length * 2];
        for (int i = 0; i < length; i++) {
            b[2 * i] = (byte) samples[from + i];
            b[2 * i + 1] = (byte) (samples[from + i] >> 8);
        }
        return "{\"type\":\"input_audio_buffer.append\",\"audio\":\"" + Base64.getEncoder().encodeToString(b) + "\"}";
    }
}

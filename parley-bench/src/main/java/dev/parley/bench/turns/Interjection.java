package dev.parley.bench.turns;

import dev.parley.audio.PcmAudio;
import dev.parley.audio.Resampler;
import dev.parley.tts.SpeechSynthesizer;
import dev.parley.tts.TtsException;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Something the user says or does while Parley is talking. A backchannel ("yeah", "mm-hmm") or a cough must not stop
 * the reply; a real request must. The corpus has no recorded backchannels, so they are spoken by the embedded MaryTTS
 * voice, and coughs are made of seeded filtered noise; both are brought to the level of the speaker they follow.
 *
 * @param kind     what it is ("yeah", "cough#1", or the request clip's name)
 * @param audio    at 16 kHz, without the room (see {@link #inRoom(RoomTone)})
 * @param request  a real request, which should stop the reply
 * @param synthetic made here rather than recorded (said in the report)
 */
record Interjection(String kind, PcmAudio audio, boolean request, boolean synthetic) {
    /**
     * The backchannels tried, and the text MaryTTS is given for each. "mm-hmm" is written "mhm": given "mm hmm",
     * MaryTTS spells it out for 1.9 s (Vosk hears "i'm an h m m"), which no listener says; "mhm" comes out a hum.
     */
    static final List<List<String>> BACKCHANNELS = List.of(List.of("yeah", "yeah"), List.of("okay", "okay"),
            List.of("mm-hmm", "mhm"), List.of("right", "right"), List.of("uh-huh", "uh huh"));

    /** A backchannel spoken by {@code tts}, at the loudness {@code rms}. */
    static Interjection spoken(SpeechSynthesizer tts, String kind, String text, double rms) throws TtsException {
        List<PcmAudio> pieces = new ArrayList<>();
        tts.synthesize(text, pieces::add, () -> false);
        PcmAudio audio = Resampler.convert(PcmAudio.concat(pieces), SessionDriver.RATE);
        return new Interjection(kind, atLevel(audio, rms), false, true);
    }

    /**
     * A cough-like burst: 150–300 ms of seeded white noise, band-limited to roughly 300–3000 Hz by two one-pole filters,
     * under a sharp attack and an exponential decay.
     */
    static Interjection cough(long seed, double rms) {
        Random random = new Random(seed);
        int n = SessionDriver.RATE * (150 + random.nextInt(151)) / 1000, attack = SessionDriver.RATE / 100;
        double low = 0, lowAlpha = 1 - Math.exp(-2 * Math.PI * 3000.0 / SessionDriver.RATE);
        double high = 0, previous = 0, highAlpha = Math.exp(-2 * Math.PI * 300.0 / SessionDriver.RATE);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            low += lowAlpha * (random.nextGaussian() - low);
            high = highAlpha * (high + low - previous);
            previous = low;
            double envelope = i < attack ? (double) i / attack : Math.exp(-4.0 * (i - attack) / (n - attack));
            x[i] = high * envelope;
        }
        short[] s = new short[n];
        double peak = 1e-9;
        for (double v : x) peak = Math.max(peak, Math.abs(v));
        for (int i = 0; i < n; i++) s[i] = (short) Math.round(x[i] / peak * 16000);
        return new Interjection("cough#" + seed, atLevel(new PcmAudio(s, SessionDriver.RATE), rms), false, true);
    }

    /** A real request, recorded: the clip's speech as it is. */
    static Interjection request(SourceClip clip) {
        return new Interjection(clip.name(), clip.speech(0.1), true, false);
    }

    /** As the microphone hears it: synthetic sounds get the room under them, recordings have their own. */
    PcmAudio inRoom(RoomTone room) {
        return synthetic ? room.under(audio) : audio;
    }

    /** {@code audio} scaled so that its RMS is {@code rms}, clipped at full scale. */
    static PcmAudio atLevel(PcmAudio audio, double rms) {
        short[] s = audio.samples();
        double sum = 0;
        for (short v : s) sum += (double) v * v;
        double gain = sum == 0 ? 1 : rms / Math.sqrt(sum / s.length);
        short[] out = new short[s.length];
        for (int i = 0; i < s.length; i++) out[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(s[i] * gain)));
        return new PcmAudio(out, audio.sampleRate());
    }
}

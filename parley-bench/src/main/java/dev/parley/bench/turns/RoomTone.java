package dev.parley.bench.turns;

import dev.parley.audio.PcmAudio;

/**
 * The background of a recording, to fill pauses made inside it. Digital silence is something no microphone records:
 * a VAD that hears zeros hears an unplugged line, not a person pausing, and would end a turn sooner than in a real
 * room. So pauses are filled with the clip's own quietest stretch, played forwards and backwards in turn (a ping-pong
 * loop has no jump where it wraps, so it adds no clicks for the VAD to hear).
 */
public final class RoomTone {
    /** The stretch looked for: long enough to carry the room's sound, short enough to fit between words. */
    static final int WINDOW_MS = 100;
    private static final int STEP_MS = 10;
    static final int MARGIN_MS = 50, MIN_WINDOW_MS = 20;

    private final short[] loop;
    private final int rate;

    private RoomTone(short[] loop, int rate) {
        this.loop = loop;
        this.rate = rate;
    }

    /** The quietest {@value #WINDOW_MS} ms of {@code clip} that is not digital zero (zeros if there is nothing else). */
    public static RoomTone of(PcmAudio clip) {
        if (clip.isEmpty()) throw new IllegalArgumentException("an empty clip has no background");
        return quietest(clip, 0, clip.length(), Math.min(clip.length(), clip.sampleRate() * WINDOW_MS / 1000));
    }

    /**
     * The quietest stretch of {@code clip} outside its speech ({@code speechFrom} to {@code speechTo}, samples) and
     * {@value #MARGIN_MS} ms away from it: the quietest window anywhere may hold the onset of a word, and a loop of
     * that sounds like speech to a VAD. Shorter than {@value #WINDOW_MS} ms where the clip leaves no more room (at
     * least {@value #MIN_WINDOW_MS} ms); the whole clip is searched when not even that is left.
     */
    public static RoomTone of(PcmAudio clip, int speechFrom, int speechTo) {
        if (clip.isEmpty()) throw new IllegalArgumentException("an empty clip has no background");
        int margin = clip.sampleRate() * MARGIN_MS / 1000;
        int beforeEnd = Math.max(0, speechFrom - margin), afterStart = Math.min(clip.length(), speechTo + margin);
        int room = Math.max(beforeEnd, clip.length() - afterStart);
        int window = Math.min(room, clip.sampleRate() * WINDOW_MS / 1000);
        if (window < clip.sampleRate() * MIN_WINDOW_MS / 1000) return of(clip);
        RoomTone before = beforeEnd >= window ? quietest(clip, 0, beforeEnd, window) : null;
        RoomTone after = clip.length() - afterStart >= window ? quietest(clip, afterStart, clip.length(), window) : null;
        if (before == null || after == null) return before == null ? after : before;
        return before.energy() <= after.energy() ? before : after;
    }

    /** The quietest non-zero window of {@code window} samples between {@code from} and {@code to}. */
    private static RoomTone quietest(PcmAudio clip, int from, int to, int window) {
        int step = Math.max(1, clip.sampleRate() * STEP_MS / 1000);
        short[] s = clip.samples();
        int best = from;
        double bestEnergy = Double.MAX_VALUE;
        for (int at = from; at + window <= to; at += step) {
            double energy = 0;
            for (int i = at; i < at + window; i++) energy += (double) s[i] * s[i];
            if (energy > 0 && energy < bestEnergy) {
                bestEnergy = energy;
                best = at;
            }
        }
        return new RoomTone(java.util.Arrays.copyOfRange(s, best, best + window), clip.sampleRate());
    }

    /** Mean power of the loop. */
    private double energy() {
        double sum = 0;
        for (short v : loop) sum += (double) v * v;
        return sum / loop.length;
    }

    public int sampleRate() {
        return rate;
    }

    /** {@code samples} of background, starting at the beginning of the loop. */
    public short[] fill(int samples) {
        short[] out = new short[samples];
        int n = loop.length;
        for (int i = 0; i < samples; i++) {
            int k = i % (2 * n);
            out[i] = loop[k < n ? k : 2 * n - 1 - k];
        }
        return out;
    }

    /** {@code millis} of background. */
    public PcmAudio pause(long millis) {
        return new PcmAudio(fill((int) (rate * millis / 1000)), rate);
    }

    /** {@code sound} as it would be heard in this room: the background added under it. */
    public PcmAudio under(PcmAudio sound) {
        if (sound.sampleRate() != rate) throw new IllegalArgumentException("room tone is " + rate + " Hz, sound " + sound.sampleRate());
        short[] bed = fill(sound.length()), s = sound.samples();
        for (int i = 0; i < bed.length; i++) bed[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, bed[i] + s[i]));
        return new PcmAudio(bed, rate);
    }
}

package dev.parley.turn;

/**
 * Decides where a user's utterance starts and where their turn ends, from frame-level speech probabilities.
 *
 * <p>Time is audio time, counted in samples at the pipeline rate, so the endpointer has no clock and behaves the same
 * whether audio arrives in real time or as fast as it can be read. Speech starts when frames above
 * {@code threshold} add up to {@code minSpeechMs} (a click or a cough shorter than that is ignored); once speaking,
 * a frame counts as speech down to a lower threshold (hysteresis, as Silero's own segmenter does), and the turn ends
 * when {@code endSilenceMs} of non-speech follow the end of speech. The end of speech reported is where the speech
 * stopped, not the moment silence was confirmed.
 *
 * <p>Where the speech stopped: a VAD keeps scoring the breath and room tail after the last word as speech, typically
 * for 60 ms and up to 300 ms on read speech (Silero v5 on the shared corpus). When frame levels are given, the end
 * is refined to the last frame within {@link #TAIL_DB} of the utterance's loudest frame, and the endpoint silence is
 * counted from there; the VAD must still have heard non-speech for half the endpoint silence, so a soft consonant
 * inside speech does not end a turn. Without levels (NaN), the VAD's own end is used.
 *
 * <p>Words as well as silence: once a pause has lasted the endpoint silence, the endpointer asks its {@link Patience}
 * (once per pause) how much longer it may go on before the turn ends. A session answers from the words heard so far
 * ({@link TurnCompletion}): nothing more for "what time is it", up to the longest pause for "set a timer for". Speech
 * that resumes within that time continues the same utterance.
 */
public final class Endpointer {

    /** Settings, in milliseconds of audio. */
    public record Config(float threshold, int minSpeechMs, int endSilenceMs, int maxSpeechMs) {
        public static final Config DEFAULT = new Config(0.5f, 160, 300, 30_000);

        public Config {
            if (threshold <= 0 || threshold >= 1) throw new IllegalArgumentException("VAD threshold must be in (0, 1): " + threshold);
            if (minSpeechMs < 0) throw new IllegalArgumentException("minimum speech must be >= 0 ms: " + minSpeechMs);
            if (endSilenceMs <= 0) throw new IllegalArgumentException("endpoint silence must be > 0 ms: " + endSilenceMs);
            if (maxSpeechMs <= minSpeechMs) throw new IllegalArgumentException("maximum speech must exceed minimum speech");
        }

        /** The threshold below which a frame counts as silence once speech has started. */
        public float releaseThreshold() {
            return Math.max(0.01f, threshold - 0.15f);
        }
    }

    /** What a frame changed. */
    public sealed interface Event {
        /** Speech was confirmed; it began at {@code startSample}. */
        record SpeechStarted(long startSample) implements Event {}

        /**
         * The turn ended: speech ran from {@code startSample} to {@code endSample}; the decision was taken once the
         * frame ending at {@code decidedSample} had been heard. {@code forced} when the utterance hit the maximum length.
         */
        record SpeechEnded(long startSample, long endSample, long decidedSample, boolean forced) implements Event {}
    }

    /** How much longer a pause that has lasted the endpoint silence may go on before the turn ends. */
    @FunctionalInterface
    public interface Patience {
        /** Asked once per pause, when it reaches the endpoint silence: extra milliseconds (0: end the turn now). */
        int extraMs();

        Patience NONE = () -> 0;
    }

    /** How far below the utterance's peak level a frame still counts as the speech itself rather than its tail. */
    public static final double TAIL_DB = -20;
    private static final double TAIL_RATIO = Math.pow(10, TAIL_DB / 20);

    private enum State { SILENCE, MAYBE_SPEECH, SPEECH, TRAILING_SILENCE }

    private final Config config;
    private final int sampleRate;
    private State state = State.SILENCE;
    private long startSample;
    private long speechSamples;
    private long lastSpeechEnd;
    private double peakLevel;
    private long lastLoudEnd;
    private long lastFrameEnd;
    private Patience patience = Patience.NONE;
    /** Extra silence the current pause may last, once asked; -1 before. */
    private long extraSamples = -1;

    public Endpointer(Config config, int sampleRate) {
        this.config = config;
        this.sampleRate = sampleRate;
    }

    public Config config() {
        return config;
    }

    /** Who says how much longer a pause may last (by default nobody: the endpoint silence ends every turn). */
    public void patience(Patience p) {
        this.patience = p == null ? Patience.NONE : p;
    }

    /** True while an utterance has been confirmed and not yet ended. */
    public boolean inSpeech() {
        return state == State.SPEECH || state == State.TRAILING_SILENCE;
    }

    /** True while speech may be starting but is not yet confirmed. */
    public boolean maybeSpeech() {
        return state == State.MAYBE_SPEECH;
    }

    /**
     * While the user has paused inside an utterance (not yet long enough to end it), the sample at which their speech
     * stopped, by the VAD or, when frame levels are given, by the level; otherwise -1.
     */
    public long pausedSince() {
        if (state == State.TRAILING_SILENCE) return speechEnd();
        // the VAD may still be scoring the tail as speech while the level says the words have stopped
        if (state == State.SPEECH && lastLoudEnd > startSample && lastLoudEnd < lastFrameEnd) return lastLoudEnd;
        return -1;
    }

    /** Where the speech of the current utterance stopped: the VAD's end, refined by frame levels when known. */
    private long speechEnd() {
        return lastLoudEnd > startSample ? Math.min(lastSpeechEnd, lastLoudEnd) : lastSpeechEnd;
    }

    /** Start of the utterance being heard or considered (valid while {@link #inSpeech()} or {@link #maybeSpeech()}). */
    public long startSample() {
        return startSample;
    }

    /**
     * Takes one frame's speech probability.
     *
     * @param probability  the VAD's output for the frame
     * @param frameEnd     the sample index just after the frame
     * @param frameSamples the frame's length
     * @return the event this frame caused, or null
     */
    public Event onFrame(float probability, long frameEnd, int frameSamples) {
        return onFrame(probability, Double.NaN, frameEnd, frameSamples);
    }

    /**
     * Takes one frame's speech probability and level.
     *
     * @param level the frame's RMS level (any unit, the same for every frame), or NaN when unknown
     */
    public Event onFrame(float probability, double level, long frameEnd, int frameSamples) {
        long frameStart = frameEnd - frameSamples;
        lastFrameEnd = frameEnd;
        trackLevel(level, frameEnd);
        boolean loud = probability >= config.threshold();
        boolean stillSpeech = probability >= config.releaseThreshold();
        switch (state) {
            case SILENCE -> {
                if (loud) {
                    state = State.MAYBE_SPEECH;
                    startSample = frameStart;
                    speechSamples = frameSamples;
                    peakLevel = 0;
                    lastLoudEnd = -1;
                    trackLevel(level, frameEnd);
                    return confirmIfLongEnough();
                }
            }
            case MAYBE_SPEECH -> {
                if (stillSpeech) {
                    speechSamples += frameSamples;
                    return confirmIfLongEnough();
                }
                state = State.SILENCE;
            }
            case SPEECH -> {
                if (!stillSpeech) {
                    state = State.TRAILING_SILENCE;
                    lastSpeechEnd = frameStart;
                    return endIfSilentLongEnough(frameEnd);
                }
                return endIfTooLong(frameEnd);
            }
            case TRAILING_SILENCE -> {
                if (loud) {
                    state = State.SPEECH;
                    extraSamples = -1;
                    return endIfTooLong(frameEnd);
                }
                return endIfSilentLongEnough(frameEnd);
            }
        }
        return null;
    }

    /**
     * Ends the confirmed utterance now (a client's commit), as if the silence had been long enough.
     *
     * @return the end event, or null when no utterance was confirmed
     */
    public Event endNow() {
        if (state != State.SPEECH && state != State.TRAILING_SILENCE) {
            reset();
            return null;
        }
        long end = state == State.TRAILING_SILENCE ? speechEnd() : lastFrameEnd;
        state = State.SILENCE;
        extraSamples = -1;
        return new Event.SpeechEnded(startSample, end, lastFrameEnd, true);
    }

    /** Whether a confirmed utterance is in a pause that may be its end (trailing silence not yet long enough). */
    public boolean pausing() {
        return state == State.TRAILING_SILENCE;
    }

    /** Forgets any utterance in progress. */
    public void reset() {
        state = State.SILENCE;
        speechSamples = 0;
        extraSamples = -1;
    }

    private Event confirmIfLongEnough() {
        if (speechSamples * 1000 >= (long) config.minSpeechMs() * sampleRate) {
            state = State.SPEECH;
            extraSamples = -1;
            return new Event.SpeechStarted(startSample);
        }
        return null;
    }

    private Event endIfSilentLongEnough(long frameEnd) {
        long end = speechEnd();
        boolean silentLongEnough = (frameEnd - end) * 1000 >= (long) config.endSilenceMs() * sampleRate;
        boolean vadAgrees = (frameEnd - lastSpeechEnd) * 2000 >= (long) config.endSilenceMs() * sampleRate;
        if (!silentLongEnough || !vadAgrees) return null;
        if (extraSamples < 0) extraSamples = Math.max(0, (long) patience.extraMs()) * sampleRate / 1000;
        if (extraSamples > 0 && (frameEnd - end) * 1000 < (long) config.endSilenceMs() * sampleRate + extraSamples * 1000) {
            return null;
        }
        state = State.SILENCE;
        extraSamples = -1;
        return new Event.SpeechEnded(startSample, end, frameEnd, false);
    }

    /** Follows the utterance's peak level and the end of its last frame near that peak. */
    private void trackLevel(double level, long frameEnd) {
        if (Double.isNaN(level) || state == State.SILENCE) return;
        if (level > peakLevel) peakLevel = level;
        if (level >= peakLevel * TAIL_RATIO) lastLoudEnd = frameEnd;
    }

    private Event endIfTooLong(long frameEnd) {
        if ((frameEnd - startSample) * 1000 >= (long) config.maxSpeechMs() * sampleRate) {
            state = State.SILENCE;
            extraSamples = -1;
            return new Event.SpeechEnded(startSample, frameEnd, frameEnd, true);
        }
        return null;
    }
}

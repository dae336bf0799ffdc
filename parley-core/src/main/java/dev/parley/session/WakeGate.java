package dev.parley.session;

import dev.parley.wake.Wake;
import dev.parley.wake.WakeDetector;
import dev.parley.wake.WakeListener;

import static dev.parley.audio.PcmAudio.PIPELINE_RATE;

/**
 * Whether the session is awake, and the wake-phrase listener that wakes it. Awake means speech that starts now is a
 * turn: until a position of the input (a wake phrase's end, or a reply's end, plus the follow-up window). Asleep, the
 * listener hears every frame; awake, it rests, so it costs nothing while the conversation goes on.
 *
 * <p>Positions are samples of the session's input at the pipeline rate, as {@link Hearing} counts them; the
 * listener's own positions, which count only what it was given, are mapped onto them.
 */
final class WakeGate {
    private final WakeDetector detector;
    private SessionConfig.WakeWords words;
    private WakeListener listener;
    private long awakeUntil = Long.MIN_VALUE;
    /** Samples given to the listener, and the input position of its sample 0 (gaps while awake shift it). */
    private long fed;
    private long base;
    private boolean listening;

    /** @throws IllegalArgumentException when the detector cannot hear the phrases */
    WakeGate(WakeDetector detector, SessionConfig.WakeWords words) {
        this.detector = detector;
        this.words = words;
        this.listener = words.enabled() ? detector.listen(words.phrases()) : null;
    }

    boolean enabled() {
        return listener != null;
    }

    /**
     * New phrases: a new listener (made first, so a refusal changes nothing), asleep again. The same phrases with
     * another follow-up window keep the listener and the window already open.
     *
     * @throws IllegalArgumentException when the detector cannot hear the phrases
     */
    void reconfigure(SessionConfig.WakeWords next) {
        if (next.phrases().equals(words.phrases())) {
            words = next;
            return;
        }
        WakeListener fresh = next.enabled() ? detector.listen(next.phrases()) : null;
        close();
        words = next;
        listener = fresh;
        fed = 0;
        listening = false;
        awakeUntil = Long.MIN_VALUE;
    }

    /** Whether speech starting at {@code position} is a turn without a wake phrase. */
    boolean awake(long position) {
        return listener == null || position <= awakeUntil;
    }

    /** Keeps the session awake for the follow-up window after {@code position}. */
    void stayAwake(long position) {
        awakeUntil = Math.max(awakeUntil, position + (long) words.followUpMs() * PIPELINE_RATE / 1000);
    }

    /**
     * Gives the listener a frame ending at input position {@code frameEnd}.
     *
     * @return the phrase heard, its end mapped to an input position, or null
     */
    Wake listen(short[] frame, long frameEnd) {
        if (!listening) { // after a rest: what it heard before is stale
            listener.reset();
            base = frameEnd - frame.length - fed;
            listening = true;
        }
        Wake heard = listener.accept(frame, frame.length);
        fed += frame.length;
        if (heard == null) return null;
        listener.reset();
        long end = Math.max(0, Math.min(frameEnd, heard.endSample() + base));
        return new Wake(heard.phrase(), end, heard.score());
    }

    /** The listener rests: the conversation is awake. */
    void rest() {
        listening = false;
    }

    void close() {
        if (listener != null) listener.close();
        listener = null;
    }
}

package dev.parley.turn;

/**
 * Decides whether sound over a playing reply is a real interruption, once the reply has paused for it (LiveKit calls
 * the other case a false interruption). A backchannel ("mm-hmm", "yeah", "okay") or a cough is short and asks for
 * nothing: when it is over and no request was heard, the reply resumes. Words that are not a backchannel, or speech
 * that goes on for longer than a backchannel does, stop the reply for good.
 *
 * <p>Time is audio time (samples at the pipeline rate); one instance per pause, fed every frame from the pause on.
 */
public final class Interruption {
    /** What to do with the paused reply. */
    public enum Decision { WAIT, STOP, RESUME }

    /** Speech longer than this is not a backchannel. */
    public static final int MAX_BACKCHANNEL_MS = 900;

    private final long maxSpeechSamples;
    private final long resumeSamples;
    private long speechSamples;
    private long quietSince = -1;

    /**
     * @param resumeAfterMs quiet after the sound before the reply resumes (the endpoint silence: by then the recogniser
     *                      has written what was said)
     */
    public Interruption(int resumeAfterMs, int sampleRate) {
        this.maxSpeechSamples = (long) MAX_BACKCHANNEL_MS * sampleRate / 1000;
        this.resumeSamples = (long) resumeAfterMs * sampleRate / 1000;
    }

    /**
     * Takes one frame.
     *
     * @param speech whether the VAD hears speech in it
     * @param words  what the recogniser has heard since the pause ("" when no utterance was confirmed)
     */
    public Decision onFrame(boolean speech, String words, long frameEnd, int frameSamples) {
        if (Backchannels.hasRequest(words)) return Decision.STOP;
        if (speech) {
            speechSamples += frameSamples;
            quietSince = -1;
            return speechSamples > maxSpeechSamples ? Decision.STOP : Decision.WAIT;
        }
        if (quietSince < 0) quietSince = frameEnd - frameSamples;
        return frameEnd - quietSince >= resumeSamples ? Decision.RESUME : Decision.WAIT;
    }

    /** The utterance heard over the reply ended: decide now, on its words. */
    public Decision onUtteranceEnd(String words) {
        return Backchannels.hasRequest(words) || speechSamples > maxSpeechSamples ? Decision.STOP : Decision.RESUME;
    }
}

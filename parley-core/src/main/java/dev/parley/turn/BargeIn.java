package dev.parley.turn;

/**
 * Hears the user speaking over a reply: a run of frames above the VAD threshold at least as long as the barge-in
 * setting. Time is audio time (samples), so it behaves the same in real time and faster.
 */
public final class BargeIn {
    private long run;

    /**
     * Takes one frame.
     *
     * @return true when the run of speech, this frame included, is long enough to stop a reply
     */
    public boolean onFrame(float probability, float threshold, int frameSamples, long requiredSamples) {
        run = probability >= threshold ? run + frameSamples : 0;
        return run >= requiredSamples;
    }

    public void reset() {
        run = 0;
    }
}

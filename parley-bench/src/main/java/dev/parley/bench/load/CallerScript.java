package dev.parley.bench.load;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/**
 * What one synthetic caller is saying, shared between the caller (which writes it before it streams each clip) and
 * the fake engines of its server session (which read it): the scripted VAD hears speech exactly where the corpus
 * manifest says the clip's speech is, and the scripted recogniser "hears" the clip's reference transcript.
 *
 * <p>Positions are milliseconds of the session's input stream, counted from its first sample: the caller streams
 * without gaps (clip, then silence until the reply is over, then the next clip), so a clip that starts after
 * {@code k} chunks of 20 ms starts at {@code 20 k} ms of the stream, whatever the wall clock says. A few clips are
 * kept, since the server hears a clip a little after the caller has sent it.
 */
public final class CallerScript {
    /** One clip in the stream: its speech spans {@code [speechStartMs, speechEndMs)} of the stream. */
    public record Segment(double speechStartMs, double speechEndMs, String transcript) {}

    private static final int KEPT = 4;
    private final Deque<Segment> segments = new ArrayDeque<>();
    private volatile Consumer<Segment> relay = s -> { };

    /** A caller that never says anything (a session no caller claimed). */
    public static CallerScript silent() {
        return new CallerScript();
    }

    /**
     * Announces a clip about to be streamed from {@code streamMs}.
     *
     * @param speechStartS where the speech starts in the clip (manifest {@code speech_start_s})
     * @param speechEndS   where it ends (manifest {@code speech_end_s})
     */
    public void play(double streamMs, double speechStartS, double speechEndS, String transcript) {
        Segment s = new Segment(streamMs + speechStartS * 1000, streamMs + speechEndS * 1000, transcript);
        add(s);
        relay.accept(s);
    }

    /** Takes a clip another process's copy of this script announced. */
    public synchronized void add(Segment s) {
        segments.addLast(s);
        while (segments.size() > KEPT) segments.removeFirst();
    }

    /** Passes every clip announced from now on to {@code relay} too (the server's copy of this script, elsewhere). */
    public void relayTo(Consumer<Segment> relay) {
        this.relay = relay;
    }

    /** True when {@code streamMs} lies in a clip's speech. */
    public synchronized boolean speechAt(double streamMs) {
        for (Segment s : segments) if (streamMs >= s.speechStartMs() && streamMs < s.speechEndMs()) return true;
        return false;
    }

    /** The transcript of the clip announced last ("" before any). */
    public synchronized String latestTranscript() {
        return segments.isEmpty() ? "" : segments.getLast().transcript();
    }
}

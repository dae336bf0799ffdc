package dev.parley.recording;

import dev.parley.audio.PcmAudio;
import dev.parley.session.VoiceSession;
import dev.parley.turn.TurnState;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Feeds a recording into a session like a microphone would: in chunks of {@link #CHUNK_MS}, in real time (or as fast
 * as possible), then silence until the session has answered everything it heard. Remembers when each chunk went in,
 * so a benchmark can tell when a given point of the recording was "spoken".
 */
public final class FileInput {
    public static final int CHUNK_MS = 20;

    private final VoiceSession session;
    private final boolean realtime;
    private final LongSupplier clock;
    private final long tailLimitMs;
    private long[] chunkTimes = new long[0];
    private int chunkRate;

    /**
     * @param realtime    pace the input in real time; otherwise feed as fast as possible, waiting for each reply
     * @param tailLimitMs how long to keep feeding silence after the recording before giving up on a reply
     */
    public FileInput(VoiceSession session, boolean realtime, LongSupplier clock, long tailLimitMs) {
        this.session = session;
        this.realtime = realtime;
        this.clock = clock;
        this.tailLimitMs = tailLimitMs;
    }

    /** Feeds the recording and the silence after it; returns when the session is idle again. */
    public void play(PcmAudio recording) throws InterruptedException {
        int rate = recording.sampleRate();
        int chunk = rate * CHUNK_MS / 1000;
        int chunks = (recording.length() + chunk - 1) / chunk;
        chunkTimes = new long[chunks];
        chunkRate = rate;
        long start = clock.getAsLong();
        long fed = 0;
        for (int i = 0; i < chunks; i++) {
            int from = i * chunk;
            PcmAudio piece = recording.slice(from, Math.min(recording.length(), from + chunk));
            fed = pace(start, fed, piece.durationNanos());
            chunkTimes[i] = clock.getAsLong();
            session.accept(piece);
            if (!realtime) waitForReply();
        }
        PcmAudio silence = PcmAudio.silence(rate, CHUNK_MS);
        long tailChunks = tailLimitMs / CHUNK_MS;
        for (long i = 0; i < tailChunks && !answeredEverything(); i++) {
            fed = pace(start, fed, silence.durationNanos());
            session.accept(silence);
            if (!realtime) waitForReply();
        }
        session.awaitIdle(realtime ? tailLimitMs : 60_000, TimeUnit.MILLISECONDS);
    }

    /** When the sample at {@code seconds} into the recording was fed (clock nanos), or -1 if it was not. */
    public long timeOf(double seconds) {
        int i = (int) (seconds * 1000 / CHUNK_MS);
        if (chunkRate == 0 || i < 0 || i >= chunkTimes.length) return -1;
        double intoChunk = seconds * 1000 - (double) i * CHUNK_MS;
        // a chunk is fed once it has been completely "recorded": its last sample is at chunkTimes[i]
        return chunkTimes[i] - (long) ((CHUNK_MS - intoChunk) * 1_000_000);
    }

    private boolean answeredEverything() {
        return !session.userSpeaking() && session.state() == TurnState.LISTENING;
    }

    private long pace(long start, long fed, long nanos) {
        long next = fed + nanos;
        if (realtime) {
            long due = start + next;
            for (long left; (left = due - clock.getAsLong()) > 0; ) LockSupport.parkNanos(left);
        }
        return next;
    }

    private void waitForReply() throws InterruptedException {
        TurnState s = session.state();
        if (s == TurnState.THINKING || s == TurnState.SPEAKING) session.awaitIdle(60, TimeUnit.SECONDS);
    }
}

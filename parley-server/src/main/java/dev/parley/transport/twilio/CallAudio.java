package dev.parley.transport.twilio;

import dev.parley.audio.AudioSink;
import dev.parley.audio.G711;
import dev.parley.audio.PcmAudio;
import dev.parley.transport.realtime.Outbox;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The reply's way to the caller: each chunk goes to Twilio as a {@code media} message of μ-law at 8 kHz followed by a
 * {@code mark}; Twilio sends each mark back once the audio before it has played. So the session knows when the caller
 * has heard the reply ({@link #drain()} waits for the last mark) and can tell speech over it from speech after it; an
 * interruption sends {@code clear}, which drops what Twilio holds and has not played.
 *
 * <p>A Twilio that never sends a mark back (a client that does not implement them) does not hold the reply forever:
 * drain waits for the audio's own length plus {@link #MARK_SLACK_MS}, then gives up on the marks.
 */
final class CallAudio implements AudioSink {
    static final int RATE = 8_000;
    static final long MARK_SLACK_MS = 2_000;

    private final String streamSid;
    private final Outbox out;
    private final Object lock = new Object();
    /** Marks sent and not yet played: their number and the samples sent up to them. Guarded by lock. */
    private final Deque<long[]> pending = new ArrayDeque<>();
    private long marks;
    private long sentSamples;
    private long playedSamples;
    private boolean closed;

    CallAudio(String streamSid, Outbox out) {
        this.streamSid = streamSid;
        this.out = out;
    }

    @Override
    public int sampleRate() {
        return RATE;
    }

    @Override
    public void write(PcmAudio chunk) {
        if (chunk.isEmpty()) return;
        byte[] ulaw = G711.encode(G711.Law.ULAW, chunk.samples());
        synchronized (lock) { // in order with a clear from another thread
            if (closed) return;
            long n = ++marks;
            sentSamples += ulaw.length;
            pending.add(new long[]{n, sentSamples});
            out.send(TwilioOut.media(streamSid, ulaw));
            out.send(TwilioOut.mark(streamSid, markName(n)));
        }
    }

    /** Twilio played the audio up to mark {@code name} (or dropped it on a clear). */
    void played(String name) {
        long n = markNumber(name);
        if (n < 0) return;
        synchronized (lock) {
            while (!pending.isEmpty() && pending.peekFirst()[0] <= n) playedSamples = pending.pollFirst()[1];
            lock.notifyAll();
        }
    }

    @Override
    public void interrupt() {
        synchronized (lock) {
            if (closed) return;
            out.send(TwilioOut.clear(streamSid));
            pending.clear();
            playedSamples = sentSamples;
            lock.notifyAll();
        }
    }

    @Override
    public void drain() throws InterruptedException {
        synchronized (lock) {
            long unplayedMs = (sentSamples - playedSamples) * 1000 / RATE;
            long deadline = System.nanoTime() + (unplayedMs + MARK_SLACK_MS) * 1_000_000;
            for (long left; !pending.isEmpty() && !closed && (left = deadline - System.nanoTime()) > 0; ) {
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            pending.clear();
            playedSamples = sentSamples;
        }
    }

    /** Milliseconds of reply audio sent to the caller so far. */
    long sentMs() {
        synchronized (lock) {
            return sentSamples * 1000 / RATE;
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
    }

    private static String markName(long n) {
        return "parley-" + n;
    }

    private static long markNumber(String name) {
        if (name == null || !name.startsWith("parley-")) return -1;
        try {
            return Long.parseLong(name.substring("parley-".length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}

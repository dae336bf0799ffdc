package dev.parley.recording;

import dev.parley.audio.AudioSink;
import dev.parley.audio.PcmAudio;

import java.util.ArrayDeque;
import java.util.function.LongSupplier;

/**
 * Plays audio in real time into an instant target (a file, a recorder), the way a sound card would: audio starts
 * playing when it is written, a write blocks while more than {@code bufferMs} are waiting, and an interrupt drops
 * everything not yet played. The target therefore receives exactly the audio a listener would have heard.
 */
public final class PacedSink implements AudioSink {
    private final AudioSink target;
    private final int rate;
    private final long bufferSamples;
    private final LongSupplier clock;
    private final ArrayDeque<short[]> queued = new ArrayDeque<>();
    private int headOffset;       // samples of queued.peekFirst() already played
    private long queuedSamples;   // not yet played
    private long playStart;       // clock time at which playedSinceStart was 0
    private long playedSinceStart;

    public PacedSink(AudioSink target, int bufferMs, LongSupplier clock) {
        this.target = target;
        this.rate = target.sampleRate();
        this.bufferSamples = (long) rate * bufferMs / 1000;
        this.clock = clock;
    }

    @Override
    public int sampleRate() {
        return rate;
    }

    @Override
    public synchronized void write(PcmAudio chunk) throws InterruptedException {
        if (chunk.sampleRate() != rate) throw new IllegalArgumentException("sink plays " + rate + " Hz, got " + chunk.sampleRate());
        if (chunk.isEmpty()) return;
        advance();
        if (queuedSamples == 0) {
            playStart = clock.getAsLong();
            playedSinceStart = 0;
        }
        queued.addLast(chunk.samples());
        queuedSamples += chunk.length();
        while (queuedSamples > bufferSamples) {
            waitFor(queuedSamples - bufferSamples);
            advance();
        }
    }

    @Override
    public synchronized void interrupt() {
        advance();
        queued.clear();
        headOffset = 0;
        queuedSamples = 0;
        notifyAll();
    }

    @Override
    public synchronized void drain() throws InterruptedException {
        advance();
        while (queuedSamples > 0) {
            waitFor(queuedSamples);
            advance();
        }
    }

    @Override
    public synchronized void close() {
        interrupt();
        target.close();
    }

    /** Hands to the target whatever has been played by now. */
    private void advance() {
        if (queuedSamples == 0) return;
        long shouldHavePlayed = (clock.getAsLong() - playStart) * rate / 1_000_000_000L;
        long due = Math.min(queuedSamples, shouldHavePlayed - playedSinceStart);
        while (due > 0) {
            short[] head = queued.peekFirst();
            int n = (int) Math.min(due, head.length - headOffset);
            PcmAudio played = new PcmAudio(java.util.Arrays.copyOfRange(head, headOffset, headOffset + n), rate);
            try {
                target.write(played);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            headOffset += n;
            if (headOffset == head.length) {
                queued.removeFirst();
                headOffset = 0;
            }
            due -= n;
            queuedSamples -= n;
            playedSinceStart += n;
        }
    }

    private void waitFor(long samples) throws InterruptedException {
        long millis = Math.max(1, Math.min(20, samples * 1000 / rate));
        wait(millis);
    }
}

package dev.parley.bench.turns;

import dev.parley.audio.AudioSink;
import dev.parley.audio.PcmAudio;
import dev.parley.session.SessionConfig;
import dev.parley.session.VoiceSession;
import dev.parley.recording.PacedSink;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Talks to one {@link VoiceSession} the way a microphone and a speaker would, on the recording's own time: audio goes
 * in as 20 ms chunks, each once the clock has reached the moment its last sample would have been recorded, and the
 * replies are "played" by a sink that keeps pace with that clock (with a device's 100 ms of buffer).
 *
 * <p>Faster than real time, faithfully: while no reply is under way, only this thread works on the session (VAD,
 * endpointer and streaming recognition run inside {@code accept}), so the wait for the next chunk is skipped by moving
 * the {@link VirtualClock} forward. From the moment the session starts a reply until the reply is over or stopped,
 * chunks go in in real time, so recognition, the dialog, synthesis and playback take exactly as long, relative to the
 * user's speech, as with a person talking. Whatever the session decides therefore happens at the same point of the
 * recording as in real time (give or take the session's own lag, which real time has too). A run is as much faster
 * than real time as the recordings are made of listening rather than of replies.
 */
final class SessionDriver implements AutoCloseable {
    static final int RATE = PcmAudio.PIPELINE_RATE;
    static final int CHUNK = RATE * 20 / 1000;
    private static final int SINK_BUFFER_MS = 100;

    private final VirtualClock clock = new VirtualClock();
    private final long origin = clock.getAsLong();
    private final EventLog log = new EventLog(clock, origin);
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final VoiceSession session;
    private long fed;

    SessionDriver(VoiceSession.Engines engines, SessionConfig config, int outputRate) {
        AudioSink speaker = new PacedSink(new Discard(outputRate), SINK_BUFFER_MS, clock);
        session = new VoiceSession(engines, speaker, config, log, clock, executor);
    }

    EventLog log() {
        return log;
    }

    /** How much audio has gone in, in milliseconds. */
    double positionMs() {
        return fed * 1000.0 / RATE;
    }

    /** Feeds a 16 kHz recording, chunk by chunk, on the recording's time. */
    void feed(PcmAudio audio) {
        if (audio.sampleRate() != RATE) throw new IllegalArgumentException("the driver feeds " + RATE + " Hz, got " + audio.sampleRate());
        for (int from = 0; from < audio.length(); from += CHUNK) {
            PcmAudio chunk = audio.slice(from, Math.min(audio.length(), from + CHUNK));
            long due = origin + (fed + chunk.length()) * 1_000_000_000L / RATE;
            if (log.replying()) clock.sleepUntil(due);
            else clock.skipTo(due);
            session.accept(chunk);
            fed += chunk.length();
        }
    }

    /** Feeds the room's background until {@code done} or {@code limitMs} of it went in; whether {@code done} came. */
    boolean feedUntil(RoomTone room, BooleanSupplier done, long limitMs) {
        PcmAudio background = room.pause(limitMs); // one continuous stretch: chunks of it join without a seam
        for (int from = 0; from < background.length(); from += CHUNK) {
            if (done.getAsBoolean()) return true;
            feed(background.slice(from, Math.min(background.length(), from + CHUNK)));
        }
        return done.getAsBoolean();
    }

    /** Ends the session; events it reports while closing are not recorded. */
    @Override
    public void close() {
        log.close();
        session.close();
        executor.shutdown();
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) executor.shutdownNow();
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** The loudspeaker's far end: the benchmark listens to the session's events, not to the audio. */
    private record Discard(int sampleRate) implements AudioSink {
        @Override
        public void write(PcmAudio chunk) {
        }

        @Override
        public void interrupt() {
        }

        @Override
        public void drain() {
        }
    }
}

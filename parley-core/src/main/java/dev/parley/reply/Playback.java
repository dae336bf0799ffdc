package dev.parley.reply;

import dev.parley.audio.AudioSink;
import dev.parley.audio.PcmAudio;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BooleanSupplier;

/**
 * The output half of a reply: phrases and their audio, queued by the producer as they are synthesised, go to the sink
 * in order. It can pause at once (the user may be interrupting, or only saying "mm-hmm": what the sink holds is thrown
 * away) and resume from the start of the phrase that was cut, so the listener hears it whole.
 */
final class Playback {
    private static final Object END = new Object();

    private record PhraseStart(String text) {}

    /** What the player reports, on its own thread. */
    interface Events {
        /** A phrase starts playing. */
        void phrase(String text);

        /** Audio is about to go out (each chunk; the reply notes the first). */
        void audio();
    }

    private final AudioSink sink;
    private final ReplyVoice voice;
    private final BooleanSupplier cancelled;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Object lock = new Object();
    private boolean paused; // guarded by lock
    private boolean replay; // guarded by lock
    /** The audio of the phrase being played, to play again after a pause. Player thread only. */
    private final List<PcmAudio> phraseAudio = new ArrayList<>();

    Playback(AudioSink sink, ReplyVoice voice, BooleanSupplier cancelled) {
        this.sink = sink;
        this.voice = voice;
        this.cancelled = cancelled;
    }

    void phrase(String text) {
        queue.add(new PhraseStart(text));
    }

    void audio(PcmAudio audio) {
        queue.add(audio);
    }

    /** Nothing more will be queued (also what wakes a player when the reply is cancelled). */
    void end() {
        queue.add(END);
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    /** Plays until the end is queued and played, or the reply is cancelled. */
    void run(Events events) throws InterruptedException {
        boolean ended = false;
        while (!cancelled.getAsBoolean()) {
            if (!ended) {
                Object item = queue.take();
                if (item == END) {
                    ended = true;
                    continue;
                }
                awaitFloor();
                if (cancelled.getAsBoolean()) return;
                if (item instanceof PhraseStart p) {
                    phraseAudio.clear();
                    events.phrase(p.text());
                } else if (item instanceof PcmAudio audio) {
                    // the reply is out once it is handed to the output; a sink may block in write to keep pace
                    events.audio();
                    phraseAudio.add(audio);
                    sink.write(voice.applyVolume(audio));
                }
                continue;
            }
            awaitFloor();
            if (cancelled.getAsBoolean()) return;
            sink.drain();
            synchronized (lock) {
                if (!paused && !replay) return; // else paused while draining: the end of the phrase goes again
            }
        }
    }

    /** @return false when paused already */
    boolean pause() {
        synchronized (lock) {
            if (paused) return false;
            paused = true;
        }
        sink.interrupt();
        return true;
    }

    boolean paused() {
        synchronized (lock) {
            return paused;
        }
    }

    void resume() {
        synchronized (lock) {
            if (!paused) return;
            paused = false;
            replay = true;
            lock.notifyAll();
        }
    }

    /** Waits while paused; after a resume, plays the current phrase again from its start. */
    private void awaitFloor() throws InterruptedException {
        boolean again;
        synchronized (lock) {
            while (paused && !cancelled.getAsBoolean()) lock.wait();
            again = replay;
            replay = false;
        }
        if (!again) return;
        for (PcmAudio audio : List.copyOf(phraseAudio)) {
            if (cancelled.getAsBoolean()) return;
            sink.write(voice.applyVolume(audio));
        }
    }
}

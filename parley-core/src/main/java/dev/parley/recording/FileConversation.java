package dev.parley.recording;

import dev.parley.audio.AudioSink;
import dev.parley.audio.PcmAudio;
import dev.parley.latency.Waterfall;
import dev.parley.session.SessionConfig;
import dev.parley.session.SessionEvent;
import dev.parley.session.SessionListener;
import dev.parley.session.VoiceSession;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One recording through a whole session: the audio is fed like a microphone (see {@link FileInput}) and what the
 * listener would have heard of the replies is written to a WAV file.
 */
public final class FileConversation {
    /** Long enough for any reply to a 30 s utterance to be spoken. */
    private static final long TAIL_LIMIT_MS = 60_000;
    /** The emulated sound card's buffer. */
    private static final int DEVICE_BUFFER_MS = 100;

    /** One answered turn. */
    public record Turn(int number, String transcript, double confidence, String reply, Waterfall waterfall,
                       boolean interrupted) {}

    /** The turns, and the input's timing (to relate points of the recording to the session clock). */
    public record Result(List<Turn> turns, FileInput input, long replySamples) {}

    private FileConversation() {
    }

    /**
     * @param realtime pace input and output in real time (as a person talking); otherwise as fast as possible
     * @param listener also told every session event (may be {@link SessionListener#NONE})
     */
    public static Result run(VoiceSession.Engines engines, SessionConfig config, PcmAudio recording, Path out,
                             int outputRate, boolean realtime, SessionListener listener) throws IOException, InterruptedException {
        WavFileSink file = new WavFileSink(out, outputRate);
        AudioSink sink = realtime ? new PacedSink(file, DEVICE_BUFFER_MS, System::nanoTime) : file;
        List<Turn> turns = new ArrayList<>();
        Map<Integer, Double> confidence = new HashMap<>();
        java.util.Set<Integer> merged = new java.util.HashSet<>();
        SessionListener collect = event -> {
            switch (event) {
                case SessionEvent.FinalTranscript t -> confidence.put(t.turn(), t.transcript().confidence());
                case SessionEvent.Merged m -> merged.add(m.turn());
                case SessionEvent.TurnCompleted c when merged.contains(c.turn()) -> {
                    // its words continue in the next turn
                }
                case SessionEvent.TurnCompleted c -> turns.add(new Turn(c.turn(), c.userText(),
                        confidence.getOrDefault(c.turn(), 0.0), c.replyText(), c.waterfall(), c.interrupted()));
                default -> {
                }
            }
            listener.on(event);
        };
        FileInput input;
        try (ExecutorService replies = Executors.newVirtualThreadPerTaskExecutor();
             VoiceSession session = new VoiceSession(engines, sink, config, collect, System::nanoTime, replies)) {
            input = new FileInput(session, realtime, System::nanoTime, TAIL_LIMIT_MS);
            input.play(recording);
        } finally {
            sink.close();
        }
        // the reply executor has been closed: every turn's events have been delivered
        turns.sort(Comparator.comparingInt(Turn::number));
        return new Result(List.copyOf(turns), input, file.samplesWritten());
    }
}

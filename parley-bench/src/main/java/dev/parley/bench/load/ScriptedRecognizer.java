package dev.parley.bench.load;

import dev.parley.failover.ProviderEvents;
import dev.parley.stt.RecognitionStream;
import dev.parley.stt.SpeechRecognizer;
import dev.parley.stt.Transcript;

import java.util.concurrent.CountDownLatch;

/**
 * A recogniser with a fixed latency: each utterance "hears" the reference transcript of the clip its caller is
 * playing ({@link CallerScript}), and {@link RecognitionStream#finish()} takes {@link FakeLatencies#sttMs()} (as a
 * streaming recogniser's final decode does), or less when the stream is closed meanwhile (barge-in, session end),
 * in which case it returns an empty transcript.
 */
public final class ScriptedRecognizer implements SpeechRecognizer {
    private final CallerScript script;
    private final long finishNanos;

    public ScriptedRecognizer(CallerScript script, FakeLatencies latencies) {
        this.script = script;
        this.finishNanos = latencies.sttMs() * 1_000_000L;
    }

    @Override
    public RecognitionStream open(ProviderEvents events) {
        String text = script.latestTranscript();
        CountDownLatch closed = new CountDownLatch(1);
        return new RecognitionStream() {
            @Override
            public String accept(short[] pcm, int offset, int length) {
                return "";
            }

            @Override
            public Transcript finish() {
                boolean done = Pause.until(System.nanoTime() + finishNanos, closed);
                return new Transcript(done ? text : "", 1.0);
            }

            @Override
            public void close() {
                closed.countDown();
            }
        };
    }
}

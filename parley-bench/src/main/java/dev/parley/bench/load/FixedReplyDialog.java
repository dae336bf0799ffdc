package dev.parley.bench.load;

import dev.parley.dialog.Dialog;
import dev.parley.dialog.Message;
import dev.parley.dialog.TextStream;
import dev.parley.stt.Transcript;

import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A brain with a fixed latency and a fixed reply: the first piece comes {@link FakeLatencies#llmMs()} after the
 * reply was asked for (as an LLM's first token), the rest at once. The first piece is a whole phrase ending in a
 * space, so the session's sentence chunker can hand it to TTS the moment it arrives and adds no wait of its own.
 * Closing the stream cancels the wait.
 */
public final class FixedReplyDialog implements Dialog {
    /** The reply, piece by piece: two phrases, 11 words. */
    static final List<String> REPLY = List.of("Sure, I can help with that. ", "Here ", "is ", "a ", "fixed ", "reply.");
    private final long firstTokenNanos;

    public FixedReplyDialog(FakeLatencies latencies) {
        this.firstTokenNanos = latencies.llmMs() * 1_000_000L;
    }

    @Override
    public TextStream respond(List<Message> history, Transcript userTurn) {
        long due = System.nanoTime() + firstTokenNanos;
        CountDownLatch closed = new CountDownLatch(1);
        return new TextStream() {
            private int next;

            @Override
            public String next() {
                if (next == 0 && !Pause.until(due, closed)) return null;
                if (closed.getCount() == 0 || next >= REPLY.size()) return null;
                return REPLY.get(next++);
            }

            @Override
            public void close() {
                closed.countDown();
            }
        };
    }
}

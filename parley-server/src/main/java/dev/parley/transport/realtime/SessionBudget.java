package dev.parley.transport.realtime;

/**
 * How much memory one client may make its session hold, so that no client input can exhaust the heap: every limit
 * here is checked by Parley's own code, which answers an {@code error} event (the session goes on) rather than
 * buffering more. The server admits {@link #sessionsFor(long) as many sessions as these budgets fit in its heap}.
 *
 * @param maxEventChars        the largest client event (one WebSocket text message), in characters
 * @param maxItemChars         the largest text of one {@code conversation.item.create}, and of the instructions
 * @param maxConversationChars the text of all the items of the conversation together
 * @param maxInputAudioBytes   the input audio buffer (PCM16) a client may fill before it commits, in push-to-talk
 * @param maxQueuedChars       the server events queued for a client that does not read, before it is disconnected
 */
public record SessionBudget(int maxEventChars, int maxItemChars, long maxConversationChars, long maxInputAudioBytes,
                            long maxQueuedChars) {
    private static final int MIB = 1024 * 1024;

    /** 8 MiB events, 32 KiB items, 1 MiB of conversation, 4 MiB of input audio (87 s at 24 kHz), 4 MiB queued out. */
    public static final SessionBudget DEFAULT = new SessionBudget(8 * MIB, 32 * 1024, MIB, 4L * MIB, 4L * MIB);

    public SessionBudget {
        if (maxEventChars < 1024) throw new IllegalArgumentException("the event limit must be at least 1024 characters");
        if (maxItemChars < 1) throw new IllegalArgumentException("the item limit must be positive");
        if (maxConversationChars < maxItemChars) throw new IllegalArgumentException("the conversation must hold at least one item");
        if (maxInputAudioBytes < 9600) throw new IllegalArgumentException("the input audio buffer must hold at least 100 ms");
        if (maxQueuedChars < 64 * 1024) throw new IllegalArgumentException("the output queue must hold at least 64 KiB");
    }

    /**
     * The WebSocket's own limit on a text message, above the documented {@link #maxEventChars()}: a message between the
     * two is read whole and answered with {@code message_too_large}; a larger one is answered and the socket closed
     * (1009), so that a client cannot make the server buffer an unbounded message.
     */
    public long hardTextLimit() {
        return 2L * maxEventChars;
    }

    /** The WebSocket's limit on a binary message (the protocol uses none: each is answered with an error). */
    public long hardBinaryLimit() {
        return MIB;
    }

    /**
     * The most heap one session can be made to hold, in bytes: a message being read (up to {@link #hardTextLimit()}),
     * one queued and one being parsed (its text, its JSON tree and its decoded audio: with the queued one, about four
     * event limits), the conversation (UTF-16: two bytes a character), the input audio buffer and the output queue.
     */
    public long bytesPerSession() {
        return hardTextLimit() + 4L * maxEventChars + 2 * maxConversationChars + maxInputAudioBytes + maxQueuedChars;
    }

    /** How many sessions fit in {@code heapBytes}: at least one. */
    public int sessionsFor(long heapBytes) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, heapBytes / bytesPerSession()));
    }

    public SessionBudget withMaxEventChars(int n) {
        return new SessionBudget(n, maxItemChars, maxConversationChars, maxInputAudioBytes, maxQueuedChars);
    }

    public SessionBudget withMaxItemChars(int n) {
        return new SessionBudget(maxEventChars, n, Math.max(n, maxConversationChars), maxInputAudioBytes, maxQueuedChars);
    }

    public SessionBudget withMaxConversationChars(long n) {
        return new SessionBudget(maxEventChars, maxItemChars, n, maxInputAudioBytes, maxQueuedChars);
    }

    public SessionBudget withMaxInputAudioBytes(long n) {
        return new SessionBudget(maxEventChars, maxItemChars, maxConversationChars, n, maxQueuedChars);
    }
}

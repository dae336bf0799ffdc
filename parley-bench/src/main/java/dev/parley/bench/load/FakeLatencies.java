package dev.parley.bench.load;

/**
 * The fixed latencies of the scripted engines of {@code parley loadtest --providers fake}: known in advance, so that
 * whatever a turn takes beyond them (and beyond the endpoint wait) is Parley's own overhead.
 *
 * @param sttMs recognition: what {@link ScriptedRecognizer}'s {@code finish()} takes
 * @param llmMs the dialog's first token: what {@link FixedReplyDialog}'s first piece takes
 * @param ttsMs synthesis to its first audio: what {@link PacedToneSynthesizer} takes before a phrase's first chunk
 */
public record FakeLatencies(int sttMs, int llmMs, int ttsMs) {
    /** The latencies of the issue: STT 200 ms, LLM first token 300 ms, TTS first byte 150 ms. */
    public static final FakeLatencies DEFAULT = new FakeLatencies(200, 300, 150);
    /** Longest latency taken: a minute is no longer a fake of an engine. */
    public static final int MAX_MS = 60_000;

    public FakeLatencies {
        check("STT", sttMs);
        check("LLM", llmMs);
        check("TTS", ttsMs);
    }

    private static void check(String what, int ms) {
        if (ms < 0 || ms > MAX_MS) throw new IllegalArgumentException("the fake " + what + " latency must be between 0 and " + MAX_MS + " ms: " + ms);
    }

    /** What the engines add to every turn on its critical path: recognition, first token, first audio. */
    public int totalMs() {
        return sttMs + llmMs + ttsMs;
    }
}

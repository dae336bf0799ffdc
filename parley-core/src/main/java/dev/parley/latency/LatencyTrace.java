package dev.parley.latency;

import dev.parley.failover.ProviderTiming;
import java.util.List;

import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Collects the instants of one turn as they happen, from whichever thread reaches them; the first stamp of each
 * kind wins. {@link #waterfall()} is present once the first audio has gone out.
 */
public final class LatencyTrace {
    private final LongSupplier clock;
    private volatile long speechEnd, endpointDecided, finalTranscript, firstToken, firstPhrase, firstTtsAudio, firstAudioOut;

    /** The first time to first byte of each provider and stage in this turn. */
    private final java.util.Map<String, ProviderTiming> providers = new java.util.LinkedHashMap<>();

    public LatencyTrace(LongSupplier clock) {
        this.clock = clock;
    }

    public long now() {
        return clock.getAsLong();
    }

    /** When the user's speech ended, on this trace's clock; 0 before the endpoint. */
    public long speechEnd() {
        return speechEnd;
    }

    /**
     * The endpoint decision, taken now, about speech that ended {@code silenceNanos} of audio earlier. Audio arrives
     * in real time from a microphone, so the speech end is that much before now; when audio is read faster than real
     * time the same arithmetic keeps the endpoint's share equal to the silence actually waited for.
     */
    public synchronized void endpoint(long silenceNanos) {
        if (endpointDecided == 0) {
            endpointDecided = now();
            speechEnd = endpointDecided - silenceNanos;
        }
    }

    public synchronized void finalTranscript() {
        if (finalTranscript == 0) finalTranscript = now();
    }

    public synchronized void firstToken() {
        if (firstToken == 0) firstToken = now();
    }

    public synchronized void firstPhrase() {
        if (firstPhrase == 0) firstPhrase = now();
    }

    public synchronized void firstTtsAudio() {
        if (firstTtsAudio == 0) firstTtsAudio = now();
    }

    /** A provider's time to first byte; the first of each provider and stage counts (later ones come after the audio). */
    public synchronized void provider(ProviderTiming timing) {
        providers.putIfAbsent(timing.key(), timing);
    }

    /** Returns true the first time, when this was the first audio out. */
    public synchronized boolean firstAudioOut() {
        if (firstAudioOut != 0) return false;
        firstAudioOut = now();
        return true;
    }

    public boolean audioStarted() {
        return firstAudioOut != 0;
    }

    /**
     * The waterfall, once audio went out. Work done ahead of the endpoint (a reply prepared while the user paused)
     * counts as taking no time after it: each instant is taken no earlier than the one before, so every stage is the
     * wait it really added.
     */
    public synchronized Optional<Waterfall> waterfall() {
        if (firstAudioOut == 0 || endpointDecided == 0) return Optional.empty();
        long stt = Math.max(finalTranscript, endpointDecided);
        long token = Math.max(firstToken == 0 ? firstPhrase : firstToken, stt);
        long phrase = Math.max(firstPhrase, token);
        long tts = Math.max(firstTtsAudio, phrase);
        long out = Math.max(firstAudioOut, tts);
        return Optional.of(new Waterfall(speechEnd, endpointDecided, stt, token, phrase, tts, out,
                List.copyOf(providers.values())));
    }

    /** A trace for a new attempt at the same turn: the speech end and endpoint stay, everything after is cleared. */
    public synchronized LatencyTrace retry() {
        LatencyTrace t = new LatencyTrace(clock);
        t.speechEnd = speechEnd;
        t.endpointDecided = endpointDecided;
        providers.values().stream().filter(p -> p.stage().equals("stt")).forEach(t::provider);
        return t;
    }
}

package dev.parley.latency;

import dev.parley.failover.ProviderTiming;
import java.util.List;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The latency of one turn, as instants on one monotonic clock (nanoseconds): from where the user's speech really
 * ended in the audio to the first audio of the reply handed to the output. Each stage is the gap between two
 * consecutive instants, so the stages add up to the end-to-end figure exactly.
 *
 * @param speechEnd        where the user's speech ended in the audio (not where silence was confirmed)
 * @param endpointDecided  when the endpointer decided the turn was over
 * @param finalTranscript  when the final transcript was ready
 * @param firstToken       when the dialog produced its first piece of text
 * @param firstPhrase      when the first speakable phrase was ready for TTS
 * @param firstTtsAudio    when TTS produced its first audio
 * @param firstAudioOut    when the first reply audio reached the output
 * @param providers        each cloud provider's own time to first byte in this turn (part of its stage; none for the
 *                         embedded engines)
 */
public record Waterfall(long speechEnd, long endpointDecided, long finalTranscript, long firstToken,
                        long firstPhrase, long firstTtsAudio, long firstAudioOut, List<ProviderTiming> providers) {

    public Waterfall {
        providers = List.copyOf(providers);
    }

    /** A turn served by engines that call no provider. */
    public Waterfall(long speechEnd, long endpointDecided, long finalTranscript, long firstToken,
                     long firstPhrase, long firstTtsAudio, long firstAudioOut) {
        this(speechEnd, endpointDecided, finalTranscript, firstToken, firstPhrase, firstTtsAudio, firstAudioOut, List.of());
    }

    public double endToEndMs() {
        return ms(firstAudioOut - speechEnd);
    }

    public double endpointMs() {
        return ms(endpointDecided - speechEnd);
    }

    public double sttMs() {
        return ms(finalTranscript - endpointDecided);
    }

    /** Time to the first speakable phrase: the dialog's first token plus the chunker's wait for a phrase. */
    public double dialogMs() {
        return ms(firstPhrase - finalTranscript);
    }

    public double ttsMs() {
        return ms(firstTtsAudio - firstPhrase);
    }

    public double outMs() {
        return ms(firstAudioOut - firstTtsAudio);
    }

    /** The dialog's own time to first token (part of {@link #dialogMs()}). */
    public double firstTokenMs() {
        return ms(firstToken - finalTranscript);
    }

    /** Parley's own work after the endpoint decision: transcript, dialog, TTS and output. */
    public double afterEndpointMs() {
        return ms(firstAudioOut - endpointDecided);
    }

    /** Stage name → milliseconds, in pipeline order, end-to-end first; the keys used in JSON output. */
    public Map<String, Double> stagesMs() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("end_to_end", endToEndMs());
        m.put("endpoint", endpointMs());
        m.put("stt", sttMs());
        m.put("dialog", dialogMs());
        m.put("tts", ttsMs());
        m.put("out", outMs());
        return m;
    }

    /**
     * Each provider's time to first byte, keyed {@code stage_provider} ({@code stt_deepgram}, {@code llm_openai}), in
     * pipeline order: the bar inside its stage that the provider's network and servers account for.
     */
    public Map<String, Double> providerTtfbMs() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (String stage : List.of("stt", "llm", "tts")) {
            for (ProviderTiming p : providers) {
                if (p.stage().equals(stage)) m.putIfAbsent(p.key(), p.ttfbMs());
            }
        }
        return m;
    }

    /** The one-line summary printed after every turn. */
    public String summary() {
        String s = String.format("⏱ end-to-end %d ms (endpoint %d · stt %d · dialog %d · tts %d · out %d)",
                round(endToEndMs()), round(endpointMs()), round(sttMs()), round(dialogMs()), round(ttsMs()), round(outMs()));
        if (providers.isEmpty()) return s;
        StringBuilder b = new StringBuilder(s).append("; first byte");
        String sep = " ";
        for (String stage : List.of("stt", "llm", "tts")) {
            for (ProviderTiming p : providers) {
                if (!p.stage().equals(stage)) continue;
                b.append(sep).append(p.provider()).append(' ').append(p.stage()).append(' ').append(round(p.ttfbMs()));
                sep = " · ";
            }
        }
        return b.toString();
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static long round(double ms) {
        return Math.round(ms);
    }
}

package dev.parley.latency;

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
 */
public record Waterfall(long speechEnd, long endpointDecided, long finalTranscript, long firstToken,
                        long firstPhrase, long firstTtsAudio, long firstAudioOut) {

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

    /** The one-line summary printed after every turn. */
    public String summary() {
        return String.format("⏱ end-to-end %d ms (endpoint %d · stt %d · dialog %d · tts %d · out %d)",
                round(endToEndMs()), round(endpointMs()), round(sttMs()), round(dialogMs()), round(ttsMs()), round(outMs()));
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static long round(double ms) {
        return Math.round(ms);
    }
}

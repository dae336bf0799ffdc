package dev.parley.bench;

import dev.parley.audio.PcmAudio;
import dev.parley.audio.WavFile;
import dev.parley.eval.CorpusManifest;
import dev.parley.eval.Percentiles;
import dev.parley.eval.WordErrorRate;
import dev.parley.latency.Waterfall;
import dev.parley.session.SessionConfig;
import dev.parley.session.SessionListener;
import dev.parley.session.VoiceSession;
import dev.parley.recording.FileConversation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Every clip of a corpus through the whole loop, in a fresh session each, the way a person would talk to Parley:
 * audio paced in real time, replies played in real time. End-to-end latency is measured from where the manifest
 * says the speech really ended ({@code speech_end_s}) to the first audio of the reply that followed.
 */
public final class CorpusBenchmark {

    /** One clip's figures. {@code endToEndMs} is NaN when no reply followed the end of the speech. */
    public record ClipResult(String clip, String language, String reference, String transcript, WordErrorRate.Result wer,
                             double endToEndMs, Waterfall waterfall, int turns) {}

    /** All clips, with their summaries. */
    public record Report(List<ClipResult> clips, Map<String, Percentiles.Summary> latencyMs, WordErrorRate.Result wer) {}

    private CorpusBenchmark() {
    }

    public static Report run(List<CorpusManifest.Clip> clips, Supplier<VoiceSession.Engines> engines, SessionConfig config,
                             int outputRate, boolean realtime, Path outDir, Consumer<ClipResult> progress) throws IOException, InterruptedException {
        List<ClipResult> results = new ArrayList<>();
        for (CorpusManifest.Clip clip : clips) {
            PcmAudio audio = WavFile.read(clip.file());
            Path out = outDir == null ? Files.createTempFile("parley-bench", ".wav") : outDir.resolve(clip.name());
            FileConversation.Result r = FileConversation.run(engines.get(), config, audio, out, outputRate, realtime, SessionListener.NONE);
            if (outDir == null) Files.deleteIfExists(out);
            ClipResult result = measure(clip, r);
            results.add(result);
            progress.accept(result);
        }
        return summarise(results);
    }

    static ClipResult measure(CorpusManifest.Clip clip, FileConversation.Result r) {
        String transcript = String.join(" ", r.turns().stream().map(FileConversation.Turn::transcript).filter(t -> !t.isBlank()).toList());
        long speechEnd = r.input().timeOf(clip.speechEndS());
        // the reply to the whole utterance: the first one whose audio went out after the real end of speech
        FileConversation.Turn answer = r.turns().stream().filter(t -> t.waterfall() != null && t.waterfall().firstAudioOut() > speechEnd)
                .findFirst().orElse(null);
        double e2e = answer == null || speechEnd < 0 ? Double.NaN : (answer.waterfall().firstAudioOut() - speechEnd) / 1e6;
        return new ClipResult(clip.name(), clip.language(), clip.transcript(), transcript,
                WordErrorRate.compute(clip.transcript(), transcript), e2e, answer == null ? null : answer.waterfall(), r.turns().size());
    }

    static Report summarise(List<ClipResult> results) {
        Map<String, List<Double>> series = new LinkedHashMap<>();
        for (String k : List.of("end_to_end", "waterfall_end_to_end", "endpoint", "stt", "dialog", "tts", "out", "after_endpoint")) {
            series.put(k, new ArrayList<>());
        }
        for (ClipResult c : results) {
            if (Double.isNaN(c.endToEndMs()) || c.waterfall() == null) continue;
            Waterfall w = c.waterfall();
            series.get("end_to_end").add(c.endToEndMs());
            series.get("waterfall_end_to_end").add(w.endToEndMs());
            series.get("endpoint").add(w.endpointMs());
            series.get("stt").add(w.sttMs());
            series.get("dialog").add(w.dialogMs());
            series.get("tts").add(w.ttsMs());
            series.get("out").add(w.outMs());
            series.get("after_endpoint").add(w.afterEndpointMs());
        }
        Map<String, Percentiles.Summary> summaries = new LinkedHashMap<>();
        series.forEach((k, v) -> summaries.put(k, Percentiles.of(v.stream().mapToDouble(Double::doubleValue).toArray())));
        WordErrorRate.Result wer = WordErrorRate.sum(results.stream().filter(c -> c.language().equals("en")).map(ClipResult::wer).toList());
        return new Report(List.copyOf(results), summaries, wer);
    }
}

package dev.parley.bench.turns;

import dev.parley.bench.BenchFigures;
import dev.parley.eval.Percentiles;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of a turn-taking benchmark run, as a table for people and as JSON for tools; the goals are printed next
 * to the figures they are about.
 *
 * @param fedMs  the audio all sessions heard; against {@code wallMs} it says how much faster than real time the run was
 * @param wallMs the run's wall-clock time, model loading excluded
 */
public record TurnReport(String corpus, String voice, long seed, double fedMs, double wallMs, List<ModeReport> modes) {

    /** The report as the JSON object {@code --json} prints (the caller adds the date and load average). */
    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("benchmark", "turns");
        m.put("corpus", corpus);
        m.put("seed", seed);
        m.put("audio_s", BenchFigures.round(fedMs / 1000));
        m.put("wall_s", BenchFigures.round(wallMs / 1000));
        m.put("backchannel_audio", "synthesised by the embedded MaryTTS voice " + voice + "; coughs are seeded filtered noise");
        Map<String, Object> byMode = new LinkedHashMap<>();
        for (ModeReport r : modes) byMode.put(r.mode().name(), mode(r));
        m.put("modes", byMode);
        return m;
    }

    private static Map<String, Object> mode(ModeReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("judge", r.judge());
        List<Map<String, Object>> pauses = new ArrayList<>();
        for (ModeReport.PauseFigures f : r.pauseFigures()) pauses.add(pause(f));
        m.put("pauses", pauses);
        m.put("pauses_up_to_1000ms", pause(r.pausesUpToGoal()));
        m.put("endpoint_wait_ms", BenchFigures.summary(r.endpointWaitMs()));
        m.put("waterfall_endpoint_ms", BenchFigures.summary(r.waterfallEndpointMs()));
        m.put("endpoint_cut_before_end", r.endpoints().stream().filter(Outcomes.Endpoint::cut).count());
        m.put("runs", r.runTotals());
        Map<String, Object> bc = new LinkedHashMap<>();
        bc.put("trials", r.validTrials(false).size());
        bc.put("stopped", r.validTrials(false).stream().filter(Outcomes.Backchannel::stopped).count());
        bc.put("stop_rate", BenchFigures.round(100 * r.backchannelStopRate()));
        bc.put("not_counted_reply_not_playing", r.backchannels().stream().filter(b -> !b.playing()).count());
        Map<String, Object> byKind = new LinkedHashMap<>();
        for (Outcomes.Backchannel b : r.validTrials(false)) {
            String kind = b.kind().replaceFirst("#.*", "");
            @SuppressWarnings("unchecked")
            Map<String, Integer> k = (Map<String, Integer>) byKind.computeIfAbsent(kind, x -> new LinkedHashMap<>(Map.of("trials", 0, "stopped", 0)));
            k.merge("trials", 1, Integer::sum);
            k.merge("stopped", b.stopped() ? 1 : 0, Integer::sum);
        }
        bc.put("by_kind", byKind);
        m.put("backchannels", bc);
        Map<String, Object> control = new LinkedHashMap<>();
        control.put("trials", r.validTrials(true).size());
        control.put("stopped", r.validTrials(true).stream().filter(Outcomes.Backchannel::stopped).count());
        control.put("stop_rate", BenchFigures.round(100 * r.requestStopRate()));
        m.put("requests_over_reply", control);
        m.put("goals_met", r.goals());
        m.put("per_recording", perRecording(r));
        return m;
    }

    private static Map<String, Object> pause(ModeReport.PauseFigures f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pause_ms", f.pauseMs());
        m.put("recordings", f.recordings());
        m.put("false_cutoff_reply_pct", BenchFigures.round(100 * f.replyCutRate()));
        m.put("false_cutoff_turn_pct", BenchFigures.round(100 * f.turnCutRate()));
        m.put("one_turn_pct", BenchFigures.round(100 * f.oneTurnRate()));
        m.put("whole_sentence_pct", BenchFigures.round(100 * f.wholeRate()));
        m.put("mean_wer", f.recordings() == 0 ? null : Math.round(f.meanWer() * 1000) / 1000.0);
        return m;
    }

    private static Map<String, Object> perRecording(ModeReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pauses", r.pauses());
        m.put("endpoints", r.endpoints());
        m.put("runs", r.runs());
        m.put("interjections", r.backchannels());
        return m;
    }

    /** The readable table. */
    public void print(PrintWriter o) {
        o.printf("audio %.0f s played in %.0f s (%.1fx real time); corpus %s; seed %d%n", fedMs / 1000, wallMs / 1000,
                fedMs / Math.max(1, wallMs), corpus, seed);
        o.printf("backchannels spoken by the embedded MaryTTS voice %s (the corpus has none); coughs are seeded filtered noise%n", voice);
        for (ModeReport r : modes) {
            o.printf("%n== turn detection: %s (judge: %s)%n", r.mode(), r.judge());
            o.println("sentences with a pause inside     n   reply cut-off  turn ended  one turn  whole sentence  mean WER");
            for (ModeReport.PauseFigures f : r.pauseFigures()) printPause(o, f.pauseMs() + " ms", f);
            ModeReport.PauseFigures upTo = r.pausesUpToGoal();
            printPause(o, "all up to 1000 ms", upTo);
            o.printf("  goal: false cut-offs <= 3 %% for pauses up to 1 s: %s%n", verdict(r.goals().get("false_cutoffs_up_to_1000ms_le_3pct")));
            Percentiles.Summary wait = r.endpointWaitMs(), own = r.waterfallEndpointMs();
            o.println("complete utterances (ms)          n      p50      p95      max");
            o.printf("  end of speech -> end of turn %5d %8.0f %8.0f %8.0f   goal p50 <= 300: %s, p95 <= 450: %s%n", wait.count(), wait.p50(),
                    wait.p95(), wait.max(), verdict(r.goals().get("endpoint_wait_p50_le_300ms")), verdict(r.goals().get("endpoint_wait_p95_le_450ms")));
            o.printf("  session's waterfall endpoint  %5d %8.0f %8.0f %8.0f%n", own.count(), own.p50(), own.p95(), own.max());
            o.printf("  turns ended before the real end of speech: %d of %d clips%n",
                    r.endpoints().stream().filter(Outcomes.Endpoint::cut).count(), r.endpoints().size());
            Map<String, Integer> runs = r.runTotals();
            o.printf("runs of sentences (1.5-2.5 s apart): %d sentences in %d runs: %d their own turn, %d transcribed twice, %d cut, %d missed%n",
                    runs.get("sentences"), r.runs().size(), runs.get("own_turn"), runs.get("transcribed_twice"), runs.get("cut"), runs.get("missed"));
            o.printf("over a playing reply: backchannels and coughs stopped it %d of %d (%s)   goal <= 5 %%: %s%n",
                    r.validTrials(false).stream().filter(Outcomes.Backchannel::stopped).count(), r.validTrials(false).size(),
                    pct(r.backchannelStopRate()), verdict(r.goals().get("backchannel_stops_le_5pct")));
            o.printf("                      a real request stopped it %d of %d (%s)   should be ~100 %%%n",
                    r.validTrials(true).stream().filter(Outcomes.Backchannel::stopped).count(), r.validTrials(true).size(), pct(r.requestStopRate()));
            long skipped = r.backchannels().stream().filter(b -> !b.playing()).count();
            if (skipped > 0) o.printf("  (%d trials not counted: the reply was not playing when the interjection came)%n", skipped);
        }
    }

    private static void printPause(PrintWriter o, String label, ModeReport.PauseFigures f) {
        o.printf("  %-28s %5d %14s %11s %9s %15s %9s%n", label, f.recordings(), pct(f.replyCutRate()), pct(f.turnCutRate()),
                pct(f.oneTurnRate()), pct(f.wholeRate()), Double.isNaN(f.meanWer()) ? "-" : String.format("%.3f", f.meanWer()));
    }

    private static String pct(double rate) {
        return Double.isNaN(rate) ? "-" : String.format("%.1f %%", 100 * rate);
    }

    private static String verdict(Boolean met) {
        return met == null ? "not measured" : met ? "met" : "MISSED";
    }
}

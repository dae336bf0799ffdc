package dev.parley.bench;

import dev.parley.eval.CorpusManifest;
import dev.parley.session.VoiceSession;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a corpus run of {@code parley bench} is given, whichever way the clips go.
 *
 * @param clips  the corpus's clips (already cut to {@code --limit})
 * @param outDir {@code --out}: where the charts and {@code results.json} go (created), or null
 * @param json   print one JSON object instead of the tables
 * @param warmup {@code --warmup}: clips run first and not counted, or null for the mode's default
 * @param out    the results
 * @param err    progress, one line per clip, unless {@code json}
 */
public record BenchRun(List<CorpusManifest.Clip> clips, Path outDir, boolean json, Integer warmup, PrintWriter out, PrintWriter err) {

    /** Loads the engines when the run is ready for them (it may time that) and gives each session's. */
    public interface EngineLoader {
        Supplier<VoiceSession.Engines> load();
    }
}

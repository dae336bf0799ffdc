package dev.parley.cli;

import dev.parley.bench.load.ClipStream;
import dev.parley.eval.CorpusManifest;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The corpus the synthetic callers of loadtest and soak speak, and how many of its clips. */
final class CorpusOptions {
    @Option(names = "--corpus", paramLabel = "DIR", defaultValue = "../shared/corpus/dev",
            description = "Folder with manifest.tsv. Default: ${DEFAULT-VALUE}.")
    Path corpus;

    @Option(names = "--limit", paramLabel = "N", description = "Only the first N clips.")
    Integer limit;

    void validate() {
        if (limit != null && limit < 1) throw new UserError("invalid setting: --limit must be at least 1");
    }

    /** The clips of the corpus's manifest (the first {@code --limit}, when given), ready to stream. */
    List<ClipStream> clips() {
        List<CorpusManifest.Clip> list;
        try {
            list = CorpusManifest.read(corpus);
        } catch (IOException e) {
            throw new UserError("cannot read the corpus: " + e.getMessage(), e);
        }
        if (limit != null) list = list.subList(0, Math.min(limit, list.size()));
        if (list.isEmpty()) throw new UserError("the corpus " + corpus + " has no clips");
        List<ClipStream> clips = new ArrayList<>();
        for (CorpusManifest.Clip c : list) {
            if (!(c.speechEndS() > c.speechStartS()) || c.speechStartS() < 0) {
                throw new UserError("the corpus clip " + c.name() + " has no speech span (speech_start_s " + c.speechStartS()
                        + ", speech_end_s " + c.speechEndS() + ")");
            }
            if (!Files.isRegularFile(c.file())) throw new UserError("the corpus clip " + c.file() + " does not exist");
            try {
                clips.add(ClipStream.of(c));
            } catch (IOException | RuntimeException e) {
                throw new UserError("cannot read the corpus clip " + c.file() + ": " + e.getMessage(), e);
            }
        }
        return clips;
    }
}

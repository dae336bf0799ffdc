package dev.parley.cli;

import dev.parley.embedded.EmbeddedStack;
import dev.parley.session.VoiceSession;
import picocli.CommandLine.Mixin;

import java.util.function.Supplier;

/**
 * The options of a command that measures the embedded models in this process (bench, loadtest): the brain, then the
 * pipeline, in that order in its help; and the engines they name.
 */
final class LocalEngineOptions {
    @Mixin
    BrainOptions brain;

    @Mixin
    PipelineOptions pipeline;

    /** Loads the embedded models of the pipeline's voice and the brain now; each call of the result gives one new session's engines. */
    Supplier<VoiceSession.Engines> load() {
        StartupLoader.Embedded loaded = StartupLoader.embedded(pipeline.voice, brain);
        EmbeddedStack stack = loaded.stack();
        Brains brains = loaded.brains();
        return () -> stack.engines(brains.newDialog());
    }
}

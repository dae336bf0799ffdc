package dev.parley.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

/**
 * What every command that holds a conversation (ask, reply, serve, talk) shares: the brain, provider and pipeline
 * options, in that order in its help, the command's own output streams, and the stages and brain those options name.
 */
final class ConversationOptions {
    @Mixin
    BrainOptions brain;

    @Mixin
    ProviderOptions providers;

    @Mixin
    PipelineOptions pipeline;

    /** The command this is mixed into (not the mixin's own spec): its output streams are the ones set on the command line. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    PrintWriter out() {
        return command.commandLine().getOut();
    }

    PrintWriter err() {
        return command.commandLine().getErr();
    }

    /** The speech stages of the provider options with the pipeline's voice, made once per process. */
    Stages stages() {
        return Stages.open(providers, pipeline.voice, false);
    }

    /** The brain of the brain options, the LLM with the providers' timeouts and fallback. */
    Brains brains() {
        return Brains.open(brain, providers);
    }

    /** The stages and the brain, loaded in parallel ({@link StartupLoader}): what every session of the command runs on. */
    Assistant open() {
        StartupLoader.Loaded loaded = StartupLoader.open(providers, pipeline.voice, pipeline.wake().enabled(), brain);
        return new Assistant(loaded.stages(), loaded.brains());
    }
}

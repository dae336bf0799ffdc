package dev.parley.cli;

import dev.parley.audio.PcmAudio;
import dev.parley.audio.WavFile;
import dev.parley.audio.WavFormatException;
import dev.parley.recording.FileConversation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "reply", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Answer a recording: IN.wav (any rate, any channels) goes through the whole loop like a microphone,",
                "the spoken reply goes to OUT.wav, and every turn's transcript, reply and latency waterfall is printed."})
final class ReplyCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IN.wav", description = "The recording to answer.")
    Path input;

    @Option(names = "--out", required = true, paramLabel = "OUT.wav", description = "Where to write the spoken reply.")
    Path output;

    @Option(names = "--json", description = "Print one JSON object per turn on stdout (and nothing else there).")
    boolean json;

    @Option(names = "--fast", description = "Feed the recording as fast as possible instead of in real time.")
    boolean fast;

    @Mixin
    BrainOptions brainOptions;

    @Mixin
    ProviderOptions providers;

    @Mixin
    PipelineOptions pipeline;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PcmAudio recording = read(input);
        var config = pipeline.sessionConfig();
        int rate = pipeline.outputRate();
        Path parent = output.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) throw new UserError("cannot write " + output + ": folder " + parent + " does not exist");
        var loaded = StartupLoader.open(providers, pipeline.voice, brainOptions);
        Stages stages = loaded.stages();
        Brains brains = loaded.brains();
        TurnReporter reporter = new TurnReporter(spec.commandLine().getOut(), spec.commandLine().getErr(), json, false);
        FileConversation.Result result;
        try {
            result = FileConversation.run(stages.engines(brains.newDialog()), config,
                    recording, output, rate, !fast, reporter);
        } catch (IOException e) {
            throw new UserError("cannot write " + output + ": " + e.getMessage(), e);
        }
        if (result.turns().isEmpty()) {
            spec.commandLine().getErr().println("parley: no speech heard in " + input + "; " + output + " holds no reply");
        }
        return 0;
    }

    static PcmAudio read(Path file) {
        PcmAudio audio;
        try {
            audio = WavFile.read(file);
        } catch (WavFormatException e) {
            throw new UserError(e.getMessage(), e);
        } catch (NoSuchFileException e) {
            throw new UserError(file + " does not exist", e);
        } catch (AccessDeniedException e) {
            throw new UserError("cannot read " + file + ": permission denied", e);
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (audio.isEmpty()) throw new UserError(file + " holds no audio");
        return audio;
    }
}

package dev.parley.cli;

import dev.parley.audio.PcmAudio;
import dev.parley.dialog.RuleBasedDialog;
import dev.parley.providers.EmbeddedStack;
import dev.parley.session.VoiceSession;
import dev.parley.transport.SoundDevices;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

@Command(name = "talk", sortOptions = false,
        description = {"Talk with Parley through the microphone and speaker. Ctrl-C ends the conversation.",
                "Use headphones: without echo cancellation the microphone hears the replies and interrupts them."})
final class TalkCommand implements Callable<Integer> {
    private static final int CHUNK_MS = 20;

    @Mixin
    PipelineOptions pipeline;

    @Override
    public Integer call() throws Exception {
        var config = pipeline.sessionConfig();
        int rate = pipeline.outputRate();
        // Devices first: no point loading models on a machine that cannot listen or speak.
        try (SoundDevices.Microphone mic = SoundDevices.openMicrophone(200);
             SoundDevices.Speaker speaker = SoundDevices.openSpeaker(rate, 200);
             EmbeddedStack stack = Startup.embedded(pipeline.voice);
             ExecutorService replies = Executors.newVirtualThreadPerTaskExecutor();
             VoiceSession session = new VoiceSession(stack.engines(new RuleBasedDialog(Clock.systemDefaultZone())),
                     speaker, config, new TurnReporter(System.out, System.err, false, true), System::nanoTime, replies)) {
            System.err.println("Listening (" + mic.sampleRate() + " Hz microphone). Speak; Ctrl-C to stop.");
            while (!Thread.currentThread().isInterrupted()) {
                PcmAudio chunk = mic.read(CHUNK_MS);
                if (chunk.isEmpty()) break;
                session.accept(chunk);
            }
        } catch (SoundDevices.NoDeviceException e) {
            throw new UserError(e.getMessage(), e);
        }
        return 0;
    }
}

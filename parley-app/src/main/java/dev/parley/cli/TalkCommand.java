package dev.parley.cli;

import dev.parley.audio.PcmAudio;
import dev.parley.session.VoiceSession;
import dev.parley.terminal.Earcon;
import dev.parley.terminal.SoundDevices;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

@Command(name = "talk", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Talk with Parley through the microphone and speaker. Ctrl-C ends the conversation.",
                "Use headphones: without echo cancellation the microphone hears the replies and interrupts them."})
final class TalkCommand implements Callable<Integer> {
    private static final int CHUNK_MS = 20;

    @Mixin
    ConversationOptions conversation;

    @Override
    public Integer call() throws Exception {
        var config = conversation.pipeline.sessionConfig();
        int rate = conversation.pipeline.outputRate();
        // Devices first: no point loading models on a machine that cannot listen or speak.
        try (SoundDevices.Microphone mic = SoundDevices.openMicrophone(200);
             SoundDevices.Speaker speaker = SoundDevices.openSpeaker(rate, 200)) {
            talk(mic, speaker, config);
        } catch (SoundDevices.NoDeviceException e) {
            throw new UserError(e.getMessage(), e);
        }
        return 0;
    }

    private void talk(SoundDevices.Microphone mic, SoundDevices.Speaker speaker, dev.parley.session.SessionConfig config) throws Exception {
        Assistant assistant = conversation.open();
        Brains brains = assistant.brains();
        var engines = assistant.newSession();
        TurnReporter reporter = new TurnReporter(conversation.out(), conversation.err(), false, true);
        KeptConversation kept = new KeptConversation(brains.historyFile());
        java.util.concurrent.atomic.AtomicReference<VoiceSession> opened = new java.util.concurrent.atomic.AtomicReference<>();
        try (ExecutorService replies = Executors.newVirtualThreadPerTaskExecutor();
             VoiceSession session = new VoiceSession(engines, speaker, config, event -> {
                 reporter.on(event);
                 // off the session's lock: the speaker blocks while it plays
                 if (event instanceof dev.parley.session.SessionEvent.Woke) replies.execute(() -> speaker.write(Earcon.chime(speaker.sampleRate())));
                 if (event instanceof dev.parley.session.SessionEvent.TurnCompleted && opened.get() != null) kept.save(opened.get());
             }, System::nanoTime, replies)) {
            opened.set(session);
            kept.restore(session);
            conversation.err().println(assistant.description());
            conversation.err().println("Listening (" + mic.sampleRate() + " Hz microphone). "
                    + (config.wake().enabled() ? "Say " + String.join(" or ", config.wake().phrases().stream().map(p -> "\"" + p + "\"").toList())
                    + " and then your request" : "Speak") + "; Ctrl-C to stop.");
            while (!Thread.currentThread().isInterrupted()) {
                PcmAudio chunk = mic.read(CHUNK_MS);
                if (chunk.isEmpty()) break;
                session.accept(chunk);
            }
            kept.save(session);
        }
    }
}

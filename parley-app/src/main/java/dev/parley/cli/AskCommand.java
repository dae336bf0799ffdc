package dev.parley.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.audio.PcmAudio;
import dev.parley.audio.Resampler;
import dev.parley.audio.WavFile;
import dev.parley.dialog.Dialog;
import dev.parley.dialog.DialogContext;
import dev.parley.failover.Failover;
import dev.parley.failover.ProviderEvents;
import dev.parley.failover.ProviderTiming;
import dev.parley.dialog.DialogException;
import dev.parley.dialog.Message;
import dev.parley.dialog.TextStream;
import dev.parley.tts.SentenceChunker;
import dev.parley.tts.SpeechSynthesizer;
import dev.parley.tts.TtsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "ask", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"One typed turn through the brain: prints the reply (the skills answer by default; see --brain).",
                "With --speak the reply is also spoken into a WAV file."})
final class AskCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "TEXT", description = "What you say to Parley.")
    String text;

    @Option(names = "--json", description = "Print {\"reply\": ..., \"first_token_ms\": ...} on stdout instead of the plain reply.")
    boolean json;

    @Option(names = "--speak", paramLabel = "OUT.wav", description = "Also write the spoken reply to this file.")
    Path speak;

    @Mixin
    ConversationOptions conversation;

    @Override
    public Integer call() throws Exception {
        if (text.isBlank()) throw new UserError("nothing to ask: TEXT is empty");
        if (speak != null) {
            Path parent = speak.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) throw new UserError("cannot write " + speak + ": folder " + parent + " does not exist");
        }
        int outputRate = conversation.pipeline.outputRate();
        Brains brains = conversation.brains();
        KeptConversation kept = new KeptConversation(brains.historyFile());
        List<Message> history = new ArrayList<>(kept.load());

        long start = System.nanoTime();
        long firstToken = -1;
        StringBuilder reply = new StringBuilder();
        PrintWriter err = conversation.err();
        try (Dialog dialog = brains.newDialog()) {
            dialog.attach(new DialogContext() {
                @Override
                public void say(String unprompted) {
                }

                @Override
                public ProviderEvents providers() {
                    return new ProviderEvents() {
                        @Override
                        public void timing(ProviderTiming timing) {
                        }

                        @Override
                        public void failover(Failover failover) {
                            err.println("parley: " + failover.message());
                        }
                    };
                }
            });
            try (TextStream stream = dialog.respond(List.copyOf(history), text.strip())) {
                for (String piece; (piece = stream.next()) != null; ) {
                    if (firstToken < 0) firstToken = System.nanoTime() - start;
                    reply.append(piece);
                }
            }
        } catch (DialogException e) {
            throw new UserError(e.getMessage(), e);
        }
        String said = reply.toString().strip();
        history.add(Message.user(text.strip()));
        if (!said.isEmpty()) history.add(Message.assistant(said));
        try {
            kept.write(history);
        } catch (IOException e) {
            throw new UserError("cannot save the conversation " + brains.historyFile() + ": " + e.getMessage(), e);
        }
        if (speak != null) write(speak, said, outputRate);

        PrintWriter out = conversation.out();
        if (json) {
            ObjectNode o = new ObjectMapper().createObjectNode();
            o.put("reply", said);
            if (firstToken >= 0) o.put("first_token_ms", Math.round(firstToken / 1e5) / 10.0);
            out.println(o);
        } else {
            out.println(said);
        }
        out.flush();
        return 0;
    }

    /** Speaks the reply phrase by phrase, as a session would, into a WAV file at the output rate. */
    private void write(Path file, String reply, int rate) {
        SpeechSynthesizer tts = conversation.stages().tts();
        SentenceChunker chunker = new SentenceChunker();
        List<String> phrases = new ArrayList<>(chunker.add(reply));
        phrases.addAll(chunker.flush());
        List<PcmAudio> chunks = new ArrayList<>();
        try {
            for (String phrase : phrases) tts.synthesize(phrase, chunks::add, () -> false);
        } catch (TtsException e) {
            throw new UserError(e.getMessage(), e);
        }
        PcmAudio audio = chunks.isEmpty() ? new PcmAudio(new short[0], rate) : Resampler.convert(PcmAudio.concat(chunks), rate);
        try {
            WavFile.write(file, audio);
        } catch (IOException e) {
            throw new UserError("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}

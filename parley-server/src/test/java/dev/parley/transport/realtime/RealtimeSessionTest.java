package dev.parley.transport.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.audio.PcmAudio;
import dev.parley.audio.Resampler;
import dev.parley.dialog.Dialog;
import dev.parley.dialog.Message;
import dev.parley.dialog.TextStream;
import dev.parley.failover.ProviderEvents;
import dev.parley.session.SessionConfig;
import dev.parley.session.VoiceSession;
import dev.parley.stt.RecognitionStream;
import dev.parley.stt.SpeechRecognizer;
import dev.parley.stt.Transcript;
import dev.parley.testing.Patience;
import dev.parley.testing.Fakes.FakeClock;
import dev.parley.testing.Fakes.LoudnessVad;
import dev.parley.testing.Fakes.Script;
import dev.parley.testing.Fakes.ScriptedStt;
import dev.parley.testing.Fakes.ScriptedWake;
import dev.parley.turn.TurnCompletion;
import dev.parley.testing.Fakes.ToneTts;
import dev.parley.tts.SpeechSynthesizer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;


/**
 * The protocol over scripted engines: no sockets, a fake clock, and (where possible) replies run on the calling
 * thread, so every event sequence is exact.
 */
class RealtimeSessionTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FakeClock clock = new FakeClock();
    private final List<JsonNode> sent = new ArrayList<>();

    private final Outbox outbox = json -> {
        synchronized (sent) {
            try {
                sent.add(JSON.readTree(json));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    };

    private RealtimeSession session(SpeechRecognizer stt, Dialog dialog, SpeechSynthesizer tts, java.util.concurrent.Executor executor) {
        return session(new VoiceSession.Engines(new LoudnessVad(), stt, dialog, tts), executor);
    }

    private RealtimeSession session(VoiceSession.Engines engines, java.util.concurrent.Executor executor) {
        RealtimeSession s = new RealtimeSession("sess_test", engines,
                SessionConfig.DEFAULT, SessionSettings.defaults("gpt-realtime", "alloy", SessionConfig.DEFAULT), outbox,
                RealtimeMetrics.NONE, clock::nanoTime, executor, SessionBudget.DEFAULT.withMaxEventChars(64 * 1024));
        s.start();
        return s;
    }

    private List<String> types() {
        synchronized (sent) {
            return sent.stream().map(e -> e.path("type").asText()).toList();
        }
    }

    private List<JsonNode> sent(String type) {
        synchronized (sent) {
            return sent.stream().filter(e -> e.path("type").asText().equals(type)).toList();
        }
    }

    /** Sends 16 kHz script audio as 24 kHz appends of 20 ms, moving the clock like a live microphone. */
    private void speak(RealtimeSession s, PcmAudio audio16k) {
        PcmAudio a = Resampler.convert(audio16k, 24_000);
        for (int i = 0; i < a.length(); i += 480) {
            PcmAudio piece = a.slice(i, Math.min(a.length(), i + 480));
            clock.advanceNanos(piece.durationNanos());
            s.onMessage("{\"type\":\"input_audio_buffer.append\",\"audio\":\"" + Base64.getEncoder().encodeToString(piece.toLittleEndianBytes()) + "\"}");
        }
    }

    private static Dialog says(String reply) {
        return (history, text) -> TextStream.of(reply);
    }

    @Test
    void theSessionIsAnnouncedFirstAndUpdatesAreEchoedInFull() {
        RealtimeSession s = session(new ScriptedStt(clock, 0), says("ok"), new ToneTts(clock, 0), Runnable::run);
        assertThat(types()).containsExactly("session.created");
        JsonNode created = sent.getFirst().path("session");
        assertThat(created.path("id").asText()).isEqualTo("sess_test");
        assertThat(created.at("/audio/input/format/type").asText()).isEqualTo("audio/pcm");
        assertThat(created.at("/audio/input/format/rate").asInt()).isEqualTo(24000);
        assertThat(created.at("/audio/input/turn_detection/type").asText()).isEqualTo("server_vad");
        assertThat(created.at("/audio/input/turn_detection/silence_duration_ms").asInt()).isEqualTo(300);

        s.onMessage("""
                {"type":"session.update","session":{"type":"realtime","instructions":"Be brief.",
                 "audio":{"input":{"turn_detection":{"type":"semantic_vad","eagerness":"low"}},"output":{"voice":"marin"}}}}""");
        JsonNode updated = sent("session.updated").getFirst().path("session");
        assertThat(updated.path("instructions").asText()).isEqualTo("Be brief.");
        assertThat(updated.at("/audio/output/voice").asText()).isEqualTo("marin");
        assertThat(updated.at("/audio/input/turn_detection/type").asText()).isEqualTo("semantic_vad");
        assertThat(updated.at("/audio/input/turn_detection/silence_duration_ms").asInt()).isEqualTo(800);

        s.onMessage("{\"type\":\"session.update\",\"event_id\":\"e9\",\"session\":{\"audio\":{\"output\":{\"format\":{\"type\":\"audio/pcm\",\"rate\":12345}}}}}");
        JsonNode error = sent("error").getFirst().path("error");
        assertThat(error.path("code").asText()).isEqualTo("unsupported_format");
        assertThat(error.path("param").asText()).isEqualTo("session.audio.output.format.rate");
        assertThat(error.path("event_id").asText()).isEqualTo("e9");
        assertThat(sent("session.updated")).hasSize(1);
    }

    @Test
    void wakeWordsComeThroughParleysExtensionAndOnlyTheWordsAfterThePhraseAreAnswered() {
        ScriptedWake detector = new ScriptedWake(900, 720);
        List<String> asked = new ArrayList<>();
        Dialog dialog = (history, text) -> {
            asked.add(text.text());
            return TextStream.of("It is noon.");
        };
        RealtimeSession s = session(new VoiceSession.Engines(new LoudnessVad(), new ScriptedStt(clock, 0, "what time is it"), dialog,
                new ToneTts(clock, 0), TurnCompletion.SILENCE, detector), Runnable::run);
        s.onMessage("""
                {"type":"session.update","session":{"parley":{"wake_words":["Computer"],"follow_up_ms":5000}}}""");
        JsonNode updated = sent("session.updated").getFirst().path("session");
        assertThat(updated.at("/parley/wake_words/0").asText()).isEqualTo("computer");
        assertThat(updated.at("/parley/follow_up_ms").asInt()).isEqualTo(5000);
        assertThat(detector.phrases).containsExactly("computer");

        speak(s, new Script().silence(320).speech(1200).silence(700).build());
        List<String> types = types();
        assertThat(types.indexOf("parley.wake")).isPositive().isLessThan(types.indexOf("input_audio_buffer.speech_started"));
        JsonNode wake = sent("parley.wake").getFirst();
        assertThat(wake.path("word").asText()).isEqualTo("computer");
        assertThat(wake.path("audio_end_ms").asLong()).isEqualTo(720);
        assertThat(sent("input_audio_buffer.committed")).hasSize(1);
        assertThat(asked).containsExactly("what time is it");
        assertThat(sent("response.done").getFirst().at("/response/status").asText()).isEqualTo("completed");
    }

    @Test
    void wakeWordsTheDetectorCannotHearAreAnErrorAndTheSessionKeepsItsSettings() {
        RealtimeSession s = session(new ScriptedStt(clock, 0, "hello"), says("hi"), new ToneTts(clock, 0), Runnable::run);
        s.onMessage("{\"type\":\"session.update\",\"event_id\":\"w1\",\"session\":{\"parley\":{\"wake_words\":[\"computer\"]}}}");
        JsonNode error = sent("error").getFirst().path("error");
        assertThat(error.path("code").asText()).isEqualTo("invalid_value");
        assertThat(error.path("param").asText()).isEqualTo("session.parley.wake_words");
        assertThat(error.path("message").asText()).contains("wake-word detector");
        assertThat(error.path("event_id").asText()).isEqualTo("w1");
        for (String bad : new String[]{"{\"wake_words\":\"computer\"}", "{\"wake_words\":[1]}", "{\"follow_up_ms\":-5}", "[]"}) {
            s.onMessage("{\"type\":\"session.update\",\"session\":{\"parley\":" + bad + "}}");
        }
        assertThat(sent("error")).hasSize(5).allSatisfy(e -> assertThat(e.at("/error/code").asText()).isEqualTo("invalid_value"));
        assertThat(sent("session.updated")).isEmpty();

        speak(s, new Script().silence(320).speech(600).silence(700).build());
        assertThat(sent("response.done")).as("still answering every utterance").hasSize(1);
    }

    @Test
    void aG711TurnHearsMuLawAndAnswersInALaw() {
        ScriptedStt stt = new ScriptedStt(clock, 0, "what time is it");
        RealtimeSession s = session(stt, says("It is noon."), new ToneTts(clock, 0), Runnable::run);
        s.onMessage("""
                {"type":"session.update","session":{"audio":{"input":{"format":{"type":"audio/pcmu"}},"output":{"format":{"type":"audio/pcma","rate":8000}}}}}""");
        JsonNode updated = sent("session.updated").getFirst().path("session");
        assertThat(updated.at("/audio/input/format/type").asText()).isEqualTo("audio/pcmu");
        assertThat(updated.at("/audio/output/format/type").asText()).isEqualTo("audio/pcma");

        // the script's tone, at 8 kHz in μ-law: one byte a sample, 20 ms appends
        PcmAudio at8k = Resampler.convert(new Script().silence(320).speech(600).silence(700).build(), 8_000);
        for (int i = 0; i < at8k.length(); i += 160) {
            PcmAudio piece = at8k.slice(i, Math.min(at8k.length(), i + 160));
            clock.advanceNanos(piece.durationNanos());
            byte[] ulaw = dev.parley.audio.G711.encode(dev.parley.audio.G711.Law.ULAW, piece.samples());
            s.onMessage("{\"type\":\"input_audio_buffer.append\",\"audio\":\"" + Base64.getEncoder().encodeToString(ulaw) + "\"}");
        }
        assertThat(sent("error")).isEmpty();
        assertThat(stt.samplesPerUtterance).hasSize(1);
        assertThat(sent("response.done")).hasSize(1);
        long bytes = 0;
        short peak = 0;
        for (JsonNode d : sent("response.output_audio.delta")) {
            byte[] alaw = Base64.getDecoder().decode(d.path("delta").asText());
            bytes += alaw.length;
            for (short v : dev.parley.audio.G711.decode(dev.parley.audio.G711.Law.ALAW, alaw)) peak = (short) Math.max(peak, Math.abs(v));
        }
        // ToneTts: 100 ms of level 1000 a word, "It is noon." three words, 8000 one-byte samples a second
        assertThat(bytes).isEqualTo(3 * 800);
        assertThat(peak).isBetween((short) 900, (short) 1100);
        assertThat(sent("response.done").getFirst().at("/response/audio/output/format/type").asText()).isEqualTo("audio/pcma");
    }

    @Test
    void opusFromTheBrowserIsDecodedPacketByPacket() throws Exception {
        ScriptedStt stt = new ScriptedStt(clock, 0, "what time is it");
        RealtimeSession s = session(stt, says("It is noon."), new ToneTts(clock, 0), Runnable::run);
        s.onMessage("{\"type\":\"session.update\",\"session\":{\"audio\":{\"input\":{\"format\":{\"type\":\"audio/opus\",\"rate\":24000}}}}}");
        assertThat(sent("session.updated").getFirst().at("/session/audio/input/format/type").asText()).isEqualTo("audio/opus");
        // as WebCodecs sends it: 20 ms packets at 24 kbit/s, five to an append, each after its length
        var encoder = new io.github.jaredmdobson.concentus.OpusEncoder(24_000, 1, io.github.jaredmdobson.concentus.OpusApplication.OPUS_APPLICATION_VOIP);
        encoder.setBitrate(24_000);
        PcmAudio at24 = Resampler.convert(new Script().silence(320).speech(600).silence(700).build(), 24_000);
        long wireBytes = 0;
        java.io.ByteArrayOutputStream append = new java.io.ByteArrayOutputStream();
        byte[] packet = new byte[1500];
        for (int i = 0, packets = 0; i + 480 <= at24.length(); i += 480) {
            int n = encoder.encode(at24.samples(), i, 480, packet, 0, packet.length);
            append.write(n >> 8);
            append.write(n & 0xff);
            append.write(packet, 0, n);
            if (++packets % 5 == 0) {
                clock.advanceNanos(100_000_000);
                String event = "{\"type\":\"input_audio_buffer.append\",\"audio\":\"" + Base64.getEncoder().encodeToString(append.toByteArray()) + "\"}";
                wireBytes += event.length();
                s.onMessage(event);
                append.reset();
            }
        }
        assertThat(sent("error")).isEmpty();
        assertThat(stt.samplesPerUtterance).hasSize(1);
        assertThat(sent("response.done")).hasSize(1);
        double kbps = wireBytes * 8 / (at24.durationSeconds() * 1000);
        assertThat(kbps).as("the appends on the wire, base64 and JSON included").isLessThan(40);

        s.onMessage("{\"type\":\"input_audio_buffer.append\",\"audio\":\"" + Base64.getEncoder().encodeToString(new byte[]{0, 9, 1, 2}) + "\"}");
        s.onMessage("{\"type\":\"input_audio_buffer.append\",\"audio\":\"" + Base64.getEncoder().encodeToString(new byte[]{0}) + "\"}");
        assertThat(sent("error")).extracting(e -> e.at("/error/code").asText()).containsExactly("invalid_audio", "invalid_audio");
        s.onMessage("{\"type\":\"session.update\",\"session\":{\"audio\":{\"output\":{\"format\":{\"type\":\"audio/opus\"}}}}}");
        assertThat(sent("error").getLast().at("/error/code").asText()).isEqualTo("unsupported_format");
    }

    @Test
    void formatsParleyCannotSpeakAreRefusedByName() {
        RealtimeSession s = session(new ScriptedStt(clock, 0), says("ok"), new ToneTts(clock, 0), Runnable::run);
        s.onMessage("{\"type\":\"session.update\",\"session\":{\"audio\":{\"input\":{\"format\":{\"type\":\"audio/pcmu\",\"rate\":16000}}}}}");
        s.onMessage("{\"type\":\"session.update\",\"session\":{\"audio\":{\"output\":{\"format\":{\"type\":\"audio/opus\"}}}}}");
        s.onMessage("{\"type\":\"session.update\",\"session\":{\"input_audio_format\":\"g711_alaw\",\"output_audio_format\":\"g711_ulaw\"}}");
        List<JsonNode> errors = sent("error");
        assertThat(errors).extracting(e -> e.at("/error/param").asText())
                .containsExactly("session.audio.input.format.rate", "session.audio.output.format.type");
        assertThat(errors).allSatisfy(e -> assertThat(e.at("/error/code").asText()).isEqualTo("unsupported_format"));
        JsonNode beta = sent("session.updated").getFirst().path("session");
        assertThat(beta.at("/audio/input/format/type").asText()).isEqualTo("audio/pcma");
        assertThat(beta.at("/audio/output/format/type").asText()).isEqualTo("audio/pcmu");
    }

    @Test
    void itemsCanBeRetrievedAndDeletedAndWhatIsDeletedLeavesTheDialogsHistory() {
        List<List<Message>> histories = new ArrayList<>();
        List<String> asked = new ArrayList<>();
        Dialog dialog = (history, text) -> {
            histories.add(List.copyOf(history));
            asked.add(text.text());
            return TextStream.of("Noted.");
        };
        RealtimeSession s = session(new ScriptedStt(clock, 0, "what time is it"), dialog, new ToneTts(clock, 0), Runnable::run);
        s.onMessage("""
                {"type":"conversation.item.create","item":{"id":"note_1","type":"message","role":"user","content":[{"type":"input_text","text":"my locker is 42"}]}}""");
        s.onMessage("""
                {"type":"conversation.item.create","item":{"id":"note_2","type":"message","role":"user","content":[{"type":"input_text","text":"I like tea"}]}}""");
        s.onMessage("{\"type\":\"conversation.item.retrieve\",\"event_id\":\"r1\",\"item_id\":\"note_1\"}");
        JsonNode retrieved = sent("conversation.item.retrieved").getFirst();
        assertThat(retrieved.at("/item/id").asText()).isEqualTo("note_1");
        assertThat(retrieved.at("/item/content/0/text").asText()).isEqualTo("my locker is 42");

        s.onMessage("{\"type\":\"conversation.item.delete\",\"item_id\":\"note_1\"}");
        assertThat(sent("conversation.item.deleted")).extracting(e -> e.path("item_id").asText()).containsExactly("note_1");
        speak(s, new Script().silence(320).speech(600).silence(700).build());
        assertThat(histories).hasSize(1);
        assertThat(histories.getFirst()).extracting(Message::text).containsExactly("I like tea");

        // the spoken turn's items: the reply, once done, can go too, and the next reply no longer sees it
        String reply = sent("response.done").getFirst().at("/response/output/0/id").asText();
        s.onMessage("{\"type\":\"conversation.item.delete\",\"item_id\":\"" + reply + "\"}");
        s.onMessage("{\"type\":\"response.create\"}");
        // without the reply, the user's words are the last message again: answered anew, with the same history
        assertThat(asked).containsExactly("what time is it", "what time is it");
        assertThat(histories.get(1)).extracting(Message::text).containsExactly("I like tea");

        s.onMessage("{\"type\":\"conversation.item.retrieve\",\"event_id\":\"r2\",\"item_id\":\"note_1\"}");
        s.onMessage("{\"type\":\"conversation.item.delete\",\"item_id\":\"nope\"}");
        s.onMessage("{\"type\":\"conversation.item.delete\"}");
        assertThat(sent("error")).extracting(e -> e.at("/error/code").asText())
                .containsExactly("item_not_found", "item_not_found", "missing_required_parameter");
        assertThat(sent("error").getFirst().at("/error/event_id").asText()).isEqualTo("r2");
    }

    @Test
    void aRecogniserThatFailsMarksTheUsersItemAsNotTranscribed() {
        SpeechRecognizer failing = events -> new RecognitionStream() {
            @Override
            public String accept(short[] pcm, int offset, int length) {
                throw new IllegalStateException("the recogniser's model is gone");
            }

            @Override
            public Transcript finish() {
                throw new IllegalStateException("the recogniser's model is gone");
            }

            @Override
            public void close() {
            }
        };
        RealtimeSession s = session(failing, says("ok"), new ToneTts(clock, 0), Runnable::run);
        speak(s, new Script().silence(320).speech(600).silence(700).build());
        JsonNode failed = sent("conversation.item.input_audio_transcription.failed").getFirst();
        assertThat(failed.path("item_id").asText()).isEqualTo(sent("input_audio_buffer.speech_started").getFirst().path("item_id").asText());
        assertThat(failed.at("/error/type").asText()).isEqualTo("transcription_error");
        assertThat(failed.at("/error/message").asText()).contains("model is gone");
    }

    @Test
    void eachSessionSpeaksWithTheVoiceItChoseAndAnUnknownVoiceIsAnError() {
        // two voices told apart by their level; OpenAI's names are not in this catalog
        java.util.Map<String, SpeechSynthesizer> voices = java.util.Map.of("low", level(1000), "high", level(3000));
        dev.parley.tts.VoiceCatalog catalog = new dev.parley.tts.VoiceCatalog() {
            @Override
            public SpeechSynthesizer voice(String name) {
                SpeechSynthesizer v = voices.get(name);
                if (v == null) throw new IllegalArgumentException("no voice \"" + name + "\": the voices are low, high");
                return v;
            }

            @Override
            public List<String> names() {
                return List.of("low", "high");
            }
        };
        RealtimeSession s = session(new VoiceSession.Engines(new LoudnessVad(), new ScriptedStt(clock, 0, "hello"), says("Hi."),
                new dev.parley.tts.ChosenVoice(catalog)), Runnable::run);
        s.onMessage("{\"type\":\"session.update\",\"event_id\":\"v1\",\"session\":{\"audio\":{\"output\":{\"voice\":\"robot\"}}}}");
        JsonNode error = sent("error").getFirst().path("error");
        assertThat(error.path("code").asText()).isEqualTo("invalid_value");
        assertThat(error.path("param").asText()).isEqualTo("session.audio.output.voice");
        assertThat(error.path("message").asText()).contains("low, high");
        s.onMessage("{\"type\":\"session.update\",\"session\":{\"audio\":{\"output\":{\"voice\":\"high\"}}}}");
        assertThat(sent("session.updated").getFirst().at("/session/audio/output/voice").asText()).isEqualTo("high");
        speak(s, new Script().silence(320).speech(600).silence(700).build());
        byte[] pcm = Base64.getDecoder().decode(sent("response.output_audio.delta").getFirst().path("delta").asText());
        int middle = pcm.length / 4 * 2;
        short sample = (short) ((pcm[middle] & 0xff) | (pcm[middle + 1] << 8));
        assertThat(sample).as("the high voice").isBetween((short) 2700, (short) 3300);
    }

    /** A voice that says every word as 100 ms at one level. */
    private static SpeechSynthesizer level(int level) {
        return new SpeechSynthesizer() {
            @Override
            public int sampleRate() {
                return 24_000;
            }

            @Override
            public void synthesize(String text, Consumer<PcmAudio> out, BooleanSupplier cancelled, ProviderEvents events) {
                short[] s = new short[2400];
                java.util.Arrays.fill(s, (short) level);
                out.accept(new PcmAudio(s, 24_000));
            }
        };
    }

    @Test
    void transcriptionDeltasOnlyAddTextAndTheCompletedTranscriptHasTheLastWord() {
        String[] partials = {"", "hel", "hello", "help me", "help me now"};
        SpeechRecognizer stt = events -> new RecognitionStream() {
            int calls;

            @Override
            public String accept(short[] pcm, int offset, int length) {
                return partials[Math.min(partials.length - 1, calls++ / 8)];
            }

            @Override
            public Transcript finish() {
                return new Transcript("help me now", 0.9);
            }

            @Override
            public void close() {
            }
        };
        RealtimeSession s = session(stt, says("Sure."), new ToneTts(clock, 0), Runnable::run);
        speak(s, new Script().silence(300).speech(1500).silence(700).build());
        List<String> deltas = sent("conversation.item.input_audio_transcription.delta").stream().map(e -> e.path("delta").asText()).toList();
        assertThat(deltas).containsExactly("hel", "lo");
        assertThat(sent("conversation.item.input_audio_transcription.completed").getFirst().path("transcript").asText()).isEqualTo("help me now");
    }

    @Test
    void aSpokenTurnFollowsTheApisOrderWithOneUserItemAndOneResponse() {
        RealtimeSession s = session(new ScriptedStt(clock, 20, "hello there"), says("One two three. Four five six."), new ToneTts(clock, 30), Runnable::run);
        speak(s, new Script().silence(300).speech(1000).silence(700).build());
        List<String> t = new ArrayList<>(types());
        t.removeIf(x -> x.endsWith(".delta") && !x.equals("response.output_audio_transcript.delta"));
        assertThat(t).containsExactly("session.created",
                "input_audio_buffer.speech_started", "input_audio_buffer.speech_stopped", "input_audio_buffer.committed",
                "conversation.item.created", "conversation.item.added",
                "response.created", "response.output_item.added", "conversation.item.created", "conversation.item.added",
                "response.content_part.added",
                "conversation.item.input_audio_transcription.completed", "conversation.item.done",
                "response.output_audio_transcript.delta", "response.output_audio_transcript.delta",
                "response.output_audio.done", "response.output_audio_transcript.done", "response.content_part.done",
                "response.output_item.done", "conversation.item.done", "response.done");
        JsonNode started = sent("input_audio_buffer.speech_started").getFirst();
        assertThat(started.path("audio_start_ms").asLong()).isBetween(0L, 100L); // 300 ms in, minus 300 ms of prefix padding
        assertThat(sent("input_audio_buffer.speech_stopped").getFirst().path("audio_end_ms").asLong()).isBetween(1250L, 1400L);
        String userItem = started.path("item_id").asText();
        JsonNode userAdded = sent("conversation.item.added").getFirst();
        assertThat(userAdded.at("/item/id").asText()).isEqualTo(userItem);
        assertThat(userAdded.at("/item/role").asText()).isEqualTo("user");
        assertThat(userAdded.at("/item/content/0/type").asText()).isEqualTo("input_audio");
        JsonNode assistantAdded = sent("conversation.item.added").get(1);
        assertThat(assistantAdded.path("previous_item_id").asText()).isEqualTo(userItem);
        JsonNode done = sent("response.done").getFirst().path("response");
        assertThat(done.path("status").asText()).isEqualTo("completed");
        assertThat(done.at("/output/0/content/0/transcript").asText()).isEqualTo("One two three. Four five six.");
        // 6 words of 100 ms each, at 24 kHz
        long samples = sent("response.output_audio.delta").stream().mapToLong(e -> Base64.getDecoder().decode(e.path("delta").asText()).length / 2).sum();
        assertThat(samples).isBetween(6 * 2400L - 100, 6 * 2400L + 100);
        // fake time: endpoint 300 ms silence counted from the level drop, stt 20, tts 30
        assertThat(Double.parseDouble(done.at("/metadata/latency_stt_ms").asText())).isEqualTo(20.0);
        assertThat(Double.parseDouble(done.at("/metadata/latency_tts_ms").asText())).isEqualTo(30.0);
    }

    @Test
    void truncateKeepsOnlyTheWordsPlayedAndTheNextReplyIsMadeFromThem() {
        List<List<Message>> histories = new ArrayList<>();
        List<String> asked = new ArrayList<>();
        Dialog dialog = (history, text) -> {
            histories.add(List.copyOf(history));
            asked.add(text.text());
            return TextStream.of("One two three. Four five six.");
        };
        RealtimeSession s = session(new ScriptedStt(clock, 0), dialog, new ToneTts(clock, 0), Runnable::run);
        s.onMessage("{\"type\":\"conversation.item.create\",\"item\":{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"count\"}]}}");
        s.onMessage("{\"type\":\"response.create\"}");
        String item = sent("response.done").getFirst().at("/response/output/0/id").asText();
        // phrase one plays 0-300 ms, phrase two 300-600 ms: at 400 ms a third of "Four five six." was heard
        s.onMessage("{\"type\":\"conversation.item.truncate\",\"item_id\":\"" + item + "\",\"content_index\":0,\"audio_end_ms\":400}");
        assertThat(sent("conversation.item.truncated").getFirst().path("audio_end_ms").asLong()).isEqualTo(400);
        s.onMessage("{\"type\":\"response.create\"}");
        assertThat(histories.get(1)).containsExactly(Message.user("count"), Message.assistant("One two three. Four"));
    }

    @Test
    void speechOverAPlayingReplyCancelsItAsTurnDetected() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        SpeechSynthesizer slow = new SpeechSynthesizer() {
            @Override
            public int sampleRate() {
                return 16_000;
            }

            @Override
            public void synthesize(String text, Consumer<PcmAudio> out, BooleanSupplier cancelled, ProviderEvents events) {
                out.accept(new PcmAudio(new short[1600], 16_000));
                try {
                    while (!cancelled.getAsBoolean() && !release.await(5, TimeUnit.MILLISECONDS)) Thread.onSpinWait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            RealtimeSession s = session(new ScriptedStt(clock, 0, "tell me a story", "stop"), says("Once upon a time."), slow, pool);
            speak(s, new Script().silence(200).speech(800).silence(500).build());
            Patience.until(() -> !sent("response.output_audio.delta").isEmpty());
            speak(s, new Script().speech(400).silence(600).build());
            Patience.until(() -> !sent("response.done").isEmpty());
            release.countDown();
            JsonNode done = sent("response.done").getFirst().path("response");
            assertThat(done.path("status").asText()).isEqualTo("cancelled");
            assertThat(done.at("/status_details/reason").asText()).isEqualTo("turn_detected");
            assertThat(done.at("/output/0/status").asText()).isEqualTo("incomplete");
            s.close();
        }
    }

    @Test
    void withoutCreateResponseTheTurnIsOnlyCommittedUntilTheClientAsks() {
        RealtimeSession s = session(new ScriptedStt(clock, 0, "what time is it"), says("Noon."), new ToneTts(clock, 0), Runnable::run);
        s.onMessage("{\"type\":\"session.update\",\"session\":{\"audio\":{\"input\":{\"turn_detection\":{\"type\":\"server_vad\",\"create_response\":false}}}}}");
        speak(s, new Script().silence(200).speech(800).silence(600).build());
        assertThat(types()).contains("input_audio_buffer.committed", "conversation.item.input_audio_transcription.completed")
                .doesNotContain("response.created");
        s.onMessage("{\"type\":\"response.create\"}");
        assertThat(sent("response.done").getFirst().at("/response/output/0/content/0/transcript").asText()).isEqualTo("Noon.");
    }

    @Test
    void anOversizedEventIsRefusedWithoutBeingParsed() {
        RealtimeSession s = session(new ScriptedStt(clock, 0), says("ok"), new ToneTts(clock, 0), Runnable::run);
        s.onMessage("{\"type\":\"input_audio_buffer.append\",\"event_id\":\"big\",\"audio\":\"" + "A".repeat(70_000) + "\"}");
        JsonNode error = sent("error").getFirst().path("error");
        assertThat(error.path("code").asText()).isEqualTo("message_too_large");
        assertThat(error.path("message").asText()).contains("65536");
    }
}

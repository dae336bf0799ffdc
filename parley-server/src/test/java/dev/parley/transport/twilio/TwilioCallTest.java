package dev.parley.transport.twilio;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.audio.G711;
import dev.parley.audio.PcmAudio;
import dev.parley.audio.Resampler;
import dev.parley.dialog.TextStream;
import dev.parley.session.SessionConfig;
import dev.parley.session.VoiceSession;
import dev.parley.testing.Fakes.LoudnessVad;
import dev.parley.testing.Fakes.Script;
import dev.parley.testing.Fakes.ScriptedStt;
import dev.parley.testing.Fakes.ToneTts;
import dev.parley.testing.Patience;
import dev.parley.transport.bridge.ClientLink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A call driven the way Twilio drives it, message by message on the test's thread, with scripted engines: the caller's
 * audio in 20 ms μ-law frames, and Twilio's playback emulated by the audio clock those frames keep (each frame sent
 * plays 20 ms of what Parley sent; a mark comes back once the audio before it has played; a clear drops what is left).
 */
class TwilioCallTest {
        private static final int FRAME = 160; // 20 ms at 8 kHz

    private final ExecutorService replies = Executors.newVirtualThreadPerTaskExecutor();
    private final FakeTwilio twilio = new FakeTwilio();

    @AfterEach
    void stop() {
        replies.shutdownNow();
    }

    /** Twilio's side of the call: what Parley sent, its playback, and the socket's close. */
    private static final class FakeTwilio extends TwilioPlayback implements ClientLink {
        int closeCode = -1;

        @Override
        public void send(String json) {
            onSent(json);
        }

        @Override
        public synchronized void closeAfterSent(int code, String reason) {
            closeCode = code;
        }
    }

    private long mediaBytes() {
        return twilio.mediaBytes();
    }

    private TwilioCall call(ScriptedStt stt, String reply) {
        VoiceSession.Engines engines = new VoiceSession.Engines(new LoudnessVad(), stt, (history, text) -> TextStream.of(reply),
                new ToneTts(null, 0));
        return new TwilioCall(() -> engines, SessionConfig.DEFAULT, twilio, replies, System::nanoTime);
    }

    /** The caller's audio, 20 ms at a time, each frame also playing 20 ms of Parley's; marks reached go back. */
    private int speak(TwilioCall call, PcmAudio at16k, int chunk) {
        PcmAudio at8k = Resampler.convert(at16k, 8_000);
        for (int i = 0; i < at8k.length(); i += FRAME) {
            short[] frame = at8k.slice(i, Math.min(at8k.length(), i + FRAME)).samples();
            call.onMessage(TwilioPlayback.media(G711.encode(G711.Law.ULAW, frame), chunk++), 0);
            for (String m : twilio.play(frame.length)) call.onMessage(m, 0);
        }
        return chunk;
    }

    @Test
    void aCallIsGreetedAndATurnIsAnsweredInMuLawWithMarks() {
        ScriptedStt stt = new ScriptedStt(null, 0, "what time is it");
        TwilioCall call = call(stt, "It is noon.");
        call.onMessage(TwilioPlayback.connected(), 0);
        call.onMessage(TwilioPlayback.start(Map.of("greeting", "Hello there.")), 0);
        assertThat(call.streamSid()).isEqualTo("MZ0001");
        int chunk = 1;
        // the greeting plays while the caller is quiet
        Patience.until(() -> mediaBytes() >= 2 * 800); // all of "Hello there." queued at Twilio
        chunk = speak(call, new Script().silence(400).build(), chunk);
        Patience.until(call::listening); // heard to its end: the reply's thread has seen the last mark
        chunk = speak(call, new Script().speech(600).silence(700).build(), chunk);
        Patience.until(() -> mediaBytes() >= 5 * 800); // the answer, made on the reply's thread
        speak(call, new Script().silence(1000).build(), chunk); // and played

        assertThat(stt.samplesPerUtterance).hasSize(1);
        // ToneTts: 100 ms a word; "Hello there." and "It is noon.": five words, 800 μ-law bytes each
        assertThat(mediaBytes()).isEqualTo(5 * 800);
        assertThat(twilio.sent("media")).allSatisfy(m -> assertThat(m.path("streamSid").asText()).isEqualTo("MZ0001"));
        byte[] first = Base64.getDecoder().decode(twilio.sent("media").getFirst().at("/media/payload").asText());
        assertThat(G711.decode(G711.Law.ULAW, first[first.length / 2])).as("the middle of a word of level 1000").isBetween((short) 900, (short) 1100);
        assertThat(twilio.sent("mark")).as("a mark after each media message").hasSameSizeAs(twilio.sent("media"));
        assertThat(twilio.echoed).as("every mark came back: the replies were heard to their end").hasSameSizeAs(twilio.sent("mark"));
        assertThat(twilio.clears).isZero();
        call.onMessage(TwilioPlayback.stop(), 0);
        assertThat(twilio.closeCode).isEqualTo(1000);
    }

    @Test
    void speechOverAReplyClearsWhatTwilioHoldsAndIsAnswered() {
        ScriptedStt stt = new ScriptedStt(null, 0, "stop and tell me the time");
        TwilioCall call = call(stt, "It is noon.");
        call.onMessage(TwilioPlayback.start(Map.of("greeting", "Once upon a time there was a voice assistant that talked and talked and talked.")), 0);
        Patience.until(() -> twilio.queuedBytes() >= 8000); // a second of greeting queued at Twilio, not yet played
        int chunk = speak(call, new Script().silence(200).build(), 1);
        assertThat(twilio.queuedBytes()).as("still playing").isPositive();
        speak(call, new Script().speech(800).silence(700).build(), chunk);
        assertThat(twilio.clears).as("the greeting was cut off at Twilio").isGreaterThanOrEqualTo(1);
        Patience.until(twilio::answeredAfterClear);
        assertThat(stt.samplesPerUtterance).hasSize(1);
    }

    @Test
    void aStreamInAnotherFormatIsRefusedAndMalformedMessagesAreIgnored() {
        TwilioCall call = call(new ScriptedStt(null, 0), "ok");
        call.onMessage("not json", 0);
        call.onMessage("{\"no\":\"event\"}", 0);
        call.onMessage("{\"event\":\"media\",\"media\":{\"payload\":\"%%%\"}}", 0);
        call.onMessage("{\"event\":\"somethingNew\"}", 0);
        assertThat(twilio.closeCode).isEqualTo(-1);
        call.onMessage(TwilioPlayback.start(Map.of()).replace("audio/x-mulaw", "audio/l16").replace("8000", "16000"), 0);
        assertThat(twilio.closeCode).isEqualTo(1003);
        assertThat(twilio.sent).isEmpty();
    }

    @Test
    void twilioNeverSendingMarksBackDoesNotHoldTheReplyForever() throws Exception {
        CallAudio audio = new CallAudio("MZ0001", twilio);
        audio.write(new PcmAudio(new short[800], 8000)); // 100 ms
        long t0 = System.nanoTime();
        audio.drain();
        long waitedMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(waitedMs).as("the audio's length and the slack, no more").isGreaterThanOrEqualTo(100 + CallAudio.MARK_SLACK_MS - 50)
                .isLessThan(100 + CallAudio.MARK_SLACK_MS + 30_000);
        audio.write(new PcmAudio(new short[800], 8000));
        audio.played("parley-2");
        t0 = System.nanoTime();
        audio.drain();
        assertThat((System.nanoTime() - t0) / 1_000_000).as("played: no wait").isLessThan(CallAudio.MARK_SLACK_MS);
    }
}

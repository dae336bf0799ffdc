package dev.parley.bench.load;

import dev.parley.audio.PcmAudio;
import dev.parley.dialog.TextStream;
import dev.parley.session.VoiceSession;
import dev.parley.stt.RecognitionStream;
import dev.parley.stt.Transcript;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scripted engines: they hear what the caller's script says, take at least their fixed latency, and give up
 * their wait when cancelled (a latency of 30 s that ends within 10 s can only have been cut short).
 */
class FakeEnginesTest {
    private static final FakeLatencies LONG = new FakeLatencies(30_000, 30_000, 30_000);

    @Test
    void theVadHearsSpeechWhereTheScriptPutsItOnTheStreamsClock() {
        CallerScript script = new CallerScript();
        script.play(1000, 0.1, 0.5, "ten of clubs"); // speech from 1100 to 1500 ms of the stream
        ScriptedVad vad = new ScriptedVad(script);
        assertThat(vad.frameSamples()).isEqualTo(512);
        List<Integer> speech = new ArrayList<>();
        for (int f = 0; f < 60; f++) if (vad.speechProbability(new short[512]) > 0.5f) speech.add(f);
        // frame f spans [32 f, 32 f + 32) ms; its middle 32 f + 16 lies in [1100, 1500) for f = 34 … 46
        assertThat(speech).first().isEqualTo(34);
        assertThat(speech).last().isEqualTo(46);
        assertThat(speech).hasSize(13);
        vad.reset(); // the stream's clock goes on
        assertThat(vad.speechProbability(new short[512])).isLessThan(0.5f); // frame 60: 1936 ms
        assertThat(new ScriptedVad(CallerScript.silent()).speechProbability(new short[512])).isLessThan(0.5f);
    }

    @Test
    void theRecogniserTakesItsLatencyAndHearsTheClipBeingPlayed() {
        CallerScript script = new CallerScript();
        script.play(0, 0.1, 0.9, "go forward ten meters");
        RecognitionStream s = new ScriptedRecognizer(script, new FakeLatencies(120, 0, 0)).open();
        script.play(5000, 0.1, 0.9, "next clip"); // the utterance already open keeps its clip
        assertThat(s.accept(new short[512], 0, 512)).isEmpty();
        long t0 = System.nanoTime();
        Transcript t = s.finish();
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(120));
        assertThat(t.text()).isEqualTo("go forward ten meters");
        s.close();
        s.close(); // idempotent
    }

    @Test
    void closingTheRecognitionStreamCutsItsWaitShort() throws Exception {
        CallerScript script = new CallerScript();
        script.play(0, 0.1, 0.9, "ten of clubs");
        RecognitionStream s = new ScriptedRecognizer(script, LONG).open();
        CompletableFuture<Transcript> f = CompletableFuture.supplyAsync(s::finish);
        Thread.sleep(100);
        s.close();
        assertThat(f.get(10, TimeUnit.SECONDS).text()).isEmpty();
    }

    @Test
    void theDialogGivesAWholePhraseAfterItsLatencyThenTheRestAtOnce() throws Exception {
        TextStream s = new FixedReplyDialog(new FakeLatencies(0, 150, 0)).respond(List.of(), "hello");
        long t0 = System.nanoTime();
        String first = s.next();
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(150));
        assertThat(first).isEqualTo("Sure, I can help with that. ");
        StringBuilder all = new StringBuilder(first);
        for (String p; (p = s.next()) != null; ) all.append(p);
        assertThat(all.toString()).isEqualTo("Sure, I can help with that. Here is a fixed reply.");
    }

    @Test
    void closingTheDialogsStreamCutsItsWaitShort() throws Exception {
        TextStream s = new FixedReplyDialog(LONG).respond(List.of(), "hello");
        CompletableFuture<String> f = CompletableFuture.supplyAsync(() -> {
            try {
                return s.next();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(100);
        s.close();
        assertThat(f.get(10, TimeUnit.SECONDS)).isNull();
        assertThat(s.next()).isNull();
    }

    @Test
    void theSynthesizerSpeaksInRealTimeAfterItsLatency() {
        PacedToneSynthesizer tts = new PacedToneSynthesizer(new FakeLatencies(0, 0, 80));
        assertThat(tts.sampleRate()).isEqualTo(24_000);
        List<Long> at = new ArrayList<>();
        List<PcmAudio> chunks = new ArrayList<>();
        long t0 = System.nanoTime();
        tts.synthesize("Here is a fixed reply.", c -> {
            at.add(System.nanoTime() - t0);
            chunks.add(c);
        }, () -> false);
        // 5 words × 200 ms = 1 s of audio in chunks of 100 ms, the first after 80 ms, then one every 100 ms
        assertThat(chunks).hasSize(10).allSatisfy(c -> assertThat(c.length()).isEqualTo(2400));
        assertThat(at.getFirst()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(80));
        assertThat(at.getLast()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(80 + 900));
    }

    @Test
    void theSynthesizerStopsWhenCancelled() throws Exception {
        PacedToneSynthesizer tts = new PacedToneSynthesizer(LONG);
        AtomicBoolean cancelled = new AtomicBoolean();
        List<PcmAudio> chunks = new ArrayList<>();
        CompletableFuture<Void> f = CompletableFuture.runAsync(() -> tts.synthesize("one two three", chunks::add, cancelled::get));
        Thread.sleep(100);
        cancelled.set(true);
        f.get(10, TimeUnit.SECONDS);
        assertThat(chunks).isEmpty();
    }

    @Test
    void eachSessionGetsTheScriptOfTheCallerConnectingAndStrangersASilentOne() throws Exception {
        FakeEngines fakes = new FakeEngines(FakeLatencies.DEFAULT);
        CallerScript mine = new CallerScript();
        mine.play(0, 0.0, 1.0, "mine");
        VoiceSession.Engines engines = fakes.connect(mine, fakes::newSession);
        assertThat(engines.vad().speechProbability(new short[512])).isGreaterThan(0.5f); // frame 0 is in mine's speech
        VoiceSession.Engines stranger = fakes.newSession(); // nobody connecting: the hand-off is empty again
        assertThat(stranger.vad().speechProbability(new short[512])).isLessThan(0.5f);
    }
}

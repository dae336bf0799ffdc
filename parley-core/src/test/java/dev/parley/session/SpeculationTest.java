package dev.parley.session;

import dev.parley.dialog.Conversation;
import dev.parley.dialog.Message;
import dev.parley.dialog.TextStream;
import dev.parley.latency.LatencyTrace;
import dev.parley.failover.Failover;
import dev.parley.reply.Reply;
import dev.parley.reply.ReplyVoice;
import dev.parley.stt.Transcript;
import dev.parley.stt.Utterance;
import dev.parley.testing.Fakes.RecordingSink;
import dev.parley.testing.Fakes.ToneTts;
import dev.parley.tts.SentenceChunker;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Speculation holds real speculative replies (never started: a held-back reply's player would wait for release). */
class SpeculationTest {
    private final List<String> calls = new ArrayList<>();
    private final RecordingSink sink = new RecordingSink(false);
    private final Reply.Setup setup = new Reply.Setup((history, turn) -> TextStream.of("Ten o'clock."),
            new ToneTts(null, 0), sink, new ReplyVoice(), SentenceChunker.Config.DEFAULT);
    private final Speculation speculation = new Speculation();

    /** A host that notes every call; a speculation that is taken or dropped must call none. */
    private final Reply.Host host = new Reply.Host() {
        private final Conversation conversation = new Conversation();

        @Override
        public void recognised(Reply reply, Utterance utterance, Transcript said) {
            calls.add("recognised");
        }

        @Override
        public void awaitInput() {
            calls.add("awaitInput");
        }

        @Override
        public List<Message> prompt(List<Message> c) {
            return c;
        }

        @Override
        public Conversation conversation() {
            return conversation;
        }

        @Override
        public void producing(Reply reply) {
            calls.add("producing");
        }

        @Override
        public void phrase(Reply reply, String text) {
            calls.add("phrase");
        }

        @Override
        public void audioStarted(Reply reply) {
            calls.add("audioStarted");
        }

        @Override
        public void error(Reply reply, String stage, String message) {
            calls.add("error");
        }

        @Override
        public void failedOver(Reply reply, Failover failover) {
            calls.add("failedOver");
        }

        @Override
        public void finished(Reply reply, String spoken, String kept) {
            calls.add("finished");
        }

        @Override
        public void played(Reply reply) {
            calls.add("played");
        }

        @Override
        public void missed(Reply s, Transcript said) {
            calls.add("missed");
        }
    };

    private Reply reply(String partial) {
        return Reply.speculative(1, partial, setup, host, new LatencyTrace(System::nanoTime));
    }

    @Test
    void takeOnTheSameWordsReturnsTheReplyStillHeldBack() {
        Reply r = reply("what time is it");
        speculation.start(r);
        assertThat(speculation.active()).isTrue();
        assertThat(speculation.take("what time is it")).isSameAs(r);
        assertThat(speculation.active()).isFalse();
        assertThat(r.cancelled()).isFalse();
        assertThat(r.released()).as("only release(utterance) lets it play").isFalse();
        assertThat(speculation.take("what time is it")).as("taken once").isNull();
        assertThat(calls).isEmpty();
    }

    @Test
    void takeOnOtherWordsDropsTheReply() {
        Reply r = reply("what time is it");
        speculation.start(r);
        assertThat(speculation.take("what time is it in tokyo")).isNull();
        assertThat(speculation.active()).isFalse();
        assertThat(r.cancelled()).isTrue();
        assertThat(r.released()).isFalse();
        assertThat(sink.interrupts).as("a speculation never released played nothing to stop").isZero();
        assertThat(calls).isEmpty();
    }

    @Test
    void takeWithoutWordsDropsTheReply() {
        Reply r = reply("what time is it");
        speculation.start(r);
        assertThat(speculation.take(null)).isNull();
        assertThat(r.cancelled()).isTrue();
    }

    @Test
    void takeWithNothingHeldIsNull() {
        assertThat(speculation.active()).isFalse();
        assertThat(speculation.take("anything")).isNull();
    }

    @Test
    void startingAnotherDropsTheFirst() {
        Reply first = reply("set a timer");
        Reply second = reply("set a timer for ten minutes");
        speculation.start(first);
        speculation.start(second);
        assertThat(first.cancelled()).isTrue();
        assertThat(second.cancelled()).isFalse();
        assertThat(speculation.take("set a timer for ten minutes")).isSameAs(second);
    }

    @Test
    void dropIsIdempotent() {
        Reply r = reply("what time is it");
        speculation.start(r);
        speculation.drop();
        assertThat(speculation.active()).isFalse();
        assertThat(r.cancelled()).isTrue();
        assertThat(r.released()).isFalse();
        speculation.drop();
        speculation.drop();
        assertThat(speculation.take("what time is it")).isNull();
        assertThat(sink.interrupts).isZero();
        assertThat(calls).isEmpty();
    }
}

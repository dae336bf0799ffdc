package dev.parley.transport.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.audio.PcmAudio;
import dev.parley.latency.Waterfall;
import dev.parley.session.SessionConfig;
import dev.parley.session.SessionEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Server events are written (JSON text, Base64 audio) after the conversation's lock is let go, yet reach the outbox
 * in the order the conversation produced them: a reply's audio deltas before the events that end it.
 */
class ServerEventOrderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SessionSettings SETTINGS = SessionSettings.defaults("gpt-realtime", "alloy", SessionConfig.DEFAULT);

    /** The input at its start, no pre-roll. */
    private static final Conversation.Input AT_START = new Conversation.Input() {
        @Override
        public long positionMs() {
            return 0;
        }

        @Override
        public long preRollMs() {
            return 0;
        }
    };

    private final List<String> wire = new ArrayList<>();
    private final AtomicInteger audioWrites = new AtomicInteger();
    private final CountDownLatch writingSecondAudio = new CountDownLatch(1);
    private final CountDownLatch letAudioThrough = new CountDownLatch(1);
    private final CountDownLatch turnPosted = new CountDownLatch(1);

    private final Outbox outbox = new Outbox() {
        @Override
        public void send(String json) {
            synchronized (wire) {
                wire.add(json);
            }
        }

        @Override
        public void sendAudio(String json, String responseId) {
            if (audioWrites.incrementAndGet() == 2) {
                writingSecondAudio.countDown();
                await(letAudioThrough);
            }
            send(json);
        }
    };

    private final RealtimeMetrics metrics = new RealtimeMetrics() {
        @Override
        public void turnCompleted(Waterfall waterfall, boolean interrupted) {
            turnPosted.countDown(); // called under the conversation's lock, after the turn's events were posted
        }
    };

    private final Conversation conversation = new Conversation(() -> SETTINGS, new ServerEventQueue(outbox), metrics,
            () -> 1L, AT_START);

    @Test
    void audioDeltasStayBeforeTheDoneEventsWhileAnotherThreadWritesThem() throws Exception {
        conversation.onSessionEvent(new SessionEvent.ReplyStarted(1));
        conversation.onSessionEvent(new SessionEvent.ReplyPhrase(1, "Hello there."));
        PcmAudio first = new PcmAudio(new short[]{1, 2, 3, 4}, 24_000);
        PcmAudio second = new PcmAudio(new short[]{5, 6}, 24_000);

        conversation.audio(first);
        Thread speaker = Thread.ofPlatform().start(() -> conversation.audio(second));
        assertThat(writingSecondAudio.await(10, TimeUnit.SECONDS)).isTrue();
        // the speaker is writing its delta, outside the conversation's lock: the reply ends meanwhile
        assertThat(conversation.chars()).isZero();
        Thread finisher = Thread.ofPlatform().start(() ->
                conversation.onSessionEvent(new SessionEvent.TurnCompleted(1, "hi", "Hello there.", null, false)));
        assertThat(turnPosted.await(10, TimeUnit.SECONDS)).isTrue();
        letAudioThrough.countDown();
        speaker.join(10_000);
        finisher.join(10_000);
        assertThat(speaker.isAlive() || finisher.isAlive()).isFalse();
        conversation.audio(new PcmAudio(new short[]{7, 8}, 24_000)); // after the end: dropped

        List<JsonNode> events = events();
        List<String> types = events.stream().map(e -> e.path("type").asText()).toList();
        assertThat(types).containsSubsequence("response.output_audio_transcript.delta", "response.output_audio.delta",
                "response.output_audio.delta", "response.output_audio.done", "response.output_audio_transcript.done",
                "response.content_part.done", "response.output_item.done", "conversation.item.done", "response.done");
        List<JsonNode> deltas = events.stream().filter(e -> e.path("type").asText().equals("response.output_audio.delta")).toList();
        assertThat(deltas).hasSize(2);
        assertThat(deltas.get(0).path("delta").asText()).isEqualTo(base64(first));
        assertThat(deltas.get(1).path("delta").asText()).isEqualTo(base64(second));
        assertThat(types.lastIndexOf("response.output_audio.delta")).isLessThan(types.indexOf("response.output_audio.done"));
        assertThat(events.getLast().at("/response/status").asText()).isEqualTo("completed");
    }

    @Test
    void aCancelledReplysQueuedAudioIsDiscardedAfterItWasHandedOn() {
        List<String> calls = new ArrayList<>();
        Outbox recording = new Outbox() {
            @Override
            public void send(String json) {
                calls.add("send");
            }

            @Override
            public void sendAudio(String json, String responseId) {
                calls.add("audio " + responseId);
            }

            @Override
            public void discardAudio(String responseId) {
                calls.add("discard " + responseId);
            }
        };
        Conversation c = new Conversation(() -> SETTINGS, new ServerEventQueue(recording), RealtimeMetrics.NONE, () -> 1L, AT_START);
        c.onSessionEvent(new SessionEvent.ReplyStarted(1));
        c.onSessionEvent(new SessionEvent.ReplyPhrase(1, "Hello."));
        c.audio(new PcmAudio(new short[]{1, 2}, 24_000));
        calls.clear();
        c.onSessionEvent(new SessionEvent.Interrupted(1));
        c.audio(new PcmAudio(new short[]{3, 4}, 24_000)); // after the end: dropped
        assertThat(calls.getFirst()).startsWith("discard resp_");
        assertThat(calls.subList(1, calls.size())).containsOnly("send");
    }

    private List<JsonNode> events() throws Exception {
        List<JsonNode> events = new ArrayList<>();
        synchronized (wire) {
            for (String json : wire) events.add(JSON.readTree(json));
        }
        return events;
    }

    private static String base64(PcmAudio audio) {
        return java.util.Base64.getEncoder().encodeToString(audio.toLittleEndianBytes());
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) throw new AssertionError("timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}

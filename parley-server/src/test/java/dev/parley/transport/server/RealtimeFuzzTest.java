package dev.parley.transport.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.session.SessionConfig;
import dev.parley.transport.realtime.client.RealtimeClient;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A seeded fuzzer over a real socket: 10,000 client events, valid ones mixed with huge items, oversized messages,
 * deeply nested JSON, wrong types, binary frames and events out of order. Every bad event must be answered by an
 * {@code error} event (those whose {@code event_id} can be read, with it), the session must go on answering, and the
 * server's heap must come back to where it was: nothing a client sends is kept beyond its budget.
 */
class RealtimeFuzzTest {
    private static final long SEED = 13;
    private static final int EVENTS = 10_000;
    /** The error codes of bad events whose event_id cannot be read (not JSON, too large, binary). */
    private static final Set<String> ANONYMOUS = Set.of("invalid_json", "message_too_large", "invalid_event");

    @Test
    void tenThousandSeededEventsGoodAndBadAreEachAnsweredAndTheSessionGoesOn() throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long heapBefore = memory.getHeapMemoryUsage().getUsed();
        try (ParleyServer server = LimitsTest.start(ServerConfig.local(0, SessionConfig.DEFAULT, "tone").withBudget(LimitsTest.BUDGET))) {
            Map<String, String> answered = new ConcurrentHashMap<>();
            AtomicInteger anonymousAnswers = new AtomicInteger();
            CountDownLatch finalAnswered = new CountDownLatch(1);
            CountDownLatch replied = new CountDownLatch(1);
            AtomicInteger sinceFinal = new AtomicInteger(-1);
            RealtimeClient c = RealtimeClient.connect(HttpClient.newHttpClient(), server.realtimeUri(), e -> {
                JsonNode json = e.json();
                if (e.type().equals("error")) {
                    String id = json.at("/error/event_id").asText(null);
                    if (id != null) answered.put(id, json.at("/error/code").asText());
                    else if (ANONYMOUS.contains(json.at("/error/code").asText())) anonymousAnswers.incrementAndGet();
                    if ("final".equals(id)) finalAnswered.countDown();
                }
                if (e.type().equals("response.done") && sinceFinal.get() >= 0
                        && json.at("/response/output/0/content/0/transcript").asText().equals("Still here.")) {
                    replied.countDown();
                }
            }).get(20, TimeUnit.SECONDS);
            try {
                Random random = new Random(SEED);
                Set<String> bad = ConcurrentHashMap.newKeySet();
                int anonymous = 0;
                for (int i = 0; i < EVENTS; i++) {
                    int kind = random.nextInt(100);
                    String id = (kind < 40 ? "ok-" : "bad-") + i;
                    if (kind < 40) {
                        c.send(valid(random, id));
                    } else if (kind < 75) {
                        bad.add(id);
                        c.send(badWithId(random, id));
                    } else if (kind < 80) {
                        c.socket().sendBinary(ByteBuffer.wrap(new byte[1 + random.nextInt(200_000)]), true).get(10, TimeUnit.SECONDS);
                        anonymous++;
                    } else {
                        c.send(badAnonymous(random, i));
                        anonymous++;
                    }
                    if (i % 500 == 0) c.drain(); // the client keeps no more than it must
                }
                c.send("{\"type\":\"parley.fuzz.final\",\"event_id\":\"final\"}");
                assertThat(finalAnswered.await(60, TimeUnit.SECONDS)).as("the last event is answered").isTrue();
                c.drain();

                // every bad event was answered, with its event_id when it had one that could be read
                assertThat(bad).allSatisfy(id -> assertThat(answered).as(id).containsKey(id));
                assertThat(anonymousAnswers.get()).isEqualTo(anonymous);
                assertThat(c.isOpen()).isTrue();

                // and the session still answers a valid turn, once the replies the fuzz began are over (and sent)
                await().atMost(Duration.ofSeconds(60)).until(() -> server.metrics().activeTasks() == 0);
                c.send("{\"type\":\"parley.fuzz.sync\",\"event_id\":\"sync\"}");
                await().atMost(Duration.ofSeconds(60)).until(() -> answered.containsKey("sync"));
                sinceFinal.set(0);
                c.send("{\"type\":\"conversation.item.create\",\"item\":{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"still there?\"}]}}");
                c.send("{\"type\":\"response.create\"}");
                assertThat(replied.await(60, TimeUnit.SECONDS)).as("a reply after the fuzz").isTrue();
            } finally {
                c.close();
            }
        }
        System.gc();
        long heapAfter = memory.getHeapMemoryUsage().getUsed();
        assertThat(heapAfter - heapBefore).as("heap kept after the fuzz").isLessThan(64L << 20);
    }

    private static String valid(Random r, String id) {
        return switch (r.nextInt(8)) {
            case 0, 1, 2 -> "{\"type\":\"input_audio_buffer.append\",\"event_id\":\"" + id + "\",\"audio\":\""
                    + Base64.getEncoder().encodeToString(new byte[960]) + "\"}";
            case 3 -> "{\"type\":\"conversation.item.create\",\"event_id\":\"" + id + "\",\"item\":{\"type\":\"message\",\"role\":\"user\","
                    + "\"content\":[{\"type\":\"input_text\",\"text\":\"hello " + r.nextInt(1000) + "\"}]}}";
            case 4 -> "{\"type\":\"response.create\",\"event_id\":\"" + id + "\"}";
            case 5 -> "{\"type\":\"response.cancel\",\"event_id\":\"" + id + "\"}";
            case 6 -> "{\"type\":\"session.update\",\"event_id\":\"" + id + "\",\"session\":{\"instructions\":\"Be brief.\",\"voice\":\"marin\","
                    + "\"temperature\":0.8}}";
            default -> "{\"type\":\"input_audio_buffer.clear\",\"event_id\":\"" + id + "\"}";
        };
    }

    /** A bad event whose event_id can be read: wrong types and values, sizes over the budget, events out of order. */
    private static String badWithId(Random r, String id) {
        String head = "\"event_id\":\"" + id + "\"";
        return switch (r.nextInt(14)) {
            case 0 -> "{\"type\":\"conversation.item.create\"," + head + ",\"item\":{\"type\":\"message\",\"role\":\"user\","
                    + "\"content\":[{\"type\":\"input_text\",\"text\":\"" + "x".repeat(33_000 + r.nextInt(200_000)) + "\"}]}}";
            case 1 -> "{\"type\":\"input_audio_buffer.append\"," + head + ",\"audio\":" + r.nextInt() + "}";
            case 2 -> "{\"type\":\"input_audio_buffer.append\"," + head + ",\"audio\":\"\"}";
            case 3 -> "{\"type\":\"input_audio_buffer.append\"," + head + ",\"audio\":\"%%%\"}";
            case 4 -> "{\"type\":\"session.update\"," + head + ",\"session\":[1,2,3]}";
            case 5 -> "{\"type\":\"session.update\"," + head + ",\"session\":{\"voice\":\"../../../etc/passwd\"}}";
            case 6 -> "{\"type\":\"session.update\"," + head + ",\"session\":{\"temperature\":" + (-r.nextInt(100)) + "}}";
            case 7 -> "{\"type\":\"session.update\"," + head + ",\"session\":{\"max_response_output_tokens\":" + (-1 - r.nextInt(5)) + "}}";
            case 8 -> "{\"type\":\"conversation.item.truncate\"," + head + ",\"item_id\":\"item_nope\",\"content_index\":0,\"audio_end_ms\":5}";
            case 9 -> "{\"type\":\"response.cancel\"," + head + ",\"response_id\":\"resp_nope\"}";
            case 10 -> "{\"type\":\"parley.playback.started\"," + head + ",\"response_id\":\"resp_nope\"}";
            case 11 -> "{\"type\":\"conversation.item.create\"," + head + ",\"item\":\"" + "y".repeat(r.nextInt(100)) + "\"}";
            case 12 -> "{\"type\":" + r.nextInt() + "," + head + "}";
            default -> "{\"type\":\"session.update\"," + head + ",\"session\":{\"instructions\":\"" + "z".repeat(40_000) + "\"}}";
        };
    }

    /** A bad message whose event_id cannot be read: not JSON, not an object, too deep, or over the event limit. */
    private static String badAnonymous(Random r, int i) {
        return switch (r.nextInt(5)) {
            case 0 -> "{\"type\":\"session.update\",\"oops" + i;
            case 1 -> r.nextBoolean() ? "[1,2,3]" : String.valueOf(r.nextInt());
            case 2 -> "{\"type\":\"session.update\",\"session\":" + "[".repeat(100 + r.nextInt(5000)) + "]".repeat(100) + "}";
            case 3 -> "{\"type\":\"input_audio_buffer.append\",\"audio\":\"" + "A".repeat(270_000 + r.nextInt(200_000)) + "\"}";
            default -> new String(randomBytes(r), java.nio.charset.StandardCharsets.ISO_8859_1).replace('{', '(');
        };
    }

    private static byte[] randomBytes(Random r) {
        byte[] b = new byte[1 + r.nextInt(300)];
        r.nextBytes(b);
        return b;
    }
}

package dev.parley.providers.openai.realtime;

import dev.parley.providers.http.ApiException;
import dev.parley.providers.http.Secret;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static dev.parley.providers.openai.realtime.FakeRealtimeServer.event;
import static org.assertj.core.api.Assertions.assertThat;

class RealtimeConnectionTest {
    private static final String KEY = "sk-test-connection-0123456789abcdef";

    @RegisterExtension
    final FakeRealtimeServer fake = new FakeRealtimeServer();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final CompletableFuture<ApiException> failure = new CompletableFuture<>();
    private final RealtimeConnection.Listener listener = new RealtimeConnection.Listener() {
        @Override
        public void onEvent(String json, long receivedNanos) {
            events.add(json);
        }

        @Override
        public void onFailure(ApiException e) {
            failure.complete(e);
        }
    };

    private OpenAiRealtimeClient client(Duration stall) {
        return new OpenAiRealtimeClient(fake.config(KEY, stall));
    }

    @Test
    void eventsQueuedDuringTheHandshakeGoOutInOrderAndCloseEndsEverything() throws Exception {
        fake.acceptUpgrade(ws -> ws.send(event("session.created").toString()));
        RealtimeConnection c = client(Duration.ofSeconds(20)).conversation(listener);
        for (int i = 0; i < 50; i++) assertThat(c.offer("{\"type\":\"input_audio_buffer.append\",\"audio\":\"AAA" + i + "\"}")).isTrue();
        assertThat(fake.handshake().getUrl().query()).isEqualTo("model=gpt-realtime");
        for (int i = 0; i < 50; i++) assertThat(fake.next().path("audio").asText()).isEqualTo("AAA" + i);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 1);
        assertThat(c.isOpen()).isTrue();
        c.close();
        assertThat(fake.clientClosed.get(10, TimeUnit.SECONDS)).isEqualTo(1000);
        c.ended().get(10, TimeUnit.SECONDS);
        assertThat(c.offer("{}")).isFalse();
        assertThat(failure).isNotDone(); // closing from this side is no failure
    }

    @Test
    void silenceWhileAReplyIsAwaitedIsAStall() throws Exception {
        fake.acceptUpgrade(ws -> { });
        RealtimeConnection c = client(Duration.ofMillis(600)).conversation(listener);
        fake.socket.get(10, TimeUnit.SECONDS);
        Thread.sleep(900); // idle while nothing is awaited: fine
        assertThat(failure).isNotDone();
        c.expectReply(true);
        ApiException e = failure.get(10, TimeUnit.SECONDS);
        assertThat(e).isInstanceOf(ApiException.TimedOut.class);
        assertThat(((ApiException.TimedOut) e).phase()).isEqualTo(ApiException.TimedOut.Phase.STALL);
        c.ended().get(10, TimeUnit.SECONDS);
        assertThat(fake.clientClosed.get(10, TimeUnit.SECONDS)).isNotNull();
    }

    @Test
    void eventsBeforeAServerCloseArriveBeforeTheFailure() throws Exception {
        fake.acceptUpgrade(ws -> {
            for (int i = 0; i < 20; i++) ws.send(event("response.output_audio.delta").put("n", i).toString());
            ws.close(1011, "server_error");
        });
        client(Duration.ofSeconds(20)).conversation(listener);
        ApiException e = failure.get(10, TimeUnit.SECONDS);
        assertThat(events).hasSize(20);
        assertThat(e).isInstanceOf(ApiException.StreamFailed.class).hasMessageContaining("1011");
    }

    @Test
    void aRateLimitedHandshakeKeepsItsRetryAfter() throws Exception {
        fake.server.enqueue(new MockResponse.Builder().code(429).setHeader("Retry-After", "7")
                .body("{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}").build());
        client(Duration.ofSeconds(20)).conversation(listener);
        ApiException e = failure.get(10, TimeUnit.SECONDS);
        assertThat(e).isInstanceOf(ApiException.RateLimited.class);
        String message = RealtimeErrors.describe(e, client(Duration.ofSeconds(1)).config());
        assertThat(message).contains("429").doesNotContain(KEY);
    }

    @Test
    void anUnreachableServerFailsFast() throws Exception {
        int port = fake.server.getPort();
        fake.close();
        RealtimeConnection c = new OpenAiRealtimeClient(OpenAiRealtimeConfig.defaults().withBaseUrl("http://127.0.0.1:" + port + "/v1")
                .withApiKey(Secret.of(KEY))).conversation(listener);
        ApiException e = failure.get(10, TimeUnit.SECONDS);
        assertThat(e).isInstanceOf(ApiException.Unreachable.class);
        c.ended().get(10, TimeUnit.SECONDS);
        assertThat(RealtimeErrors.describe(e, OpenAiRealtimeConfig.defaults())).startsWith("Cannot reach");
    }
}

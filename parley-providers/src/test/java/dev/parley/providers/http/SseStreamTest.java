package dev.parley.providers.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The streaming plumbing against a scripted server on a real socket: streaming, timeouts, retries, cancellation. */
class SseStreamTest {
    private static final Duration SHORT = Duration.ofMillis(400);
    private static final RetryPolicy FAST_RETRY =
            new RetryPolicy(2, Duration.ofMillis(20), Duration.ofMillis(40), Duration.ofSeconds(2));

    private RawHttpServer server;
    private HttpClient http;

    @BeforeEach
    void start() throws Exception {
        server = new RawHttpServer();
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    }

    @AfterEach
    void stop() throws Exception {
        http.shutdownNow();
        server.close();
    }

    private SseStream open(Duration firstByte, Duration idle, RetryPolicy retry) {
        return open(server.url("/v1/stream"), firstByte, idle, retry);
    }

    private SseStream open(URI url, Duration firstByte, Duration idle, RetryPolicy retry) {
        HttpRequest request = HttpRequest.newBuilder(url).version(HttpClient.Version.HTTP_1_1)
                .POST(HttpRequest.BodyPublishers.ofString("{\"q\":1}")).build();
        return new SseClient(http, firstByte, idle, retry).open(request);
    }

    /** {@code stream.next()} called on another thread, to be blocked there. */
    private static CompletableFuture<SseEvent> nextInBackground(SseStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return stream.next();
            } catch (ApiException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void eventsArriveWhileTheResponseIsStillOpen() throws Exception {
        CountDownLatch firstSeen = new CountDownLatch(1);
        server.enqueue((req, ex) -> {
            ex.status(200, "text/event-stream; charset=utf-8");
            ex.chunk("data: one\n\n");
            assertThat(firstSeen.await(5, TimeUnit.SECONDS)).isTrue(); // the client has it before the rest is sent
            ex.chunk("data: tw");
            ex.chunk("o\n\n");
            ex.end();
        });
        try (SseStream stream = open(SHORT.multipliedBy(5), SHORT.multipliedBy(5), RetryPolicy.none())) {
            assertThat(stream.next()).isEqualTo(SseEvent.message("one"));
            firstSeen.countDown();
            assertThat(stream.next()).isEqualTo(SseEvent.message("two"));
            assertThat(stream.next()).isNull();
            assertThat(stream.opened()).isTrue();
            assertThat(stream.attempts()).isEqualTo(1);
        }
        RawHttpServer.Request request = server.takeRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.target()).isEqualTo("/v1/stream");
        assertThat(request.body()).isEqualTo("{\"q\":1}");
    }

    @Test
    void noResponseWithinTheFirstByteTimeoutFailsAndHangsUp() throws Exception {
        server.enqueue((req, ex) -> ex.awaitClientClose(Duration.ofSeconds(5)));
        SseStream stream = open(SHORT, SHORT, FAST_RETRY);

        long t0 = System.nanoTime();
        assertThatThrownBy(stream::next).isInstanceOfSatisfying(ApiException.TimedOut.class, e -> {
            assertThat(e.phase()).isEqualTo(ApiException.TimedOut.Phase.FIRST_BYTE);
            assertThat(e).hasMessage("no response within 400 ms");
        });
        long ms = (System.nanoTime() - t0) / 1_000_000;

        assertThat(ms).isBetween(SHORT.toMillis() - 20, 3000L);
        assertThat(server.awaitClientHangUp(Duration.ofSeconds(5))).as("the server saw the connection closed").isTrue();
        assertThat(stream.attempts()).as("a timeout is not retried").isEqualTo(1);
    }

    @Test
    void headersWithoutBodyCountAgainstTheFirstByteTimeout() throws Exception {
        server.enqueue((req, ex) -> {
            ex.status(200, "text/event-stream");
            ex.awaitClientClose(Duration.ofSeconds(5));
        });
        SseStream stream = open(SHORT, Duration.ofSeconds(30), RetryPolicy.none());

        assertThatThrownBy(stream::next).isInstanceOfSatisfying(ApiException.TimedOut.class,
                e -> assertThat(e.phase()).isEqualTo(ApiException.TimedOut.Phase.FIRST_BYTE));
    }

    @Test
    void silenceAfterTheFirstEventIsAStall() throws Exception {
        CompletableFuture<Boolean> hungUp = new CompletableFuture<>();
        server.enqueue((req, ex) -> {
            ex.status(200, "text/event-stream");
            ex.chunk("data: first\n\n");
            hungUp.complete(ex.awaitClientClose(Duration.ofSeconds(5)));
        });
        SseStream stream = open(Duration.ofSeconds(5), SHORT, FAST_RETRY);

        assertThat(stream.next()).isEqualTo(SseEvent.message("first"));
        long t0 = System.nanoTime();
        assertThatThrownBy(stream::next).isInstanceOfSatisfying(ApiException.TimedOut.class, e -> {
            assertThat(e.phase()).isEqualTo(ApiException.TimedOut.Phase.STALL);
            assertThat(e).hasMessage("the response stalled: nothing received for 400 ms");
        });
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(3000L);
        assertThat(hungUp.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(stream.next()).as("a failed stream stays ended").isNull();
    }

    @Test
    void keepAliveCommentsKeepAQuietStreamAlive() throws Exception {
        server.enqueue((req, ex) -> {
            ex.status(200, "text/event-stream");
            for (int i = 0; i < 8; i++) { // 800 ms of comments, twice the idle timeout
                ex.chunk(": keep-alive\n\n");
                Thread.sleep(100);
            }
            ex.chunk("data: late\n\n");
            ex.end();
        });
        try (SseStream stream = open(SHORT, SHORT, RetryPolicy.none())) {
            assertThat(stream.next()).isEqualTo(SseEvent.message("late"));
            assertThat(stream.next()).isNull();
        }
    }

    @Test
    void aConnectionCutInTheMiddleOfAChunkIsADroppedStreamAndNotRetried() throws Exception {
        server.enqueue((req, ex) -> {
            ex.status(200, "text/event-stream");
            ex.chunk("data: whole\n\n");
            ex.raw("40\r\ndata: {\"par");
            ex.abort();
        });
        SseStream stream = open(Duration.ofSeconds(5), Duration.ofSeconds(5), FAST_RETRY);

        assertThat(stream.next()).isEqualTo(SseEvent.message("whole"));
        assertThatThrownBy(stream::next).isInstanceOfSatisfying(ApiException.StreamFailed.class,
                e -> assertThat(e.reason()).isEqualTo(ApiException.StreamFailed.Reason.DROPPED));
        assertThat(stream.attempts()).isEqualTo(1);
        server.takeRequest();
        assertThat(server.pendingRequests()).isZero();
    }

    @Test
    void aConnectionCutBeforeAnyEventOfAStartedResponseIsNotRetriedEither() throws Exception {
        server.enqueue((req, ex) -> {
            ex.status(200, "text/event-stream");
            ex.abort();
        });
        SseStream stream = open(Duration.ofSeconds(5), Duration.ofSeconds(5), FAST_RETRY);

        assertThatThrownBy(stream::next).isInstanceOf(ApiException.StreamFailed.class);
        assertThat(stream.attempts()).isEqualTo(1);
    }

    @Test
    void closingWhileANextIsBlockedReturnsNullAndClosesTheConnection() throws Exception {
        CompletableFuture<Boolean> hungUp = new CompletableFuture<>();
        CompletableFuture<Boolean> writeFailed = new CompletableFuture<>();
        server.enqueue((req, ex) -> {
            ex.status(200, "text/event-stream");
            ex.chunk("data: first\n\n");
            hungUp.complete(ex.awaitClientClose(Duration.ofSeconds(5)));
            writeFailed.complete(ex.writeFails());
        });
        SseStream stream = open(Duration.ofSeconds(5), Duration.ofSeconds(5), RetryPolicy.none());
        assertThat(stream.next()).isEqualTo(SseEvent.message("first"));

        CompletableFuture<SseEvent> blocked = nextInBackground(stream);
        Thread.sleep(200);
        assertThat(blocked).isNotDone();
        long t0 = System.nanoTime();
        stream.close();

        assertThat(blocked.get(2, TimeUnit.SECONDS)).isNull();
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1000L);
        assertThat(hungUp.get(2, TimeUnit.SECONDS)).as("the server saw the connection closed").isTrue();
        assertThat(writeFailed.get(5, TimeUnit.SECONDS)).as("and cannot write any more").isTrue();
        assertThat(stream.next()).isNull();
    }

    @Test
    void closingBeforeTheResponseAbortsTheRequest() throws Exception {
        server.enqueue((req, ex) -> ex.awaitClientClose(Duration.ofSeconds(5)));
        SseStream stream = open(Duration.ofSeconds(10), Duration.ofSeconds(10), RetryPolicy.none());

        CompletableFuture<SseEvent> blocked = nextInBackground(stream);
        server.takeRequest();
        stream.close();

        assertThat(blocked.get(2, TimeUnit.SECONDS)).isNull();
        assertThat(server.awaitClientHangUp(Duration.ofSeconds(2))).isTrue();
    }

    @Test
    void aReleasedStreamLetsItsBodyEndSoTheConnectionIsReused() throws Exception {
        for (int i = 0; i < 2; i++) {
            server.enqueue((req, ex) -> {
                ex.status(200, "text/event-stream");
                ex.chunk("data: [DONE]\n\n");
                Thread.sleep(300); // the end of the body comes a little after the protocol's end marker
                ex.end();
            });
        }
        for (int i = 0; i < 2; i++) {
            SseStream stream = open(SHORT, SHORT, RetryPolicy.none());
            assertThat(stream.next()).isEqualTo(SseEvent.message("[DONE]"));
            stream.release();
            assertThat(stream.next()).isNull();
            Thread.sleep(500);
        }

        assertThat(server.connections()).isEqualTo(1);
        assertThat(server.awaitClientHangUp(Duration.ofMillis(100))).isFalse();
    }

    @Test
    void aReleasedStreamWhoseBodyNeverEndsIsCutAfterTheGrace() throws Exception {
        server.enqueue((req, ex) -> {
            ex.status(200, "text/event-stream");
            ex.chunk("data: [DONE]\n\n");
            ex.awaitClientClose(Duration.ofSeconds(10));
        });
        SseStream stream = open(SHORT, SHORT, RetryPolicy.none());
        assertThat(stream.next()).isEqualTo(SseEvent.message("[DONE]"));
        long t0 = System.nanoTime();

        stream.release();

        assertThat(stream.next()).as("no waiting for the body").isNull();
        assertThat(server.awaitClientHangUp(SseStream.RELEASE_GRACE.plusSeconds(3))).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(
                SseStream.RELEASE_GRACE.minusMillis(50));
    }

    @Test
    void aClosedStreamSendsNothing() throws Exception {
        SseStream stream = open(SHORT, SHORT, RetryPolicy.none());
        stream.close();

        assertThat(stream.next()).isNull();
        assertThat(stream.attempts()).isZero();
        assertThat(server.pendingRequests()).isZero();
    }

    @Test
    void aRefusedConnectionIsRetriedThenReported() throws Exception {
        URI nothingThere;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nothingThere = URI.create("http://127.0.0.1:" + s.getLocalPort() + "/v1/x");
        }
        SseStream stream = open(nothingThere, SHORT, SHORT, FAST_RETRY);

        assertThatThrownBy(stream::next).isInstanceOfSatisfying(ApiException.Unreachable.class,
                e -> assertThat(e).hasMessage("connection refused"));
        assertThat(stream.attempts()).isEqualTo(3);
    }

    @Test
    void aServerErrorIsRetriedAndTheRetrySucceeds() throws Exception {
        server.enqueue((req, ex) -> {
            ex.status(503, "application/json", "Retry-After: 0");
            ex.chunk("{\"error\":{\"message\":\"overloaded\"}}");
            ex.end();
        });
        server.enqueue((req, ex) -> {
            ex.status(200, "text/event-stream");
            ex.chunk("data: ok\n\n");
            ex.end();
        });
        SseStream stream = open(SHORT, SHORT, FAST_RETRY);

        assertThat(stream.next()).isEqualTo(SseEvent.message("ok"));
        assertThat(stream.next()).isNull();
        assertThat(stream.attempts()).isEqualTo(2);
        assertThat(server.takeRequest().body()).isEqualTo(server.takeRequest().body());
    }

    @Test
    void closingDuringTheBackoffEndsTheWaitAtOnce() throws Exception {
        server.enqueue((req, ex) -> {
            ex.status(500, "text/plain");
            ex.end();
        });
        RetryPolicy slow = new RetryPolicy(1, Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5));
        SseStream stream = open(SHORT, SHORT, slow);
        CompletableFuture<SseEvent> blocked = nextInBackground(stream);
        server.takeRequest();
        Thread.sleep(200);
        stream.close();

        assertThat(blocked.get(1, TimeUnit.SECONDS)).isNull();
        assertThat(stream.attempts()).isEqualTo(1);
    }

    @Test
    void aTwoHundredThatIsNotAnEventStreamIsReported() throws Exception {
        server.enqueue((req, ex) -> {
            ex.status(200, "application/json");
            ex.chunk("{\"choices\":[]}");
            ex.end();
        });
        SseStream stream = open(SHORT, SHORT, FAST_RETRY);

        assertThatThrownBy(stream::next).isInstanceOfSatisfying(ApiException.StreamFailed.class, e -> {
            assertThat(e.reason()).isEqualTo(ApiException.StreamFailed.Reason.NOT_AN_EVENT_STREAM);
            assertThat(e).hasMessage("the response was not an event stream: Content-Type application/json");
        });
        assertThat(stream.attempts()).isEqualTo(1);
    }
}

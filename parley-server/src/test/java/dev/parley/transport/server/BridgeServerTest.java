package dev.parley.transport.server;

import dev.parley.testing.Patience;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.audio.PcmAudio;
import dev.parley.providers.http.Secret;
import dev.parley.providers.openai.realtime.OpenAiRealtimeClient;
import dev.parley.providers.openai.realtime.OpenAiRealtimeConfig;
import dev.parley.session.SessionConfig;
import dev.parley.transport.bridge.BridgeSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static dev.parley.transport.server.FakeOpenAiRealtime.event;
import static dev.parley.transport.server.RealtimeTestClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Bridge mode end to end: a client, Parley's server in bridge mode, and a fake OpenAI Realtime API on real sockets. */
class BridgeServerTest {
    private static final String KEY = "sk-test-bridge-0123456789abcdef";
    private static final String RESP = "resp_CCAS7sNb0mJxJc0G7Pnc4";
    private static final String ITEM = "item_CCAS7cHrLz0LT7VzYtT8J";

    private FakeOpenAiRealtime fake;
    private ParleyServer server;

    @BeforeEach
    void startFake() {
        fake = new FakeOpenAiRealtime();
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
        fake.close();
    }

    private RealtimeTestClient connect(UnaryOperator<BridgeSettings> settings, UnaryOperator<OpenAiRealtimeConfig> config) {
        OpenAiRealtimeConfig c = config.apply(OpenAiRealtimeConfig.defaults().withBaseUrl(fake.baseUrl()).withApiKey(Secret.of(KEY)));
        server = ParleyServer.startBridge(ServerConfig.local(0, SessionConfig.DEFAULT, "unused"),
                settings.apply(BridgeSettings.of(new OpenAiRealtimeClient(c))));
        return RealtimeTestClient.connect(URI.create(server.realtimeUri() + "?model=gpt-realtime"));
    }

    private RealtimeTestClient connect(UnaryOperator<BridgeSettings> settings) {
        return connect(settings, c -> c);
    }

    // ------------------------------------------------------------ OpenAI's documented server events

    private static ObjectNode assistantItem(String status) {
        ObjectNode item = JSON.createObjectNode().put("id", ITEM).put("type", "message").put("status", status).put("role", "assistant");
        item.put("object", "realtime.item");
        item.putArray("content");
        return item;
    }

    private void scriptUserTurn() {
        fake.send(event("input_audio_buffer.speech_started").put("audio_start_ms", 1000).put("item_id", "item_user1"));
        fake.send(event("input_audio_buffer.speech_stopped").put("audio_end_ms", 2400).put("item_id", "item_user1"));
        fake.send(event("input_audio_buffer.committed").putNull("previous_item_id").put("item_id", "item_user1"));
        ObjectNode added = event("conversation.item.added").putNull("previous_item_id");
        ObjectNode user = added.putObject("item").put("id", "item_user1").put("type", "message").put("status", "completed").put("role", "user");
        user.putArray("content").addObject().put("type", "input_audio").putNull("transcript");
        fake.send(added);
    }

    private void scriptResponseStart() {
        ObjectNode created = event("response.created");
        created.putObject("response").put("object", "realtime.response").put("id", RESP).put("status", "in_progress")
                .putNull("status_details").putArray("output");
        fake.send(created);
        ObjectNode itemAdded = event("response.output_item.added").put("response_id", RESP).put("output_index", 0);
        itemAdded.set("item", assistantItem("in_progress"));
        fake.send(itemAdded);
        ObjectNode part = event("response.content_part.added").put("response_id", RESP).put("item_id", ITEM)
                .put("output_index", 0).put("content_index", 0);
        part.putObject("part").put("type", "audio").put("transcript", "");
        fake.send(part);
    }

    /** {@code n} deltas of 200 ms of PCM16 at 24 kHz each. */
    private void scriptAudio(int n) {
        for (int i = 0; i < n; i++) {
            byte[] pcm = new byte[9600];
            for (int j = 0; j < pcm.length; j++) pcm[j] = (byte) (i * 7 + j);
            fake.send(event("response.output_audio.delta").put("response_id", RESP).put("item_id", ITEM)
                    .put("output_index", 0).put("content_index", 0).put("delta", Base64.getEncoder().encodeToString(pcm)));
        }
    }

    private void scriptResponseDone(String status) {
        fake.send(event("response.output_audio.done").put("response_id", RESP).put("item_id", ITEM).put("output_index", 0).put("content_index", 0));
        ObjectNode done = event("response.done");
        ObjectNode r = done.putObject("response").put("object", "realtime.response").put("id", RESP).put("status", status);
        if (status.equals("completed")) r.putNull("status_details");
        else r.putObject("status_details").put("type", "cancelled").put("reason", "turn_detected");
        r.putArray("output").add(assistantItem(status.equals("completed") ? "completed" : "incomplete"));
        r.putNull("metadata");
        r.putObject("usage").put("total_tokens", 253).put("input_tokens", 132).put("output_tokens", 121);
        fake.send(done);
    }

    // ------------------------------------------------------------ tests

    @Test
    void aTurnIsRelayedBothWaysUnchangedWithTheWaterfallInResponseDone() throws Exception {
        try (RealtimeTestClient c = connect(s -> s)) {
            JsonNode created = c.await("session.created");
            FakeOpenAiRealtime.Handshake h = fake.handshake.get(Patience.CEILING_SECONDS, TimeUnit.SECONDS);
            assertThat(h.path()).isEqualTo("/v1/realtime");
            assertThat(h.query()).isEqualTo("model=gpt-realtime");
            assertThat(h.authorization()).isEqualTo("Bearer " + KEY);
            assertThat(h.beta()).isNull();
            assertThat(created).isEqualTo(fake.sent.getFirst());

            // Parley's defaults go first
            JsonNode defaults = fake.next();
            assertThat(defaults.path("event_id").asText()).startsWith("parley_");
            ((ObjectNode) defaults).remove("event_id");
            assertThat(defaults.toString()).isEqualTo("{\"type\":\"session.update\",\"session\":{\"type\":\"realtime\",\"audio\":{"
                    + "\"input\":{\"format\":{\"type\":\"audio/pcm\",\"rate\":24000},\"turn_detection\":{\"type\":\"server_vad\",\"silence_duration_ms\":500}},"
                    + "\"output\":{\"format\":{\"type\":\"audio/pcm\",\"rate\":24000}}}}}");

            // the client's events go up unchanged, audio included
            ObjectNode update = RealtimeTestClient.event("session.update").put("event_id", "evt_client_1");
            update.putObject("session").put("type", "realtime").put("instructions", "Be brief.");
            c.send(update);
            assertThat(fake.next()).isEqualTo(update);
            short[] samples = new short[2400];
            for (int i = 0; i < samples.length; i++) samples[i] = (short) (i * 13);
            c.appendAudio(new PcmAudio(samples, 24_000));
            ByteArrayOutputStream up = new ByteArrayOutputStream();
            for (int i = 0; i < 5; i++) {
                JsonNode append = fake.next();
                assertThat(append.path("type").asText()).isEqualTo("input_audio_buffer.append");
                up.write(Base64.getDecoder().decode(append.path("audio").asText()));
            }
            assertThat(up.toByteArray()).isEqualTo(new PcmAudio(samples, 24_000).toLittleEndianBytes());

            // a turn comes back unchanged
            scriptUserTurn();
            scriptResponseStart();
            scriptAudio(3);
            scriptResponseDone("completed");
            JsonNode done = c.await("response.done");
            List<JsonNode> got = c.seen();
            List<JsonNode> sent = fake.sent;
            assertThat(got).hasSize(sent.size());
            for (int i = 0; i < sent.size() - 1; i++) assertThat(got.get(i)).as("event %d", i).isEqualTo(sent.get(i));

            JsonNode meta = done.path("response").path("metadata");
            ObjectNode withoutMeta = done.deepCopy();
            ((ObjectNode) withoutMeta.path("response")).putNull("metadata");
            assertThat(withoutMeta).isEqualTo(sent.getLast());
            assertThat(meta.path("latency_endpoint_ms").asText()).isEqualTo("200.0"); // the VAD's silence_duration_ms
            assertThat(meta.path("latency_stt_ms").asText()).isEqualTo("0.0");
            assertThat(meta.path("latency_dialog_ms").asText()).isEqualTo("0.0");
            double tts = Double.parseDouble(meta.path("latency_tts_ms").asText());
            double ttfb = Double.parseDouble(meta.path("latency_ttfb_realtime_openai_ms").asText());
            // both from the bridge's own clock; no lower bound from a sleep here, as a busy bridge may read the
            // start and the first audio back to back however long the test waited between sending them
            assertThat(tts).isNotNegative().isCloseTo(ttfb, org.assertj.core.data.Offset.offset(0.11));
            double sum = 0;
            for (String stage : new String[]{"endpoint", "stt", "dialog", "tts", "out"}) sum += Double.parseDouble(meta.path("latency_" + stage + "_ms").asText());
            assertThat(Double.parseDouble(meta.path("latency_end_to_end_ms").asText())).isCloseTo(sum, org.assertj.core.data.Offset.offset(0.3));

            String scrape = server.metrics().scrape();
            assertThat(scrape).containsPattern("parley_provider_ttfb_seconds_count\\{provider=\"openai\",stage=\"realtime\"} 1(\\.0)?\n");
            assertThat(scrape).containsPattern("parley_turns_total\\{interrupted=\"false\"} 1(\\.0)?\n");
        }
    }

    @Test
    void bargeInTruncatesWhatTheClientHeardAndCancelsTheResponse() throws Exception {
        try (RealtimeTestClient c = connect(s -> s.withTruncateGrace(Duration.ZERO))) {
            c.await("session.created");
            fake.next("session.update");
            scriptUserTurn();
            scriptResponseStart();
            scriptAudio(10); // 2 s of audio, sent at once as OpenAI does
            c.await("response.output_audio.delta");
            long firstDelta = System.nanoTime();
            Thread.sleep(400); // not a wait for anything: time the client spends playing, bounded below by causality
            fake.send(event("input_audio_buffer.speech_started").put("audio_start_ms", 3000).put("item_id", "item_user2"));
            long bargeIn = System.nanoTime();

            JsonNode cancel = fake.next("response.cancel");
            assertThat(cancel.path("response_id").asText()).isEqualTo(RESP);
            assertThat(cancel.path("event_id").asText()).startsWith("parley_");
            JsonNode truncate = fake.next("conversation.item.truncate");
            assertThat(truncate.path("item_id").asText()).isEqualTo(ITEM);
            assertThat(truncate.path("content_index").asInt()).isZero();
            long heard = truncate.path("audio_end_ms").asLong();
            // at least the time the client had been playing, at most the 2 s of audio it was sent
            assertThat(heard).isGreaterThanOrEqualTo(Math.min(2000, (bargeIn - firstDelta) / 1_000_000 - 50)).isLessThanOrEqualTo(2000);

            // OpenAI had cancelled already: its error answers Parley's event and is not relayed
            ObjectNode error = event("error");
            error.putObject("error").put("type", "invalid_request_error").put("code", "response_cancel_not_active")
                    .put("message", "Cancellation failed: no active response found").putNull("param").put("event_id", cancel.path("event_id").asText());
            fake.send(error);
            scriptResponseDone("cancelled");
            JsonNode done = c.await("response.done");
            assertThat(done.at("/response/status").asText()).isEqualTo("cancelled");
            assertThat(c.types()).doesNotContain("error").contains("input_audio_buffer.speech_started");
            await().atMost(Patience.CEILING).untilAsserted(() ->
                    assertThat(server.metrics().scrape()).containsPattern("parley_turns_total\\{interrupted=\"true\"} 1(\\.0)?\n"));
        }
    }

    @Test
    void theClientsOwnTruncateIsUsedInsteadOfTheEstimate() throws Exception {
        // the grace is the time the client has to send its own truncate: generous, so a busy machine cannot make
        // Parley's estimate win the race; the check for no second truncate then outwaits the grace
        try (RealtimeTestClient c = connect(s -> s.withTruncateGrace(Duration.ofSeconds(4)))) {
            c.await("session.created");
            fake.next("session.update");
            scriptUserTurn();
            scriptResponseStart();
            scriptAudio(10);
            c.await("response.output_audio.delta");
            Thread.sleep(200); // not a wait for anything: some playing time before the barge-in
            fake.send(event("input_audio_buffer.speech_started").put("audio_start_ms", 3000).put("item_id", "item_user2"));
            c.await("input_audio_buffer.speech_started");
            ObjectNode own = RealtimeTestClient.event("conversation.item.truncate").put("item_id", ITEM).put("content_index", 0).put("audio_end_ms", 123);
            c.send(own);
            assertThat(fake.next("response.cancel").path("response_id").asText()).isEqualTo(RESP);
            assertThat(fake.next("conversation.item.truncate")).isEqualTo(own);
            JsonNode more = fake.received.poll(5, TimeUnit.SECONDS);
            assertThat(more).as("no second truncate from Parley").isNull();
        }
    }

    @Test
    void aRefusedKeyReachesTheClientAsAnErrorNamingTheVariable() throws Exception {
        fake.refuseKey = true;
        try (RealtimeTestClient c = connect(s -> s)) {
            JsonNode error = c.await("error").path("error");
            assertThat(error.path("code").asText()).isEqualTo("invalid_api_key");
            assertThat(error.path("message").asText()).contains("OPENAI_API_KEY").contains("401").doesNotContain(KEY);
            await().atMost(Patience.CEILING).until(() -> c.closeCode() == 1011);
            await().atMost(Patience.CEILING).until(() -> server.activeSessions() == 0);
        }
    }

    @Test
    void aDroppedUpstreamGivesTheClientAnErrorAndCloses() throws Exception {
        try (RealtimeTestClient c = connect(s -> s)) {
            c.await("session.created");
            fake.socket.join().session.disconnect();
            JsonNode error = c.await("error").path("error");
            assertThat(error.path("type").asText()).isEqualTo("server_error");
            assertThat(error.path("code").asText()).isEqualTo("upstream_closed");
            await().atMost(Patience.CEILING).until(() -> c.closeCode() == 1011);
        }
    }

    @Test
    void aStalledUpstreamIsDetected() throws Exception {
        try (RealtimeTestClient c = connect(s -> s, cfg -> cfg.withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(1)))) {
            c.await("session.created");
            fake.next("session.update");
            scriptUserTurn(); // the user stopped speaking; OpenAI never answers
            JsonNode error = c.await("error").path("error");
            assertThat(error.path("code").asText()).isEqualTo("upstream_stalled");
            await().atMost(Patience.CEILING).until(() -> c.closeCode() == 1011);
            assertThat(fake.closedByBridge.get(Patience.CEILING_SECONDS, TimeUnit.SECONDS)).isNotNull();
        }
    }

    @Test
    void aClientThatLeavesClosesTheUpstreamSocket() throws Exception {
        RealtimeTestClient c = connect(s -> s);
        c.await("session.created");
        fake.next("session.update");
        assertThat(server.activeSessions()).isEqualTo(1);
        c.close();
        assertThat(fake.closedByBridge.get(Patience.CEILING_SECONDS, TimeUnit.SECONDS)).isEqualTo(1000);
        await().atMost(Patience.CEILING).until(() -> server.activeSessions() == 0);
    }

    @Test
    void theBetaInterfaceSendsItsHeaderAndSessionShape() throws Exception {
        try (RealtimeTestClient c = connect(s -> s.withTurnDetection(BridgeSettings.TurnDetection.SEMANTIC_VAD).withVoice("marin"),
                cfg -> cfg.withBeta(true).withModel("gpt-4o-realtime-preview"))) {
            c.await("session.created");
            FakeOpenAiRealtime.Handshake h = fake.handshake.get(Patience.CEILING_SECONDS, TimeUnit.SECONDS);
            assertThat(h.beta()).isEqualTo("realtime=v1");
            assertThat(h.query()).isEqualTo("model=gpt-4o-realtime-preview");
            ObjectNode defaults = (ObjectNode) fake.next();
            defaults.remove("event_id");
            assertThat(defaults.toString()).isEqualTo("{\"type\":\"session.update\",\"session\":{\"input_audio_format\":\"pcm16\","
                    + "\"output_audio_format\":\"pcm16\",\"turn_detection\":{\"type\":\"semantic_vad\"},\"voice\":\"marin\"}}");
        }
    }
}

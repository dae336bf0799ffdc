package dev.parley.transport.server;

import dev.parley.testing.Patience;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.audio.PcmAudio;
import dev.parley.audio.WavFile;
import dev.parley.dialog.RuleBasedDialog;
import dev.parley.eval.CorpusManifest;
import dev.parley.eval.WordErrorRate;
import dev.parley.session.SessionConfig;
import dev.parley.embedded.testing.EmbeddedFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletionException;

import static dev.parley.transport.server.RealtimeTestClient.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The Realtime protocol end to end: a WebSocket client, the server, the real embedded engines and real speech. */
class RealtimeServerTest {
    private static ParleyServer server;

    @BeforeAll
    static void start() {
        var stack = EmbeddedFixture.stack();
        server = ParleyServer.start(ServerConfig.local(0, SessionConfig.DEFAULT, "cmu-slt-hsmm"),
                () -> stack.engines(new RuleBasedDialog(Clock.systemDefaultZone())));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static PcmAudio speech(CorpusManifest.Clip clip) throws Exception {
        return WavFile.read(EmbeddedFixture.corpus().resolve(clip.file()));
    }

    private static RealtimeTestClient connect() throws InterruptedException {
        RealtimeTestClient c = RealtimeTestClient.connect(URI.create(server.realtimeUri() + "?model=gpt-realtime"));
        JsonNode created = c.await("session.created");
        assertThat(created.path("session").path("model").asText()).isEqualTo("gpt-realtime");
        return c;
    }

    /** A conversation.item.create of a typed user message. */
    private static ObjectNode userText(String text) {
        ObjectNode create = event("conversation.item.create");
        create.putObject("item").put("type", "message").put("role", "user")
                .putArray("content").addObject().put("type", "input_text").put("text", text);
        return create;
    }

    /** The event types, in order, with the ones that repeat (deltas) collapsed. */
    private static List<String> sequence(List<String> types) {
        List<String> out = new ArrayList<>();
        for (String t : types) if (out.isEmpty() || !out.getLast().equals(t)) out.add(t);
        return out;
    }

    @Test
    void aSpokenTurnGivesTheEventsOfTheRealtimeApiTheTranscriptAndReplyAudio() throws Exception {
        CorpusManifest.Clip clip = EmbeddedFixture.clip("speechbrain__spk1_snt1");
        try (RealtimeTestClient c = connect()) {
            ObjectNode update = event("session.update");
            ObjectNode input = update.putObject("session").put("type", "realtime").putObject("audio").putObject("input");
            input.putObject("format").put("type", "audio/pcm").put("rate", 24000);
            input.putObject("turn_detection").put("type", "server_vad").put("silence_duration_ms", 400);
            c.send(update);
            JsonNode updated = c.await("session.updated");
            assertThat(updated.at("/session/audio/input/turn_detection/silence_duration_ms").asInt()).isEqualTo(400);

            c.appendAudio(speech(clip));
            c.appendAudio(PcmAudio.silence(24_000, 1500));
            JsonNode done = c.await("response.done", Duration.ofSeconds(60));
            c.drain(Duration.ofMillis(300));

            List<String> seq = sequence(c.types());
            assertThat(seq).containsSubsequence("input_audio_buffer.speech_started",
                    "conversation.item.input_audio_transcription.delta",
                    "input_audio_buffer.speech_stopped", "input_audio_buffer.committed",
                    "conversation.item.created", "conversation.item.added", "response.created", "response.output_item.added",
                    "conversation.item.created", "conversation.item.added", "response.content_part.added",
                    "response.output_audio_transcript.delta", "response.output_audio.delta",
                    "response.output_audio.done", "response.output_audio_transcript.done", "response.content_part.done",
                    "response.output_item.done", "conversation.item.done", "response.done");
            assertThat(seq).contains("conversation.item.input_audio_transcription.completed");

            JsonNode started = c.seen("input_audio_buffer.speech_started").getFirst();
            JsonNode stopped = c.seen("input_audio_buffer.speech_stopped").getFirst();
            String userItem = started.path("item_id").asText();
            assertThat(userItem).startsWith("item_");
            assertThat(stopped.path("item_id").asText()).isEqualTo(userItem);
            // the speech bounds follow the manifest's (start includes the prefix padding)
            assertThat(stopped.path("audio_end_ms").asDouble()).isCloseTo(clip.speechEndS() * 1000, org.assertj.core.data.Offset.offset(300.0));
            assertThat(started.path("audio_start_ms").asLong()).isLessThanOrEqualTo((long) (clip.speechStartS() * 1000) + 100);

            JsonNode completed = c.seen("conversation.item.input_audio_transcription.completed").getFirst();
            assertThat(completed.path("item_id").asText()).isEqualTo(userItem);
            String transcript = completed.path("transcript").asText();
            assertThat(WordErrorRate.compute(clip.transcript(), transcript).wer()).as(transcript).isLessThan(0.35);
            assertThat(completed.at("/usage/type").asText()).isEqualTo("duration");
            assertThat(completed.at("/usage/seconds").asDouble()).isGreaterThan(1.0);

            // reply: transcript deltas add up to the done transcript, audio is PCM16 of a plausible length
            JsonNode response = done.path("response");
            assertThat(response.path("status").asText()).isEqualTo("completed");
            String replyText = c.seen("response.output_audio_transcript.done").getFirst().path("transcript").asText();
            StringBuilder deltas = new StringBuilder();
            c.seen("response.output_audio_transcript.delta").forEach(d -> deltas.append(d.path("delta").asText()));
            assertThat(deltas.toString()).isEqualTo(replyText).startsWith("You said");
            long bytes = c.seen("response.output_audio.delta").stream()
                    .mapToLong(d -> Base64.getDecoder().decode(d.path("delta").asText()).length).sum();
            double seconds = bytes / 2.0 / 24_000;
            assertThat(seconds).isBetween(1.0, 15.0);
            assertThat(response.at("/output/0/content/0/transcript").asText()).isEqualTo(replyText);
            assertThat(response.at("/output/0/role").asText()).isEqualTo("assistant");
            // the turn's latency waterfall, as strings like OpenAI's metadata
            JsonNode meta = response.path("metadata");
            double e2e = Double.parseDouble(meta.path("latency_end_to_end_ms").asText());
            double sum = 0;
            for (String stage : new String[]{"endpoint", "stt", "dialog", "tts", "out"}) {
                sum += Double.parseDouble(meta.path("latency_" + stage + "_ms").asText());
            }
            // at least the endpoint's silence (audio time); no upper bound: how long the models took is the machine's
            assertThat(e2e).isGreaterThanOrEqualTo(50.0).isCloseTo(sum, org.assertj.core.data.Offset.offset(1.0));

            // every server event has a unique id
            assertThat(c.seen().stream().map(e -> e.path("event_id").asText()).distinct().count()).isEqualTo(c.seen().size());

            // the client reports playback: Parley completes the waterfall at the ear
            String responseId = response.path("id").asText();
            c.send(event("parley.playback.started").put("response_id", responseId)
                    .put("item_id", response.at("/output/0/id").asText()).put("buffered_ms", 40).put("output_latency_ms", 10));
            JsonNode latency = c.await("parley.latency");
            JsonNode w = latency.path("waterfall");
            assertThat(w.path("playout_ms").asDouble()).isEqualTo(50.0);
            assertThat(w.path("total_ms").asDouble()).isGreaterThan(e2e + 50 - 1);
        }
    }

    @Test
    void aTypedMessageIsAnsweredOnResponseCreate() throws Exception {
        try (RealtimeTestClient c = connect()) {
            c.send(userText("What can you do?"));
            JsonNode added = c.await("conversation.item.added");
            assertThat(added.at("/item/content/0/text").asText()).isEqualTo("What can you do?");
            c.send(event("response.create"));
            JsonNode done = c.await("response.done", Duration.ofSeconds(60));
            assertThat(done.at("/response/status").asText()).isEqualTo("completed");
            assertThat(done.at("/response/output/0/content/0/transcript").asText()).startsWith("I can tell you the time");
            assertThat(c.seen("response.output_audio.delta")).isNotEmpty();
        }
    }

    @Test
    void pushToTalkCommitsWhatTheClientSentAndAnswersOnRequest() throws Exception {
        CorpusManifest.Clip clip = EmbeddedFixture.clip("speechbrain__spk2_snt4");
        try (RealtimeTestClient c = connect()) {
            ObjectNode update = event("session.update");
            update.putObject("session").putNull("turn_detection"); // beta spelling
            c.send(update);
            assertThat(c.await("session.updated").at("/session/audio/input/turn_detection").isNull()).isTrue();

            c.appendAudio(speech(clip));
            c.send(event("input_audio_buffer.commit").put("event_id", "evt_commit"));
            JsonNode committed = c.await("input_audio_buffer.committed");
            JsonNode completed = c.await("conversation.item.input_audio_transcription.completed");
            assertThat(completed.path("item_id").asText()).isEqualTo(committed.path("item_id").asText());
            assertThat(WordErrorRate.compute(clip.transcript(), completed.path("transcript").asText()).wer()).isLessThan(0.35);
            assertThat(completed.at("/usage/seconds").asDouble()).isCloseTo(clip.durationS(), org.assertj.core.data.Offset.offset(0.1));
            // no VAD events and no reply until asked
            c.drain(Duration.ofMillis(500));
            assertThat(c.types()).doesNotContain("input_audio_buffer.speech_started", "response.created");

            c.send(event("response.create"));
            JsonNode done = c.await("response.done", Duration.ofSeconds(60));
            assertThat(done.at("/response/output/0/content/0/transcript").asText()).startsWith("You said");

            // a second commit with nothing appended is an error, and the session goes on
            c.send(event("input_audio_buffer.commit").put("event_id", "evt_empty"));
            JsonNode error = c.await("error");
            assertThat(error.at("/error/code").asText()).isEqualTo("input_audio_buffer_commit_empty");
            assertThat(error.at("/error/event_id").asText()).isEqualTo("evt_empty");
        }
    }

    @Test
    void truncateKeepsWhatWasHeardAndChecksItsArguments() throws Exception {
        try (RealtimeTestClient c = connect()) {
            c.send(userText("help"));
            c.send(event("response.create"));
            JsonNode done = c.await("response.done", Duration.ofSeconds(60));
            String itemId = done.at("/response/output/0/id").asText();
            long audioMs = c.seen("response.output_audio.delta").stream()
                    .mapToLong(d -> Base64.getDecoder().decode(d.path("delta").asText()).length).sum() / 2 * 1000 / 24_000;

            c.send(event("conversation.item.truncate").put("item_id", itemId).put("content_index", 0).put("audio_end_ms", audioMs + 500));
            assertThat(c.await("error").at("/error/code").asText()).isEqualTo("invalid_audio_end_ms");
            c.send(event("conversation.item.truncate").put("item_id", "item_nope").put("content_index", 0).put("audio_end_ms", 10));
            assertThat(c.await("error").at("/error/code").asText()).isEqualTo("item_not_found");

            c.send(event("conversation.item.truncate").put("item_id", itemId).put("content_index", 0).put("audio_end_ms", 1200));
            JsonNode truncated = c.await("conversation.item.truncated");
            assertThat(truncated.path("item_id").asText()).isEqualTo(itemId);
            assertThat(truncated.path("audio_end_ms").asLong()).isEqualTo(1200);
        }
    }

    @Test
    void badInputGetsAnErrorThatNamesTheProblemAndTheSessionGoesOn() throws Exception {
        try (RealtimeTestClient c = connect()) {
            String[][] cases = {
                    {"{not json", "invalid_json"},
                    {"[1,2]", "invalid_json"},
                    {"{\"event_id\":\"e1\"}", "invalid_event"},
                    {"{\"type\":\"session.fly\",\"event_id\":\"e2\"}", "unknown_event"},
                    {"{\"type\":\"input_audio_buffer.append\"}", "missing_required_parameter"},
                    {"{\"type\":\"input_audio_buffer.append\",\"audio\":\"%%%not-base64\"}", "invalid_audio"},
                    {"{\"type\":\"input_audio_buffer.append\",\"audio\":\"AAAA\"}", "invalid_audio"}, // 3 bytes
                    {"{\"type\":\"input_audio_buffer.commit\"}", "input_audio_buffer_commit_empty"},
                    {"{\"type\":\"conversation.item.truncate\",\"item_id\":\"item_x\",\"content_index\":0,\"audio_end_ms\":5}", "item_not_found"},
                    {"{\"type\":\"conversation.item.truncate\",\"item_id\":\"item_x\"}", "missing_required_parameter"},
                    {"{\"type\":\"conversation.item.create\",\"item\":{\"type\":\"message\",\"role\":\"user\"}}", "missing_required_parameter"},
                    {"{\"type\":\"response.cancel\"}", "response_cancel_not_active"},
                    {"{\"type\":\"session.update\",\"session\":{\"audio\":{\"input\":{\"format\":{\"type\":\"audio/mpeg\"}}}}}", "unsupported_format"},
                    {"{\"type\":\"session.update\",\"session\":{\"turn_detection\":{\"type\":\"server_vad\",\"threshold\":7}}}", "invalid_value"},
                    {"{\"type\":\"session.update\"}", "missing_required_parameter"},
            };
            for (String[] k : cases) {
                c.send(k[0]);
                JsonNode error = c.await("error");
                assertThat(error.at("/error/code").asText()).as(k[0]).isEqualTo(k[1]);
                assertThat(error.at("/error/type").asText()).isEqualTo("invalid_request_error");
                assertThat(error.at("/error/message").asText()).isNotBlank();
            }
            assertThat(c.seen("error").get(3).at("/error/event_id").asText()).isEqualTo("e2");
            // too large: a 9 MB append
            c.send("{\"type\":\"input_audio_buffer.append\",\"audio\":\"" + "A".repeat(9 * 1024 * 1024) + "\"}");
            assertThat(c.await("error").at("/error/code").asText()).isEqualTo("message_too_large");
            // binary frames are not part of the protocol
            c.socket().sendBinary(RealtimeTestClient.bytes(8), true).join();
            assertThat(c.await("error").at("/error/code").asText()).isEqualTo("invalid_event");

            // still working
            c.send(userText("thank you"));
            c.send(event("response.create"));
            assertThat(c.await("response.done", Duration.ofSeconds(60)).at("/response/status").asText()).isEqualTo("completed");
        }
    }

    @Test
    void responseCancelStopsTheReplyAndSaysSo() throws Exception {
        try (RealtimeTestClient c = connect()) {
            c.send(userText("what can you do"));
            c.send(event("response.create"));
            c.await("response.output_audio.delta", Duration.ofSeconds(60));
            c.send(event("response.create"));
            assertThat(c.await("error").at("/error/code").asText()).isEqualTo("conversation_already_has_active_response");
            c.send(event("response.cancel"));
            JsonNode done = c.await("response.done");
            assertThat(done.at("/response/status").asText()).isEqualTo("cancelled");
            assertThat(done.at("/response/status_details/reason").asText()).isEqualTo("client_cancelled");
        }
    }

    @Test
    void aClientThatVanishesMidReplyLeavesNothingRunning() throws Exception {
        // the sessions of earlier tests close asynchronously after their sockets do
        await().atMost(Patience.CEILING).until(() -> server.activeSessions() == 0);
        int before = server.activeSessions();
        RealtimeTestClient c = connect();
        assertThat(server.activeSessions()).isEqualTo(before + 1);
        c.send(userText("what can you do"));
        c.send(event("response.create"));
        c.await("response.output_audio.delta", Duration.ofSeconds(60));
        c.socket().abort(); // no close frame: the TCP connection just goes away
        await().atMost(Patience.CEILING).untilAsserted(() -> {
            assertThat(server.activeSessions()).isEqualTo(before);
            assertThat(server.metrics().activeTasks()).isZero();
        });
    }

    @Test
    void healthAndPrometheusMetrics() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI base = server.uri();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(base.resolve("/healthz")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"ok\"");
        try (RealtimeTestClient c = connect()) {
            c.send(userText("hello"));
            c.send(event("response.create"));
            c.await("response.done", Duration.ofSeconds(60));
            c.send("{oops");
            c.await("error");
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("parley_sessions_active", "parley_turns_total",
                    "parley_turn_latency_seconds_bucket{stage=\"end_to_end\"", "parley_turn_latency_seconds_bucket{stage=\"tts\"",
                    "parley_errors_total{code=\"invalid_json\",type=\"invalid_request_error\"}", "jvm_memory_used_bytes");
        }
    }

    @Test
    void anAuthTokenIsRequiredWhenConfigured() throws Exception {
        var stack = EmbeddedFixture.stack();
        try (ParleyServer secured = ParleyServer.start(ServerConfig.local(0, SessionConfig.DEFAULT, "v").withAuthToken("s3cret"),
                () -> stack.engines(new RuleBasedDialog(Clock.systemDefaultZone())))) {
            HttpClient http = HttpClient.newHttpClient();
            assertThatThrownBy(() -> http.newWebSocketBuilder().buildAsync(secured.realtimeUri(), new java.net.http.WebSocket.Listener() {}).join())
                    .isInstanceOf(CompletionException.class)
                    .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class, e -> assertThat(e.getResponse().statusCode()).isEqualTo(401));
            assertThatThrownBy(() -> http.newWebSocketBuilder().header("Authorization", "Bearer wrong")
                    .buildAsync(secured.realtimeUri(), new java.net.http.WebSocket.Listener() {}).join())
                    .cause().isInstanceOf(WebSocketHandshakeException.class);
            try (RealtimeTestClient c = RealtimeTestClient.connect(secured.realtimeUri(),
                    http.newWebSocketBuilder().header("Authorization", "Bearer s3cret"))) {
                c.await("session.created");
            }
            // browsers: the token as a subprotocol, and "realtime" accepted
            try (RealtimeTestClient c = RealtimeTestClient.connect(secured.realtimeUri(),
                    http.newWebSocketBuilder().subprotocols("realtime", "openai-insecure-api-key.s3cret"))) {
                c.await("session.created");
                assertThat(c.socket().getSubprotocol()).isEqualTo("realtime");
            }
        }
    }
}

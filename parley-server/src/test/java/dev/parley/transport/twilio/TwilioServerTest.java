package dev.parley.transport.twilio;

import dev.parley.audio.G711;
import dev.parley.audio.PcmAudio;
import dev.parley.audio.Resampler;
import dev.parley.audio.WavFile;
import dev.parley.dialog.RuleBasedDialog;
import dev.parley.embedded.testing.EmbeddedFixture;
import dev.parley.session.SessionConfig;
import dev.parley.testing.Patience;
import dev.parley.transport.server.ParleyServer;
import dev.parley.transport.server.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Phone calls against a real server with the embedded engines: the voice webhook's TwiML, Twilio's signature on the
 * webhook and on the stream, and a whole call by a fake Twilio that speaks the documented messages over a real
 * socket, with a caller who talks over the greeting.
 */
class TwilioServerTest {
    private static final String TOKEN = "twilio-test-token";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static ParleyServer open;
    private static ParleyServer signed;
    private static ParleyServer locked;

    @BeforeAll
    static void start() {
        var stack = EmbeddedFixture.stack();
        ServerConfig base = ServerConfig.local(0, SessionConfig.DEFAULT, "cmu-slt-hsmm");
        open = ParleyServer.start(base, () -> stack.engines(new RuleBasedDialog(Clock.systemDefaultZone())));
        signed = ParleyServer.start(base.withTwilioAuthToken(TOKEN), () -> stack.engines(new RuleBasedDialog(Clock.systemDefaultZone())));
        locked = ParleyServer.start(base.withAuthToken("bearer-only"), () -> stack.engines(new RuleBasedDialog(Clock.systemDefaultZone())));
    }

    @AfterAll
    static void stop() {
        for (ParleyServer s : new ParleyServer[]{open, signed, locked}) if (s != null) s.close();
    }

    private static HttpResponse<String> webhook(ParleyServer server, String query, Map<String, String> form, Map<String, String> headers)
            throws Exception {
        String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + TwilioEndpoints.VOICE + query))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(r::header);
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> callForm() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("CallSid", "CA0001");
        f.put("AccountSid", "AC0001");
        f.put("From", "+14155550100");
        f.put("To", "+14155550199");
        f.put("CallStatus", "ringing");
        return f;
    }

    @Test
    void theVoiceWebhookAnswersWithTwimlThatStreamsTheCallHere() throws Exception {
        HttpResponse<String> r = webhook(open, "", callForm(), Map.of());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/xml");
        assertThat(r.body()).contains("<Response><Connect><Stream url=\"wss://127.0.0.1:" + open.port() + "/v1/twilio\">")
                .contains("<Parameter name=\"greeting\" value=\"Hello, this is Parley. How can I help?\"/>");
        // behind a proxy: the host it forwards; a greeting of the webhook's own, escaped
        r = webhook(open, "?greeting=" + URLEncoder.encode("Hi & welcome", StandardCharsets.UTF_8), callForm(),
                Map.of("X-Forwarded-Host", "parley.example.com", "X-Forwarded-Proto", "https"));
        assertThat(r.body()).contains("<Stream url=\"wss://parley.example.com/v1/twilio\">").contains("value=\"Hi &amp; welcome\"");
    }

    @Test
    void withTwiliosAuthTokenOnlySignedRequestsGetThrough() throws Exception {
        TwilioSignature signature = new TwilioSignature(TOKEN);
        String url = "http://127.0.0.1:" + signed.port() + TwilioEndpoints.VOICE;
        assertThat(webhook(signed, "", callForm(), Map.of()).statusCode()).isEqualTo(403);
        assertThat(webhook(signed, "", callForm(), Map.of("X-Twilio-Signature", new TwilioSignature("other").sign(url, callForm())))
                .statusCode()).isEqualTo(403);
        assertThat(webhook(signed, "", callForm(), Map.of("X-Twilio-Signature", signature.sign(url, callForm()))).statusCode())
                .isEqualTo(200);
        // signed for the https address a TLS proxy took it on
        String proxied = "https://parley.example.com" + TwilioEndpoints.VOICE;
        assertThat(webhook(signed, "", callForm(), Map.of("X-Twilio-Signature", signature.sign(proxied, callForm()),
                "X-Forwarded-Proto", "https", "X-Forwarded-Host", "parley.example.com")).statusCode()).isEqualTo(200);

        String ws = "ws://127.0.0.1:" + signed.port() + TwilioEndpoints.STREAM;
        assertThatThrownBy(() -> connect(ws, Map.of(), new LinkedBlockingQueue<>())).as("a stream without the signature")
                .cause().isInstanceOfSatisfying(java.net.http.WebSocketHandshakeException.class,
                        e -> assertThat(e.getResponse().statusCode()).isEqualTo(403));
        WebSocket socket = connect(ws, Map.of("X-Twilio-Signature", signature.sign(ws, Map.of())), new LinkedBlockingQueue<>());
        socket.sendClose(1000, "done").join();
    }

    @Test
    void aServerThatRequiresABearerTokenTakesNoUnsignedCalls() throws Exception {
        HttpResponse<String> r = webhook(locked, "", callForm(), Map.of());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("TWILIO_AUTH_TOKEN");
    }

    @Test
    void aCallerTalksOverTheGreetingAndIsAnswered() throws Exception {
        LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        WebSocket socket = connect("ws://127.0.0.1:" + open.port() + TwilioEndpoints.STREAM, Map.of(), received);
        TwilioPlayback twilio = new TwilioPlayback();
        socket.sendText(TwilioPlayback.connected(), true).join();
        socket.sendText(TwilioPlayback.start(Map.of("greeting",
                "Hello, this is Parley, your voice assistant. I can tell the time, set timers and keep your lists. What would you like?")), true).join();
        Patience.until(() -> {
            pump(received, twilio);
            return twilio.queuedBytes() >= 16_000; // two seconds of greeting wait at Twilio
        });

        var clip = EmbeddedFixture.clip("goforward");
        PcmAudio at8k = Resampler.convert(WavFile.read(EmbeddedFixture.corpus().resolve(clip.file())), 8_000);
        int chunk = send(socket, twilio, received, at8k, 1);
        Patience.until(() -> { // the server's answer to the speech crosses the socket after the frames
            pump(received, twilio);
            return twilio.clears > 0;
        });
        // silence (which plays what Parley sends) until the answer has come and been heard
        PcmAudio silence = new PcmAudio(new short[160], 8_000);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Patience.CEILING_SECONDS);
        while (!(twilio.answeredAfterClear() && twilio.queuedBytes() == 0) && System.nanoTime() < deadline) {
            chunk = send(socket, twilio, received, silence, chunk);
            pump(received, twilio, 20);
        }
        assertThat(twilio.answeredAfterClear()).as("Parley answered after the clear").isTrue();
        assertThat(twilio.bytesAfterClear()).as("the answer: at least half a second of speech").isGreaterThan(4_000);
        assertThat(twilio.echoed).as("marks came back").isNotEmpty();
        assertThat(twilio.sent("media")).allSatisfy(m -> assertThat(m.path("streamSid").asText()).isEqualTo(TwilioPlayback.STREAM));
        socket.sendText(TwilioPlayback.stop(), true).join();
        Patience.until(() -> socket.isInputClosed() || open.activeSessions() == 0);
    }

    /** Sends audio as the caller, 20 ms frames of μ-law, each playing 20 ms of Parley's; marks reached go back. */
    private static int send(WebSocket socket, TwilioPlayback twilio, LinkedBlockingQueue<String> received, PcmAudio at8k, int chunk)
            throws InterruptedException {
        for (int i = 0; i < at8k.length(); i += 160) {
            short[] frame = at8k.slice(i, Math.min(at8k.length(), i + 160)).samples();
            socket.sendText(TwilioPlayback.media(G711.encode(G711.Law.ULAW, frame), chunk++), true).join();
            pump(received, twilio);
            for (String mark : twilio.play(frame.length)) socket.sendText(mark, true).join();
        }
        return chunk;
    }

    private static void pump(LinkedBlockingQueue<String> received, TwilioPlayback twilio) {
        for (String m; (m = received.poll()) != null; ) twilio.onSent(m);
    }

    /** Waits up to {@code millis} for what Parley sends (a condition, not a pause: returns when a message comes). */
    private static void pump(LinkedBlockingQueue<String> received, TwilioPlayback twilio, long millis) throws InterruptedException {
        String m = received.poll(millis, TimeUnit.MILLISECONDS);
        if (m != null) twilio.onSent(m);
        pump(received, twilio);
    }

    private static WebSocket connect(String url, Map<String, String> headers, LinkedBlockingQueue<String> received) {
        WebSocket.Builder b = HTTP.newWebSocketBuilder();
        headers.forEach(b::header);
        return b.buildAsync(URI.create(url), new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    received.add(text.toString());
                    text.setLength(0);
                }
                ws.request(1);
                return CompletableFuture.completedFuture(null);
            }
        }).join();
    }
}

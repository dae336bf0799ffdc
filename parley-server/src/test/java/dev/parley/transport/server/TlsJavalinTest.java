package dev.parley.transport.server;

import dev.parley.testing.Patience;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.javalin.Javalin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The connector as the server will use it: Javalin serving HTTPS and WSS on one port, and nothing in plain text. */
class TlsJavalinTest {

    @TempDir
    Path dir;

    private Javalin app;

    @AfterEach
    void stop() {
        if (app != null) app.stop();
    }

    @Test
    void javalinServesHttpsAndWssOnItsOnlyPort() throws Exception {
        TlsMaterial tls = TlsMaterial.selfSigned(dir, Clock.systemUTC());
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.addConnector((server, httpConfig) ->
                    TlsConnector.https(server, httpConfig, tls, "127.0.0.1", 0));
            config.routes.get("/hello", ctx -> ctx.result("hello over " + ctx.scheme()));
            config.routes.ws("/echo", ws -> ws.onMessage(ctx -> ctx.send("echo " + ctx.message())));
        }).start();
        int port = app.port();
        HttpClient client = HttpClient.newBuilder().sslContext(tls.clientSslContext()).build();

        HttpResponse<String> page = client.send(
                HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/hello")).build(),
                HttpResponse.BodyHandlers.ofString());
        CompletableFuture<String> reply = new CompletableFuture<>();
        WebSocket socket = client.newWebSocketBuilder()
                .buildAsync(URI.create("wss://localhost:" + port + "/echo"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        reply.complete(data.toString());
                        return null;
                    }
                }).get(Patience.CEILING_SECONDS, SECONDS);
        socket.sendText("hi", true).get(Patience.CEILING_SECONDS, SECONDS);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).isEqualTo("hello over https");
        assertThat(reply.get(Patience.CEILING_SECONDS, SECONDS)).isEqualTo("echo hi");
        assertThat(app.jettyServer().server().getConnectors()).as("no plain-text connector beside it").hasSize(1);
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(Patience.CEILING_SECONDS, SECONDS);
    }
}

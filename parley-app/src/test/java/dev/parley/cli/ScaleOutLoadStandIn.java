package dev.parley.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for {@code parley loadtest} in {@link ScaleOutScriptTest}, used only while that command is not on the
 * branch: takes the same arguments ({@code --url U --sessions N --duration S --json}), opens N Realtime WebSockets
 * at once, waits for each one's {@code session.created}, holds them for the duration, closes them and prints one
 * JSON line: {@code {"stand_in":true,"sessions":N,"created":K}}. Exit 0 when every session was created.
 */
public final class ScaleOutLoadStandIn {
    private ScaleOutLoadStandIn() {
    }

    public static void main(String[] args) throws Exception {
        String url = null;
        int sessions = 1;
        int duration = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--url" -> url = args[++i];
                case "--sessions" -> sessions = Integer.parseInt(args[++i]);
                case "--duration" -> duration = Integer.parseInt(args[++i]);
                case "--json" -> { }
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (url == null) throw new IllegalArgumentException("--url is required");
        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<Void>> created = new ArrayList<>();
        List<CompletableFuture<WebSocket>> sockets = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            CompletableFuture<Void> first = new CompletableFuture<>();
            created.add(first);
            sockets.add(http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(20)).buildAsync(URI.create(url), new WebSocket.Listener() {
                private final StringBuilder text = new StringBuilder();

                @Override
                public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                    text.append(data);
                    if (last) {
                        if (text.indexOf("\"type\":\"session.created\"") >= 0) first.complete(null);
                        text.setLength(0);
                    }
                    ws.request(1);
                    return null;
                }
            }));
        }
        int ok = 0;
        for (CompletableFuture<Void> c : created) {
            try {
                c.get(60, TimeUnit.SECONDS);
                ok++;
            } catch (Exception e) {
                System.err.println("a session was not created: " + e);
            }
        }
        Thread.sleep(duration * 1000L);
        for (CompletableFuture<WebSocket> s : sockets) {
            try {
                s.get(1, TimeUnit.SECONDS).sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("a session did not close cleanly: " + e);
            }
        }
        System.out.println("{\"stand_in\":true,\"sessions\":" + sessions + ",\"created\":" + ok + "}");
        System.exit(ok == sessions ? 0 : 1);
    }
}

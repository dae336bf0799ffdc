package dev.parley.cli;

import dev.parley.embedded.models.ModelCache;
import dev.parley.providers.openai.realtime.OpenAiRealtimeClient;
import dev.parley.providers.openai.realtime.OpenAiRealtimeConfig;
import dev.parley.transport.bridge.BridgeSettings;
import dev.parley.transport.realtime.SessionBudget;
import dev.parley.transport.server.ParleyServer;
import dev.parley.transport.server.ServerConfig;
import dev.parley.transport.server.TlsException;
import dev.parley.transport.server.TlsMaterial;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "serve", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Serve the browser client at / and the OpenAI Realtime protocol on the WebSocket /v1/realtime.",
                "Clients written for OpenAI's Realtime API work by changing only their URL. Ctrl-C or SIGTERM stops the server",
                "after draining: no new sessions, live ones go on for up to --drain-s seconds."})
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address to listen on (0.0.0.0: every interface). Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080",
            description = "Port to listen on (0: any free port). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--tls", description = "Serve HTTPS and WSS, with a self-signed certificate for localhost made on first start and kept in $PARLEY_HOME/tls (default ~/.cache/parley/tls).")
    boolean tls;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate (chain) to serve HTTPS/WSS with, instead of the self-signed one.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key of --tls-cert (PKCS#8, PKCS#1 or SEC1, not encrypted).")
    Path tlsKey;

    @Option(names = "--auth-token", paramLabel = "TOKEN", defaultValue = "${env:PARLEY_AUTH_TOKEN}",
            description = "Bearer token the WebSocket requires (Authorization header, or the openai-insecure-api-key subprotocol), and /metrics too; others get 401. Default: $PARLEY_AUTH_TOKEN, else none.")
    String authToken;

    @Option(names = "--max-event-bytes", paramLabel = "N", defaultValue = "8388608",
            description = "Largest client event taken; a larger one gets an error event. Default: ${DEFAULT-VALUE}.")
    int maxEventBytes;

    @Option(names = "--max-item-chars", paramLabel = "N", defaultValue = "32768",
            description = "Largest text of one conversation item (and of the instructions); a larger one gets an error event. Default: ${DEFAULT-VALUE}.")
    int maxItemChars;

    @Option(names = "--max-sessions", paramLabel = "N", defaultValue = "0",
            description = "Most sessions served at once; further WebSockets get 503. Default: 0, as many as the per-session memory budget fits in the heap (max heap / budget).")
    int maxSessions;

    @Option(names = "--drain-s", paramLabel = "SECONDS", defaultValue = "30",
            description = {"On shutdown (SIGTERM, Ctrl-C), refuse new sessions (503; /readyz turns 503) and let live conversations go on for up to this long before closing them with 1001 (going away). Default: ${DEFAULT-VALUE}."})
    int drainS;

    @Mixin
    ConversationOptions conversation;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = conversation.err();
        ProviderOptions providers = conversation.providers;
        PipelineOptions pipeline = conversation.pipeline;
        if (port < 0 || port > 65535) throw new UserError("invalid setting: --port must be 0-65535");
        if (maxEventBytes < 1024) throw new UserError("invalid setting: --max-event-bytes must be at least 1024");
        if (maxItemChars < 1 || maxItemChars > maxEventBytes) throw new UserError("invalid setting: --max-item-chars must be 1 to --max-event-bytes");
        if (maxSessions < 0) throw new UserError("invalid setting: --max-sessions must be >= 0 (0: from the heap)");
        if (drainS < 0 || drainS > 86_400) throw new UserError("invalid setting: --drain-s must be 0-86400");
        if ((tlsCert == null) != (tlsKey == null)) throw new UserError("--tls-cert and --tls-key go together");
        TlsMaterial material = null;
        try {
            if (tlsCert != null) material = TlsMaterial.fromPem(tlsCert, tlsKey);
            else if (tls) material = TlsMaterial.selfSigned(ModelCache.defaultRoot().getParent(), Clock.systemUTC());
        } catch (TlsException e) {
            throw new UserError(e.getMessage(), e);
        }
        ServerConfig config = ServerConfig.local(port, pipeline.sessionConfig(), pipeline.voice)
                .withHost(host).withTls(material).withAuthToken(authToken)
                .withTwilioAuthToken(Environment.load().get("TWILIO_AUTH_TOKEN").orElse(null))
                .withBudget(SessionBudget.DEFAULT.withMaxEventChars(maxEventBytes).withMaxItemChars(maxItemChars)).withMaxSessions(maxSessions)
                .withDrainTimeout(Duration.ofSeconds(drainS));
        ParleyServer server;
        String what;
        try {
            if (providers.realtimeModel != null) {
                providers.validate();
                OpenAiRealtimeConfig realtime;
                try {
                    realtime = OpenAiRealtimeConfig.fromEnvironment(Environment.load().asMap()).withModel(providers.realtimeModel)
                            .withTimeouts(Duration.ofMillis(providers.connectTimeoutMs), Duration.ofMillis(providers.sttTimeoutMs),
                                    OpenAiRealtimeConfig.defaults().stallTimeout());
                } catch (IllegalArgumentException e) {
                    throw new UserError("invalid setting: " + e.getMessage(), e);
                }
                if (!realtime.apiKey().isPresent()) {
                    throw new UserError("the OpenAI Realtime bridge needs a key: set " + realtime.apiKeyEnv()
                            + " (in the environment or a .env file)");
                }
                BridgeSettings bridge = BridgeSettings.of(new OpenAiRealtimeClient(realtime)).withTurnDetection(
                        providers.realtimeVad.equals("semantic_vad") ? BridgeSettings.TurnDetection.SEMANTIC_VAD
                                : BridgeSettings.TurnDetection.SERVER_VAD);
                if (providers.ttsVoice != null) bridge = bridge.withVoice(providers.ttsVoice);
                what = "every session bridged to OpenAI's Realtime API (" + providers.realtimeModel + ", "
                        + providers.realtimeVad + ")";
                server = ParleyServer.startBridge(config, bridge);
            } else {
                Assistant assistant = conversation.open();
                what = assistant.description();
                server = ParleyServer.start(config, assistant::newSession);
            }
        } catch (UserError e) {
            throw e;
        } catch (RuntimeException e) {
            throw new UserError("cannot listen on " + host + ":" + port + ": " + rootMessage(e), e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (server.activeSessions() > 0) {
                err.println("Parley is stopping: no new sessions; " + server.activeSessions()
                        + " live session(s) may go on for up to " + drainS + " s (--drain-s).");
                err.flush();
            }
            server.shutdown();
            stopped.countDown();
        }, "parley-shutdown"));
        err.println(what);
        err.println("Parley is ready in " + java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() + " ms: open " + server.uri() + " in a browser; Realtime clients connect to " + server.realtimeUri());
        if (material != null && material.certificateFile().isPresent() && tlsCert == null) {
            err.println("Self-signed certificate: " + material.certificateFile().get() + " (SHA-256 " + material.sha256Fingerprint() + ")");
        }
        if (config.authToken() != null) err.println("The WebSocket requires the bearer token given with --auth-token.");
        if (providers.realtimeModel == null) {
            err.println("Phone calls: point a Twilio number's voice webhook at " + server.uri().resolve("/v1/twilio/voice")
                    + " (through a public https address)" + (config.twilioAuthToken() != null ? "; Twilio's signature is checked"
                    : config.authToken() != null ? "; set TWILIO_AUTH_TOKEN to take calls on a server with --auth-token" : "") + ".");
        }
        err.flush();
        stopped.await();
        return 0;
    }

    private static String rootMessage(Throwable e) {
        while (e.getCause() != null) e = e.getCause();
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}

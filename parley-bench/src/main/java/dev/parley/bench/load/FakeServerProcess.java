package dev.parley.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.bench.ServerProcess;
import dev.parley.session.SessionConfig;
import dev.parley.session.VoiceSession;
import dev.parley.transport.server.ParleyServer;
import dev.parley.transport.server.ServerConfig;
import dev.parley.transport.server.SessionFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link FakeEngines} behind a server in a child JVM, so that a load test measures the server alone: its CPU and
 * memory are the child's, and the callers' threads, sockets and garbage are not in its process.
 *
 * <p>The child numbers its sessions as it creates them. A caller connects through {@link #connect} one at a time;
 * once its {@code session.created} has arrived it claims the session the child made last, and from then on every
 * clip it announces ({@link CallerScript#play}) is written to the child's stdin ({@code play N START END
 * TRANSCRIPT}) before the clip's audio is sent, so the child's copy of the script knows the clip by the time the
 * audio reaches its VAD, as in one process.
 */
public final class FakeServerProcess implements ScriptedSessions, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ServerProcess child;
    private final FakeLatencies latencies;
    private final ReentrantLock connecting = new ReentrantLock();

    private FakeServerProcess(ServerProcess child, FakeLatencies latencies) {
        this.child = child;
        this.latencies = latencies;
    }

    /** Starts the child with these fakes and session settings, admitting {@code maxSessions} at once. */
    public static FakeServerProcess start(FakeLatencies latencies, SessionConfig pipeline, String voice, int maxSessions)
            throws IOException, InterruptedException {
        List<String> args = List.of(Integer.toString(latencies.sttMs()), Integer.toString(latencies.llmMs()),
                Integer.toString(latencies.ttsMs()), Integer.toString(maxSessions), voice, JSON.writeValueAsString(pipeline));
        return new FakeServerProcess(ServerProcess.start(FakeServerProcess.class, args), latencies);
    }

    public URI realtimeUri() {
        return child.realtimeUri();
    }

    /** The child's process id, whose CPU and memory are the server's. */
    public long pid() {
        return child.pid();
    }

    @Override
    public FakeLatencies latencies() {
        return latencies;
    }

    @Override
    public <T> T connect(CallerScript script, Callable<T> connect) throws Exception {
        connecting.lock();
        try {
            T connected = connect.call();
            int session = child.command("claim", Duration.ofSeconds(30)).path("session").asInt(-1);
            if (session < 0) throw new IOException("the server process made no session for this caller");
            script.relayTo(s -> {
                try {
                    child.send("play " + session + " " + s.speechStartMs() + " " + s.speechEndMs() + " " + s.transcript());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException("the server process is gone", e);
                }
            });
            return connected;
        } finally {
            connecting.unlock();
        }
    }

    @Override
    public void close() {
        child.close();
    }

    // ---------------------------------------------------------------- the child

    /** The sessions the child made, by number, with their copies of the callers' scripts. */
    static final class Sessions implements SessionFactory {
        private final FakeEngines fakes;
        private final Map<Integer, CallerScript> scripts = new ConcurrentHashMap<>();
        private int made = -1, claimed = -1;

        Sessions(FakeEngines fakes) {
            this.fakes = fakes;
        }

        @Override
        public VoiceSession.Engines newSession() {
            CallerScript script = new CallerScript();
            synchronized (this) {
                scripts.put(++made, script);
            }
            return fakes.engines(script);
        }

        /** The session made last, if no caller has claimed it yet; else -1. */
        synchronized int claim() {
            if (made <= claimed) return -1;
            claimed = made;
            return made;
        }

        /** A line {@code play N START_MS END_MS TRANSCRIPT} from the parent. */
        void play(String line) {
            String[] f = line.split(" ", 5);
            CallerScript script = scripts.get(Integer.parseInt(f[1]));
            if (script != null) {
                script.add(new CallerScript.Segment(Double.parseDouble(f[2]), Double.parseDouble(f[3]), f.length > 4 ? f[4] : ""));
            }
        }
    }

    /** The child: {@code FakeServerProcess STT_MS LLM_MS TTS_MS MAX_SESSIONS VOICE SESSION_CONFIG_JSON}. */
    public static void main(String[] args) throws Exception {
        PrintStream protocol = System.out;
        System.setOut(System.err);
        FakeLatencies latencies = new FakeLatencies(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        SessionConfig pipeline = JSON.readValue(args[5], SessionConfig.class);
        Sessions sessions = new Sessions(new FakeEngines(latencies));
        ParleyServer server = ParleyServer.start(ServerConfig.local(0, pipeline, args[4]).withMaxSessions(Integer.parseInt(args[3])), sessions);
        protocol.println("ready " + server.port());
        protocol.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("play ")) {
                    sessions.play(line);
                } else if (line.equals("claim")) {
                    protocol.println(JSON.createObjectNode().put("session", sessions.claim()));
                    protocol.flush();
                } else if (line.equals("quit")) {
                    return;
                }
            }
        } finally {
            server.close();
            System.exit(0);
        }
    }
}

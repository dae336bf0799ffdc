package dev.parley.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.dialog.RecoveringDialog;
import dev.parley.dialog.Scheduler;
import dev.parley.dialog.skills.SkillsBrain;
import dev.parley.embedded.models.ModelCache;
import dev.parley.embedded.models.ProgressListener;
import dev.parley.embedded.EmbeddedStack;
import dev.parley.session.SessionConfig;
import dev.parley.transport.server.ParleyServer;
import dev.parley.transport.server.ServerConfig;

import javax.management.ObjectName;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Parley server in a child JVM, for measurements of the server alone (its heap and resident memory hold nothing
 * of the client's). The child is this class's {@link #main}: it loads the embedded stack, starts a
 * {@link ParleyServer} on a free loopback port exactly as {@code parley serve} does, and answers one-line commands on
 * stdin with one JSON line on stdout:
 * <ul>
 *   <li>{@code measure}: heap used after full collections, committed heap, direct buffers, resident memory
 *       ({@code VmRSS}, {@code RssAnon}), platform threads, open sessions and running reply tasks;</li>
 *   <li>{@code sessions}: the open sessions, without collecting garbage;</li>
 *   <li>{@code mark}: keeps a class histogram of the live heap; {@code diff K}: the K classes whose live bytes grew
 *       most since the mark;</li>
 *   <li>{@code quit} (or end of input): stops.</li>
 * </ul>
 * The parent side is {@link #start}.
 */
public final class ServerProcess implements AutoCloseable {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private static final String READY = "ready ";

    private final Process process;
    private final Writer commands;
    private final LinkedBlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private final Path log;
    private final int port;

    private ServerProcess(Process process, Path log) throws IOException, InterruptedException {
        this.process = process;
        this.log = log;
        this.commands = process.outputWriter(StandardCharsets.UTF_8);
        Thread.ofPlatform().daemon().name("parley-bench-child-out").start(() -> {
            try (BufferedReader r = process.inputReader(StandardCharsets.UTF_8)) {
                for (String line; (line = r.readLine()) != null; ) replies.add(line);
            } catch (IOException e) {
                // the child is gone
            }
            replies.add("");
        });
        String ready = reply(Duration.ofMinutes(3));
        if (!ready.startsWith(READY)) throw failed("did not start");
        this.port = Integer.parseInt(ready.substring(READY.length()).trim());
    }

    /**
     * Starts a server in a child JVM with this JVM's options (heap size, collector: as {@code ./parley} runs it, whose
     * serial collector is used when this JVM names none) and class path, admitting {@code maxSessions} sessions at once
     * (the benchmark's own number, whatever the heap budget would allow); returns once it listens.
     */
    public static ServerProcess start(String voice, int maxSessions) throws IOException, InterruptedException {
        return start(ServerProcess.class, List.of(voice, Integer.toString(maxSessions)));
    }

    /**
     * Starts {@code main} in a child JVM with this JVM's options and class path (as {@link #start(String, int)});
     * the child must print {@code ready PORT} on stdout once it listens, then answer commands as {@link #main}
     * does. Returns once it listens.
     */
    public static ServerProcess start(Class<?> main, List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> options = ManagementFactory.getRuntimeMXBean().getInputArguments();
        // ./parley's collector when this JVM chose none (a test's): with G1 the heap in use after a collection is
        // counted in whole regions (1 MB at -Xmx1g), which swamps what a few idle sessions hold
        if (options.stream().noneMatch(o -> o.matches("-XX:\\+Use\\w*GC"))) command.add("-XX:+UseSerialGC");
        for (String option : options) {
            // a debugger's port cannot be shared; the rest (heap, collector, native access, stack size) is kept
            if (!option.startsWith("-agentlib:jdwp") && !option.startsWith("-Xrunjdwp")) command.add(option);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(args);
        Path log = Files.createTempFile("parley-bench-server", ".log");
        Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
        try {
            return new ServerProcess(p, log);
        } catch (IOException | InterruptedException | RuntimeException e) {
            p.destroyForcibly();
            throw e;
        }
    }

    public long pid() {
        return process.pid();
    }

    /** The child's CPU time so far (all its threads), or zero where the platform does not tell. */
    public Duration cpuTime() {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    public URI realtimeUri() {
        return URI.create("ws://127.0.0.1:" + port + "/v1/realtime");
    }

    /** Sends a command and parses its one-line JSON answer. */
    public JsonNode command(String command, Duration timeout) throws IOException, InterruptedException {
        send(command);
        String line = reply(timeout);
        if (!line.startsWith("{") && !line.startsWith("[")) throw failed("did not answer '" + command + "'");
        return JSON.readTree(line);
    }

    /** Sends a command that has no answer. */
    public synchronized void send(String command) throws IOException {
        commands.write(command + "\n");
        commands.flush();
    }

    /** The child's measurements (see {@link #main}). */
    public JsonNode measure() throws IOException, InterruptedException {
        return command("measure", Duration.ofSeconds(60));
    }

    private String reply(Duration timeout) throws InterruptedException, IOException {
        String line = replies.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null) throw failed("did not answer within " + timeout.toSeconds() + " s");
        return line;
    }

    private IOException failed(String what) throws IOException {
        String tail;
        try {
            List<String> lines = Files.readAllLines(log);
            tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            tail = "(no log)";
        }
        return new IOException("the benchmark's server process " + what + (process.isAlive() ? "" : " (exit " + process.exitValue() + ")")
                + "; its log ends:\n" + tail);
    }

    @Override
    public void close() {
        try {
            send("quit");
        } catch (IOException e) {
            // already gone
        }
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // a temp file
        }
    }

    // ---------------------------------------------------------------- the child

    /** The child: {@code ServerProcess VOICE}. */
    public static void main(String[] args) throws Exception {
        PrintStream protocol = System.out;
        System.setOut(System.err); // whatever the engines print must not mix with the answers
        String voice = args.length > 0 ? args[0] : "cmu-slt-hsmm";
        EmbeddedStack stack = EmbeddedStack.load(ModelCache.createDefault(ProgressListener.console(System.err, false)), voice);
        SkillsBrain skills = SkillsBrain.load(SkillsBrain.Settings.DEFAULT);
        Scheduler scheduler = Scheduler.system();
        int maxSessions = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        ParleyServer server = ParleyServer.start(ServerConfig.local(0, SessionConfig.DEFAULT, voice).withMaxSessions(maxSessions),
                () -> stack.engines(new RecoveringDialog(skills.newDialog(scheduler, "default", null), scheduler, java.time.Duration.ofSeconds(8))));
        protocol.println(READY + server.port());
        protocol.flush();
        Map<String, long[]> mark = Map.of();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try {
            for (String line; (line = in.readLine()) != null; ) {
                String[] cmd = line.trim().split("\\s+");
                switch (cmd[0]) {
                    case "measure" -> protocol.println(measurement(server));
                    case "sessions" -> protocol.println(JSON.createObjectNode().put("sessions", server.activeSessions()));
                    case "mark" -> {
                        mark = histogram();
                        protocol.println(JSON.createObjectNode().put("classes", mark.size()));
                    }
                    case "diff" -> protocol.println(diff(mark, histogram(), cmd.length > 1 ? Integer.parseInt(cmd[1]) : 20));
                    case "quit" -> {
                        return;
                    }
                    default -> protocol.println(JSON.createObjectNode().put("error", "unknown command " + cmd[0]));
                }
                protocol.flush();
            }
        } finally {
            server.close();
            System.exit(0); // the engines' native threads must not keep the child alive
        }
    }

    private static ObjectNode measurement(ParleyServer server) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        ObjectNode m = JSON.createObjectNode();
        m.put("heap_used_bytes", heap.getUsed());
        m.put("heap_committed_bytes", heap.getCommitted());
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                m.put("direct_bytes", pool.getMemoryUsed());
                m.put("direct_buffers", pool.getCount());
            }
        }
        Map<String, Long> status = ProcStatus.self();
        m.put("rss_kb", status.getOrDefault("VmRSS", -1L));
        m.put("rss_anon_kb", status.getOrDefault("RssAnon", -1L));
        m.put("platform_threads", ManagementFactory.getThreadMXBean().getThreadCount());
        m.put("sessions", server.activeSessions());
        m.put("tasks", server.metrics().activeTasks());
        return m;
    }


    private static final Pattern HISTOGRAM_LINE = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

    /** Live objects by class: instances and bytes (the diagnostic command collects garbage first). */
    private static Map<String, long[]> histogram() {
        String text;
        try {
            text = (String) ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "gcClassHistogram", new Object[]{new String[0]}, new String[]{String[].class.getName()});
        } catch (Exception e) {
            return Map.of();
        }
        Map<String, long[]> h = new HashMap<>();
        for (String line : text.split("\n")) {
            Matcher m = HISTOGRAM_LINE.matcher(line);
            if (m.find()) h.merge(m.group(3), new long[]{Long.parseLong(m.group(1)), Long.parseLong(m.group(2))},
                    (a, b) -> new long[]{a[0] + b[0], a[1] + b[1]});
        }
        return h;
    }

    private static ArrayNode diff(Map<String, long[]> before, Map<String, long[]> after, int top) {
        record Grew(String name, long instances, long bytes) {}
        List<Grew> grew = new ArrayList<>();
        after.forEach((name, a) -> {
            long[] b = before.getOrDefault(name, new long[2]);
            if (a[1] != b[1]) grew.add(new Grew(name, a[0] - b[0], a[1] - b[1]));
        });
        grew.sort((x, y) -> Long.compare(y.bytes(), x.bytes()));
        ArrayNode out = JSON.createArrayNode();
        for (Grew g : grew.subList(0, Math.min(top, grew.size()))) {
            out.addObject().put("class", g.name()).put("instances", g.instances()).put("bytes", g.bytes());
        }
        return out;
    }
}

package dev.parley.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.latency.Waterfall;
import dev.parley.session.SessionEvent;
import dev.parley.session.SessionListener;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Shows a conversation on the terminal: what the user said, the reply, and the latency waterfall of every turn; or,
 * in JSON mode, one object per turn on stdout and nothing else there.
 */
final class TurnReporter implements SessionListener {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;
    private final boolean partials;

    /** Turns whose words continued in the next one: not reported as turns of their own. */
    private final java.util.Set<Integer> merged = new java.util.HashSet<>();

    TurnReporter(PrintWriter out, PrintWriter err, boolean json, boolean partials) {
        this.out = out;
        this.err = err;
        this.json = json;
        this.partials = partials;
    }

    @Override
    public void on(SessionEvent event) {
        switch (event) {
            case SessionEvent.PartialTranscript p when partials && !json -> err.print("\r… " + p.text() + "\u001b[K");
            case SessionEvent.FinalTranscript f when !json -> {
                if (partials) err.print("\r\u001b[K");
                out.println("you:    " + (f.transcript().isEmpty() ? "(nothing intelligible)" : f.transcript().text()));
            }
            case SessionEvent.TurnCompleted c when merged.remove(c.turn()) -> {
                // its words continue in the next turn, which reports them
            }
            case SessionEvent.TurnCompleted c -> completed(c);
            case SessionEvent.Merged m -> {
                merged.add(m.turn());
                if (!json) out.println("        (you went on: continued below)");
            }
            case SessionEvent.Interrupted i when !json -> out.println("        (interrupted)");
            case SessionEvent.Woke w when json -> out.println(toJson(w));
            case SessionEvent.Woke w -> err.println("(wake: " + w.phrase() + ")");
            case SessionEvent.Error e -> err.println("parley: " + e.stage() + " error: " + e.message());
            case SessionEvent.ProviderFailedOver f -> err.println("parley: " + f.failover().message());
            default -> {
            }
        }
        out.flush();
    }

    private void completed(SessionEvent.TurnCompleted c) {
        if (json) {
            out.println(toJson(c));
            return;
        }
        if (!c.replyText().isEmpty()) out.println("parley: " + c.replyText());
        if (c.waterfall() != null) out.println(c.waterfall().summary());
    }

    /** A wake phrase heard: {@code {"event":"wake","word":"computer","at_ms":1234}}. */
    static String toJson(SessionEvent.Woke w) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", "wake");
        m.put("word", w.phrase());
        m.put("at_ms", w.atMs());
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String toJson(SessionEvent.TurnCompleted c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("turn", c.turn());
        m.put("transcript", c.userText());
        m.put("reply", c.replyText());
        m.put("interrupted", c.interrupted());
        Waterfall w = c.waterfall();
        if (w != null) {
            Map<String, Long> stages = new LinkedHashMap<>();
            w.stagesMs().forEach((k, v) -> stages.put(k, Math.round(v)));
            m.put("waterfall_ms", stages);
            if (!w.providers().isEmpty()) {
                Map<String, Long> ttfb = new LinkedHashMap<>();
                w.providerTtfbMs().forEach((k, v) -> ttfb.put(k, Math.round(v)));
                m.put("provider_ttfb_ms", ttfb);
            }
        } else {
            m.put("waterfall_ms", null);
        }
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

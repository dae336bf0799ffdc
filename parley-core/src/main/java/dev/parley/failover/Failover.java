package dev.parley.failover;

import java.util.Objects;

/**
 * A stage's provider failed and its fallback took over within the same turn. The user hears {@link #apology()}
 * rather than silence, and the client gets {@link #message()} as an error it can show.
 *
 * @param stage  {@code stt}, {@code llm} or {@code tts}
 * @param from   the provider that failed
 * @param to     the one that took over
 * @param reason why, one line, fit to show (never holds a key)
 */
public record Failover(String stage, String from, String to, String reason) {
    public Failover {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        reason = reason == null || reason.isBlank() ? "no reason given" : reason.strip();
    }

    /** A failover caused by {@code cause}: its message's first line is the reason. */
    public static Failover of(String stage, String from, String to, Throwable cause) {
        String m = cause.getMessage();
        String reason = m == null || m.isBlank() ? cause.getClass().getSimpleName() : m.lines().findFirst().orElse(m).strip();
        return new Failover(stage, from, to, reason);
    }

    /** What the user hears, short, before the fallback's answer. */
    public String apology() {
        return switch (stage) {
            case "stt" -> "Sorry, my speech recognition service failed, so I used my offline one.";
            case "llm" -> "Sorry, I couldn't reach my language model, so here's my offline answer.";
            case "tts" -> "Sorry, my voice service failed, so here's my backup voice.";
            default -> "Sorry, one of my services failed, so I switched to a backup.";
        };
    }

    /** The error a client is shown. */
    public String message() {
        return stage + " provider " + from + " failed (" + reason + "); " + to + " took over";
    }
}

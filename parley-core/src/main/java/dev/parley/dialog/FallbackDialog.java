package dev.parley.dialog;

import dev.parley.providers.Failover;
import dev.parley.providers.Outage;
import dev.parley.stt.Transcript;
import java.util.List;
import java.util.Objects;

/**
 * A provider's brain (an LLM behind an API) with a fallback brain (by default the offline skills) that answers the
 * same turn when the provider fails before saying anything (a 5xx, a stall past its first-byte timeout, a refused
 * connection): the user hears the failover's apology and then the fallback's answer. When the provider fails after
 * it began to answer, the reply ends with a short apology instead, since half an answer cannot be taken back. While
 * the provider is {@linkplain Outage down} turns go to the fallback directly. Both brains see every signal and the
 * session's context.
 */
public final class FallbackDialog implements Dialog {
    private final Dialog primary, fallback;
    private final String primaryName, fallbackName;
    private final Outage outage;
    private volatile DialogContext context = DialogContext.NONE;

    public FallbackDialog(Dialog primary, String primaryName, Dialog fallback, String fallbackName, Outage outage) {
        this.primary = Objects.requireNonNull(primary);
        this.fallback = Objects.requireNonNull(fallback);
        this.primaryName = primaryName;
        this.fallbackName = fallbackName;
        this.outage = outage;
    }

    @Override
    public TextStream respond(List<Message> history, Transcript userTurn) {
        if (outage.active()) return fallback.respond(history, userTurn);
        return new Stream(history, userTurn);
    }

    @Override
    public void attach(DialogContext context) {
        this.context = context;
        primary.attach(context);
        fallback.attach(context);
    }

    @Override
    public void onSignal(DialogSignal signal) {
        primary.onSignal(signal);
        fallback.onSignal(signal);
    }

    @Override
    public void close() {
        try {
            primary.close();
        } finally {
            fallback.close();
        }
    }

    private final class Stream implements TextStream {
        private final List<Message> history;
        private final Transcript userTurn;
        private volatile TextStream active;
        private boolean spoke, onFallback;
        private volatile boolean closed;

        Stream(List<Message> history, Transcript userTurn) {
            this.history = history;
            this.userTurn = userTurn;
        }

        @Override
        public String next() throws DialogException {
            if (closed) return null;
            try {
                if (active == null) active = primary.respond(history, userTurn);
                String piece = active.next();
                if (piece != null && !onFallback) {
                    spoke = true;
                    outage.recovered();
                }
                return piece;
            } catch (DialogException | RuntimeException e) {
                if (onFallback || closed) throw e;
                return failed(e);
            }
        }

        private String failed(Exception e) {
            TextStream broken = active;
            if (broken != null) broken.close();
            outage.failed();
            onFallback = true;
            Failover f = Failover.of("llm", primaryName, fallbackName, e);
            context.providers().failover(f);
            if (spoke) {
                active = TextStream.of();
                return " Sorry, I lost the connection to my language model.";
            }
            active = fallback.respond(history, userTurn);
            if (closed) active.close();
            return f.apology() + " ";
        }

        @Override
        public void close() {
            closed = true;
            TextStream s = active;
            if (s != null) s.close();
        }
    }
}

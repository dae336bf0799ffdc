package dev.parley.dialog;

import dev.parley.failover.Failover;
import dev.parley.failover.Outage;
import dev.parley.failover.Race;
import dev.parley.failover.TurnBudget;
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
 *
 * <p>Within a turn's {@link TurnBudget} the first words are a {@link Race}: when the provider has said nothing by the
 * budget's hedge point the fallback starts alongside and whichever speaks first answers the turn (the other is
 * closed). When the budget is spent with neither, the user hears {@link #STILL_THINKING} while they go on racing.
 */
public final class FallbackDialog implements Dialog {
    private final Dialog primary, fallback;
    private final String primaryName, fallbackName;
    /** Said when the turn's budget is spent and neither brain has said anything yet. */
    public static final String STILL_THINKING = "Sorry, this is taking me longer than it should. ";

    private final Outage outage;
    private final Scheduler timers;
    private volatile DialogContext context = DialogContext.NONE;

    public FallbackDialog(Dialog primary, String primaryName, Dialog fallback, String fallbackName, Outage outage) {
        this(primary, primaryName, fallback, fallbackName, outage, Scheduler.system());
    }

    /** @param timers the clock of the race against the turn's budget */
    public FallbackDialog(Dialog primary, String primaryName, Dialog fallback, String fallbackName, Outage outage,
                          Scheduler timers) {
        this.timers = Objects.requireNonNull(timers);
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

    /** A brain's stream and its first piece (null: it had nothing to say). */
    private record First(TextStream stream, String piece) {}

    private final class Stream implements TextStream {
        private final List<Message> history;
        private final Transcript userTurn;
        private volatile TextStream active;
        private boolean spoke, onFallback;
        private volatile boolean closed;
        /** The first words' race, while it runs. */
        private volatile Race<First> racing;
        /** The provider's stream while it races, so that losing closes it at once. */
        private volatile TextStream primaryStream;
        /** Set before {@link #primaryStream} is read to close it; read after it is set (so one of the two closes it). */
        private volatile boolean primaryLost;
        /** A piece to give before pulling the active stream again. */
        private String pending;
        /** {@link #STILL_THINKING} was said: the race goes on without a deadline. */
        private boolean deadlinePassed;

        Stream(List<Message> history, Transcript userTurn) {
            this.history = history;
            this.userTurn = userTurn;
        }

        @Override
        public String next() throws DialogException {
            if (closed) return null;
            if (pending != null) {
                String p = pending;
                pending = null;
                return p;
            }
            if (racing != null || (active == null && context.providers().budget().bounded())) return race();
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

        /** Races for the first words (or goes on racing after {@link #STILL_THINKING}). */
        private String race() throws DialogException {
            Race<First> r = racing;
            if (r == null) {
                r = Race.start(answer -> {
                    TextStream s = primary.respond(history, userTurn);
                    primaryStream = s;
                    if (closed || primaryLost) s.close(); // lost before it could be closed by the winner
                    answer.accept(new First(s, s.next()));
                }, answer -> {
                    TextStream s = fallback.respond(history, userTurn);
                    answer.accept(new First(s, s.next()));
                }, first -> first.stream().close(), context.providers().budget(), timers);
                racing = r;
                if (closed) r.abandon();
            }
            Race.Win<First> win;
            try {
                win = r.await(!deadlinePassed && !context.providers().budget().isMet());
            } catch (DialogException | RuntimeException e) {
                racing = null;
                outage.failed();
                throw e;
            } catch (Exception e) {
                racing = null;
                outage.failed();
                throw new DialogException(e.getMessage(), e);
            }
            if (closed) return null;
            if (win == null) {
                deadlinePassed = true;
                return STILL_THINKING;
            }
            racing = null;
            r.abandon();
            active = win.value().stream();
            if (closed) active.close();
            if (win.side() == Race.Side.PRIMARY) {
                outage.recovered();
                spoke = win.value().piece() != null;
                return win.value().piece();
            }
            primaryLost = true;
            TextStream slow = primaryStream;
            if (slow != null) slow.close();
            outage.failed();
            onFallback = true;
            Throwable why = r.primaryFailure();
            Failover f = why != null ? Failover.of("llm", primaryName, fallbackName, why)
                    : new Failover("llm", primaryName, fallbackName, "no answer within the turn's budget");
            context.providers().failover(f);
            pending = win.value().piece();
            return f.apology() + " ";
        }

        @Override
        public void close() {
            closed = true;
            TextStream s = active;
            if (s != null) s.close();
            TextStream p = primaryStream;
            if (p != null) p.close();
            Race<First> r = racing;
            if (r != null) r.abandon();
        }
    }
}

package dev.parley.dialog.skills;

import dev.parley.dialog.DialogException;
import dev.parley.dialog.TextStream;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A reply worked out on the first {@link #next()} (so {@code respond} returns at once) and then given out a
 * sentence at a time, or handed over to another brain's stream (the fallback LLM).
 */
final class ReplyStream implements TextStream {

    /** What the reply turned out to be. */
    sealed interface Outcome {
        /** Words (empty: say nothing). */
        record Text(String text) implements Outcome {}

        /** Another stream's pieces. */
        record Delegate(TextStream stream) implements Outcome {}
    }

    private final Supplier<Outcome> compute;
    private List<String> phrases;
    private int next;
    private volatile TextStream delegate;
    private volatile boolean closed;

    ReplyStream(Supplier<Outcome> compute) {
        this.compute = compute;
    }

    @Override
    public String next() throws DialogException {
        if (closed) {
            return null;
        }
        if (phrases == null && delegate == null) {
            switch (compute.get()) {
                case Outcome.Text t -> phrases = phrases(t.text());
                case Outcome.Delegate d -> {
                    delegate = d.stream();
                    if (closed) {
                        d.stream().close();
                        return null;
                    }
                }
            }
        }
        if (delegate != null) {
            return delegate.next();
        }
        return next < phrases.size() && !closed ? phrases.get(next++) : null;
    }

    @Override
    public void close() {
        closed = true;
        TextStream d = delegate;
        if (d != null) {
            d.close();
        }
    }

    /** "It's noon. Anything else?" → ["It's noon. ", "Anything else?"]: sentences, each with the space after it. */
    static List<String> phrases(String text) {
        List<String> out = new ArrayList<>();
        String t = text.strip();
        int start = 0;
        for (int i = 0; i < t.length() - 1; i++) {
            char c = t.charAt(i);
            if ((c == '.' || c == '!' || c == '?') && t.charAt(i + 1) == ' ') {
                out.add(t.substring(start, i + 2));
                start = i + 2;
            }
        }
        if (start < t.length()) {
            out.add(t.substring(start));
        }
        return out;
    }
}

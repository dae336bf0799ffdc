package dev.parley.stt;

import dev.parley.failover.Failover;
import dev.parley.failover.ProviderLog;
import dev.parley.failover.ProviderTiming;
import dev.parley.failover.TurnBudget;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One user utterance being recognised: audio in, the words heard so far out, then the final transcript. When the
 * user went on speaking before they heard the reply to their previous words, those words are carried over: they come
 * first in everything this utterance reports, so the two parts are one utterance and nothing is heard twice.
 *
 * <p>What the recogniser's providers reported (times to first byte, fallbacks that took over) is kept for the turn the
 * utterance becomes. Fed by one thread; {@link #finish()} may run on another once feeding has stopped.
 */
public final class Utterance implements AutoCloseable {
    private final int turn;
    private final ProviderLog log = new ProviderLog();
    private final RecognitionStream stream;
    private volatile CompletableFuture<Transcript> carried;
    private String partial = "";
    private volatile RuntimeException failure;

    /**
     * @param carried the transcript of the words carried over (completes when they are recognised), or null
     */
    public Utterance(int turn, SpeechRecognizer recognizer, CompletableFuture<Transcript> carried) {
        this.turn = turn;
        this.carried = carried;
        this.stream = recognizer.open(log);
    }

    /**
     * The user's words turn out to continue an earlier utterance (they went on after its reply had started): its
     * transcript comes first. Call before {@link #finish()}.
     */
    public void carry(CompletableFuture<Transcript> earlier) {
        this.carried = earlier;
    }

    /** The user turn this utterance belongs to. */
    public int turn() {
        return turn;
    }

    /**
     * Feeds audio at the pipeline rate.
     *
     * @return true when the words heard so far changed
     * @throws RuntimeException when the recogniser fails; the utterance is then unusable
     */
    public boolean feed(short[] pcm, int length) {
        String p = stream.accept(pcm, 0, length);
        if (p.isEmpty() || p.equals(partial)) return false;
        partial = p;
        return true;
    }

    /**
     * At a pause: takes the recogniser's settled words (see {@link RecognitionStream#settle()}) as the partial.
     *
     * @return true when the words heard so far changed
     * @throws RuntimeException when the recogniser fails; the utterance is then unusable
     */
    public boolean settle() {
        String p = stream.settle().orElse(partial);
        if (p.isEmpty() || p.equals(partial)) return false;
        partial = p;
        return true;
    }

    /** The partial transcript of this utterance's own audio. */
    public String partial() {
        return partial;
    }

    /** Everything the user has said in this turn so far: the words carried over, then the partial. */
    public String heardSoFar() {
        CompletableFuture<Transcript> c = carried;
        Transcript before = c == null ? null : c.getNow(null);
        return before == null || before.isEmpty() ? partial : (before.text() + " " + partial).strip();
    }

    /** Whether the recogniser's provider has declared the utterance over (see {@link RecognitionStream#endOfTurn()}). */
    public boolean endOfTurn() {
        return stream.endOfTurn();
    }

    /**
     * Ends recognition: the final transcript, after the words carried over. A recogniser that fails gives an empty
     * transcript (see {@link #failure()}), so the words carried over are still answered.
     */
    public Transcript finish() {
        return finish(TurnBudget.NONE);
    }

    /** {@link #finish()} within the turn's budget for its first audio: a recogniser with a fallback races them in it. */
    public Transcript finish(TurnBudget budget) {
        log.budget(budget);
        Transcript said;
        try {
            said = stream.finish();
        } catch (RuntimeException e) {
            failure = e;
            said = new Transcript("", 0);
        } finally {
            stream.close();
        }
        CompletableFuture<Transcript> c = carried;
        if (c == null) return said;
        Transcript before = c.join();
        if (before.isEmpty()) return said;
        return new Transcript((before.text() + " " + said.text()).strip(),
                Math.min(before.confidence(), said.isEmpty() ? 1 : said.confidence()));
    }

    /** Why the recogniser failed to finish, or null. */
    public RuntimeException failure() {
        return failure;
    }

    public List<ProviderTiming> timings() {
        return log.timings();
    }

    public List<Failover> failovers() {
        return log.failovers();
    }

    /** Abandons the utterance; idempotent. */
    @Override
    public void close() {
        stream.close();
    }
}

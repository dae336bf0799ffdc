package dev.parley.bench.turns;

import dev.parley.eval.WordErrorRate;
import dev.parley.latency.Waterfall;
import dev.parley.session.SessionEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * What a session did with a recording, judged from its events against where the speech really was. Positions are ms
 * of the recording; a turn "ends" where the session reported SpeechStopped or InputCommitted for it, whichever came
 * first.
 */
final class Outcomes {
    /** A final transcript this close to the reference (word error rate) counts as the whole sentence heard. */
    static final double WHOLE_WER = 0.35;
    /** A sentence counts as transcribed by a turn when this share of its words is in the turn's transcript. */
    static final double HEARD_RECALL = 0.5;

    private Outcomes() {
    }

    /**
     * A sentence with a pause spliced in.
     *
     * @param replyCut reply audio started before the sentence's real end (the false cut-off the user hears)
     * @param turnCut  a user turn was ended before the sentence's real end
     * @param turns    user turns the session ended
     */
    record Pause(String recording, int pauseMs, boolean replyCut, boolean turnCut, int turns, String transcript, double wer) {
        static Pause of(Recording r, EventLog log) {
            double end = r.speechEndMs();
            boolean replyCut = log.all(SessionEvent.ReplyAudioStarted.class).stream().anyMatch(s -> s.atMs() < end);
            boolean turnCut = log.turnEnds().stream().anyMatch(s -> s.atMs() < end);
            String transcript = log.lastTranscript();
            return new Pause(r.name(), r.pauseMs(), replyCut, turnCut, log.turnEnds().size(), transcript,
                    WordErrorRate.compute(r.sentences().getFirst().reference(), transcript).wer());
        }

        /** One turn whose transcript covers the sentence, no reply before its end. */
        boolean whole() {
            return turns == 1 && !replyCut && wer <= WHOLE_WER;
        }
    }

    /**
     * A complete utterance.
     *
     * @param waitMs      from the real end of speech to where the session ended the turn (NaN: it never did)
     * @param waterfallMs the session's own endpoint figure for that turn (NaN: no reply audio)
     * @param heardEndMs  where the session said that turn's speech ended (SpeechStopped), less the real end: how late
     *                    (or early) it heard the end
     * @param cut         a turn was ended before the real end of speech
     */
    record Endpoint(String clip, double waitMs, double waterfallMs, double heardEndMs, boolean cut) {
        static Endpoint of(Recording r, EventLog log) {
            double end = r.speechEndMs();
            List<EventLog.Stamped> ends = log.turnEnds();
            EventLog.Stamped decision = ends.stream().filter(s -> s.atMs() >= end).findFirst().orElse(null);
            double wait = decision == null ? Double.NaN : decision.atMs() - end;
            double waterfall = Double.NaN, heardEnd = Double.NaN;
            if (decision != null) {
                int turn = turnOf(decision.event());
                heardEnd = log.all(SessionEvent.SpeechStopped.class).stream().map(s -> (SessionEvent.SpeechStopped) s.event())
                        .filter(s -> s.turn() == turn).mapToDouble(s -> s.endMs() - end).findFirst().orElse(Double.NaN);
                waterfall = log.all(SessionEvent.ReplyAudioStarted.class).stream()
                        .map(s -> (SessionEvent.ReplyAudioStarted) s.event()).filter(a -> a.turn() == turn && a.waterfall() != null)
                        .map(SessionEvent.ReplyAudioStarted::waterfall).mapToDouble(Waterfall::endpointMs).findFirst().orElse(Double.NaN);
            }
            return new Endpoint(r.name(), wait, waterfall, heardEnd, ends.stream().anyMatch(s -> s.atMs() < end));
        }
    }

    /**
     * Sentences back to back.
     *
     * @param ownTurns sentences ended exactly once, in the gap after them, and not inside
     * @param twice    sentences whose words are in more than one final transcript
     * @param cut      sentences inside which a turn was ended
     * @param missed   sentences in no final transcript
     */
    record Run(String recording, int sentences, int ownTurns, int twice, int cut, int missed, int turns) {
        static Run of(Recording r, EventLog log) {
            List<Recording.Sentence> s = r.sentences();
            List<Double> ends = log.turnEnds().stream().map(EventLog.Stamped::atMs).toList();
            List<String> transcripts = log.transcripts();
            int own = 0, twice = 0, cut = 0, missed = 0;
            for (int i = 0; i < s.size(); i++) {
                Recording.Sentence x = s.get(i);
                double next = i + 1 < s.size() ? s.get(i + 1).startMs() : Double.POSITIVE_INFINITY;
                long inside = ends.stream().filter(e -> e > x.startMs() && e < x.endMs()).count();
                long after = ends.stream().filter(e -> e >= x.endMs() && e < next).count();
                long heard = transcripts.stream().filter(t -> recall(x.reference(), t) >= HEARD_RECALL).count();
                if (inside > 0) cut++;
                if (inside == 0 && after == 1) own++;
                if (heard > 1) twice++;
                if (heard == 0) missed++;
            }
            return new Run(r.name(), s.size(), own, twice, cut, missed, ends.size());
        }
    }

    /**
     * Something said or done over a reply.
     *
     * @param playing the reply was still playing when it came (otherwise the trial says nothing)
     * @param stopped the reply was stopped
     */
    record Backchannel(String question, String kind, boolean request, boolean synthetic, boolean playing, boolean stopped) {}

    /** The share of the reference's words (as a multiset) found in the hypothesis. */
    static double recall(String reference, String hypothesis) {
        List<String> ref = WordErrorRate.normalize(reference);
        List<String> hyp = new ArrayList<>(WordErrorRate.normalize(hypothesis));
        if (ref.isEmpty()) return 1;
        int found = 0;
        for (String w : ref) if (hyp.remove(w)) found++;
        return (double) found / ref.size();
    }

    private static int turnOf(SessionEvent e) {
        return switch (e) {
            case SessionEvent.SpeechStopped s -> s.turn();
            case SessionEvent.InputCommitted c -> c.turn();
            default -> -1;
        };
    }
}

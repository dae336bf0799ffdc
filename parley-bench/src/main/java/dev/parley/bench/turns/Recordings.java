package dev.parley.bench.turns;

import dev.parley.audio.PcmAudio;
import dev.parley.embedded.stt.VoskSpeechRecognizer.Word;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/** Builds the benchmark's recordings out of corpus clips; deterministic for a given seed. */
final class Recordings {
    /** The pause lengths spliced into sentences. */
    static final List<Integer> PAUSES_MS = List.of(300, 500, 700, 1000, 1500);
    /** The gap between the sentences of a run, drawn between these. */
    static final double RUN_GAP_MIN_S = 1.5, RUN_GAP_MAX_S = 2.5;
    static final int RUN_LENGTH = 3;
    /** The recording kept around each sentence of a run. */
    private static final double PAD_S = 0.25;

    private Recordings() {
    }

    /** The clip as it is: one complete utterance. */
    static Recording complete(SourceClip c) {
        return new Recording(c.name(), c.audio(), c.room(),
                List.of(new Recording.Sentence(c.reference(), c.meta().speechStartS() * 1000, c.meta().speechEndS() * 1000)), 0);
    }

    /**
     * The clip with a pause of {@code pauseMs} at its seeded word boundary inside the speech; empty when the clip has
     * no boundary to pause at (one word, or only long gaps already).
     */
    static Optional<Recording> paused(SourceClip c, List<Word> words, long seed, int pauseMs) {
        double start = c.meta().speechStartS(), end = c.meta().speechEndS();
        Optional<Double> site = PauseSites.choose(words, seed ^ c.name().hashCode()).stream()
                .filter(s -> s > start && s < end).findFirst();
        return site.map(s -> paused(c, s, pauseMs));
    }

    /** The clip with a pause of {@code pauseMs} at {@code siteS} seconds. */
    static Recording paused(SourceClip c, double siteS, int pauseMs) {
        PauseSplicer.Spliced s = PauseSplicer.splice(c.audio(), c.sample(siteS), pauseMs, c.room());
        Recording.Sentence sentence = new Recording.Sentence(c.reference(), s.positionMs(c.meta().speechStartS()),
                s.positionMs(c.meta().speechEndS()));
        return new Recording(c.name() + "+" + pauseMs + "ms@" + Math.round(siteS * 1000), s.audio(), c.room(), List.of(sentence), pauseMs);
    }

    /**
     * Sentences back to back, {@value #RUN_LENGTH} at a time in corpus order (a shorter last run if two or more are
     * left), each cut to its speech with a little of its recording around it, the gaps between speech ends and
     * starts filled with the previous clip's room to a seeded length between 1.5 and 2.5 s.
     */
    static List<Recording> runs(List<SourceClip> clips, long seed) {
        Random random = new Random(seed);
        List<Recording> runs = new ArrayList<>();
        for (int from = 0; from + 1 < clips.size(); from += RUN_LENGTH) {
            List<SourceClip> group = clips.subList(from, Math.min(clips.size(), from + RUN_LENGTH));
            List<PcmAudio> parts = new ArrayList<>();
            List<Recording.Sentence> sentences = new ArrayList<>();
            double at = 0;
            for (int i = 0; i < group.size(); i++) {
                SourceClip c = group.get(i);
                PcmAudio speech = c.speech(PAD_S);
                double start = at + c.leadMs(PAD_S), end = start + (c.meta().speechEndS() - c.meta().speechStartS()) * 1000;
                sentences.add(new Recording.Sentence(c.reference(), start, end));
                parts.add(speech);
                at += speech.durationSeconds() * 1000;
                if (i + 1 < group.size()) {
                    double gapMs = 1000 * (RUN_GAP_MIN_S + random.nextDouble() * (RUN_GAP_MAX_S - RUN_GAP_MIN_S));
                    double tail = at - end, lead = group.get(i + 1).leadMs(PAD_S);
                    PcmAudio fill = c.room().pause(Math.max(0, Math.round(gapMs - tail - lead)));
                    parts.add(fill);
                    at += fill.durationSeconds() * 1000;
                }
            }
            String name = "run:" + String.join("+", group.stream().map(SourceClip::name).toList());
            runs.add(new Recording(name, PcmAudio.concat(parts), group.getLast().room(), sentences, 0));
        }
        return runs;
    }
}

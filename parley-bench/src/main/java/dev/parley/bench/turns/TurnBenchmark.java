package dev.parley.bench.turns;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.parley.eval.CorpusManifest;
import dev.parley.embedded.EmbeddedStack;
import dev.parley.session.SessionConfig;
import dev.parley.session.VoiceSession;
import dev.parley.embedded.stt.VoskSpeechRecognizer.Word;
import dev.parley.tts.TtsException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The turn-taking benchmark ({@code parley bench --turns}): builds recordings from the corpus's English clips and
 * plays them to fresh sessions, judging only by the session's events, in each turn-detection mode asked for.
 *
 * <ol>
 * <li>sentences with a pause spliced between two words (300–1500 ms): is the user cut off?</li>
 * <li>the clips as they are: how long after the real end of speech does the turn end?</li>
 * <li>runs of sentences with 1.5–2.5 s between them: one turn each, none cut, none transcribed twice?</li>
 * <li>backchannels, a cough and, as a control, a real request over a playing reply: which stop it?</li>
 * </ol>
 */
public final class TurnBenchmark {
    /** The corpus's spoken questions, answered by a reply that the interjections come over. */
    static final List<String> QUESTIONS = List.of("speech2phrase__what_time_is_it",
            "speech2phrase__set_a_timer_for_3_hours_and_10_minutes", "speech2phrase__add_apples_to_my_shopping_list");
    /** The control: a real request spoken over the reply. */
    static final String REQUEST = "speech2phrase__whats_the_weather";
    /** Coughs per question, each from its own seed. */
    static final int COUGHS = 2;
    /** The seed of every choice the benchmark makes (pause sites, run gaps, coughs). */
    public static final long SEED = 7;

    /**
     * @param limit   only the first N English clips (and questions), or null for all
     * @param engines the engines of one new session (a fresh brain each); the judge is set per mode
     * @param stack   the embedded engines: Vosk for word times, MaryTTS for the backchannels
     */
    public record Setup(Path corpus, Integer limit, List<TurnMode> modes, SessionConfig config, int outputRate,
                        Supplier<VoiceSession.Engines> engines, EmbeddedStack stack, String voice, long seed) {}

    private TurnBenchmark() {
    }

    /**
     * Runs the benchmark and prints its report: the table ({@code json}: one JSON object) on {@code out}, progress on
     * {@code err} (none with {@code json}). Returns the exit code.
     */
    public static int command(Setup s, boolean json, Supplier<String> loadAverage, PrintWriter out, PrintWriter err)
            throws IOException, TtsException {
        String loadBefore = loadAverage.get();
        TurnReport r = run(s, line -> {
            if (!json) err.println(line);
        });
        Map<String, Object> m = r.json();
        m.put("load_average", Map.of("before", loadBefore, "after", loadAverage.get()));
        m.put("date", ZonedDateTime.now().toString());
        m.put("cpu_cores", Runtime.getRuntime().availableProcessors());
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m));
            return 0;
        }
        out.printf("%nparley bench --turns: %s, %d cores, Java %s, load average (1, 5, 15 min) before %s, after %s%n",
                ZonedDateTime.now().withNano(0), Runtime.getRuntime().availableProcessors(), Runtime.version(), loadBefore, loadAverage.get());
        r.print(out);
        return 0;
    }

    public static TurnReport run(Setup s, Consumer<String> progress) throws IOException, TtsException {
        long wallStart = System.nanoTime();
        List<CorpusManifest.Clip> manifest = CorpusManifest.read(s.corpus());
        List<SourceClip> english = new ArrayList<>();
        for (CorpusManifest.Clip c : manifest) {
            if (c.language().equals("en") && (s.limit() == null || english.size() < s.limit())) english.add(SourceClip.read(c));
        }
        List<Recording> complete = english.stream().map(Recordings::complete).toList();
        List<SourceClip> sentences = english.stream().filter(c -> c.words() >= 2).toList();
        List<Recording> paused = paused(sentences, s);
        List<Recording> runs = Recordings.runs(sentences, s.seed());
        List<SourceClip> questions = questions(manifest, s.limit());
        Map<SourceClip, List<Interjection>> trials = interjections(questions, manifest, s);
        progress.accept(String.format("%d recordings with pauses, %d complete clips, %d runs, %d interjection trials per mode",
                paused.size(), complete.size(), runs.size(), trials.values().stream().mapToInt(List::size).sum()));

        List<ModeReport> reports = new ArrayList<>();
        double fedMs = 0;
        for (TurnMode mode : s.modes()) {
            Scenarios play = new Scenarios(() -> judged(s.engines().get(), mode), s.config().withDetection(mode.detection()), s.outputRate());
            List<Outcomes.Pause> pauses = measure(paused, play, Outcomes.Pause::of, (p, t) -> String.format(
                    "%-7s pause    %-50s %5.1f s  turns %d%s%s  \"%s\"", mode, p.recording(), t, p.turns(),
                    p.replyCut() ? "  REPLY CUT IN" : "", p.turnCut() && !p.replyCut() ? "  turn cut" : "", p.transcript()), progress);
            List<Outcomes.Endpoint> endpoints = measure(complete, play, Outcomes.Endpoint::of, (e, t) -> String.format(
                    "%-7s endpoint %-50s %5.1f s  wait %4.0f ms (end heard %+4.0f ms off)%s", mode, e.clip(), t, e.waitMs(),
                    e.heardEndMs(), e.cut() ? "  (cut before the end)" : ""), progress);
            List<Outcomes.Run> runOutcomes = measure(runs, play, Outcomes.Run::of, (o, t) -> String.format(
                    "%-7s run      %5.1f s  %d sentences: %d own turn, %d twice, %d cut, %d missed (%s)", mode, t,
                    o.sentences(), o.ownTurns(), o.twice(), o.cut(), o.missed(), o.recording()), progress);
            List<Outcomes.Backchannel> backchannels = new ArrayList<>();
            for (Map.Entry<SourceClip, List<Interjection>> t : trials.entrySet()) {
                for (Interjection x : t.getValue()) {
                    long t0 = System.nanoTime();
                    Outcomes.Backchannel b = play.interject(t.getKey(), x);
                    backchannels.add(b);
                    progress.accept(String.format("%-7s over     %-50s %5.1f s  %-10s %s", mode, b.question(), seconds(t0), b.kind(),
                            !b.playing() ? "(reply not playing: not counted)" : b.stopped() ? "STOPPED the reply" : "reply went on"));
                }
            }
            fedMs += play.fedMs();
            reports.add(new ModeReport(mode, mode.judgeName(), pauses, endpoints, runOutcomes, backchannels));
        }
        return new TurnReport(s.corpus().toString(), s.voice(), s.seed(), fedMs, (System.nanoTime() - wallStart) / 1e6, reports);
    }

    /** Plays each recording to a fresh session, scores it, and reports it in a line with the wall time it took. */
    private static <T> List<T> measure(List<Recording> recordings, Scenarios play, BiFunction<Recording, EventLog, T> score,
                                       BiFunction<T, Double, String> line, Consumer<String> progress) {
        List<T> out = new ArrayList<>();
        for (Recording r : recordings) {
            long t0 = System.nanoTime();
            T outcome = score.apply(r, play.play(r));
            out.add(outcome);
            progress.accept(line.apply(outcome, seconds(t0)));
        }
        return out;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    /** Each sentence once per pause length, at its seeded boundary. */
    private static List<Recording> paused(List<SourceClip> clips, Setup s) {
        List<Recording> out = new ArrayList<>();
        Map<SourceClip, List<Word>> words = new LinkedHashMap<>();
        for (SourceClip c : clips) words.put(c, s.stack().stt().words(c.audio().samples()));
        for (int pause : Recordings.PAUSES_MS) {
            for (SourceClip c : clips) Recordings.paused(c, words.get(c), s.seed(), pause).ifPresent(out::add);
        }
        return out;
    }

    /** The question clips present in the corpus, at most {@code limit}. */
    private static List<SourceClip> questions(List<CorpusManifest.Clip> manifest, Integer limit) throws IOException {
        List<SourceClip> out = new ArrayList<>();
        for (String name : QUESTIONS) {
            Optional<CorpusManifest.Clip> c = find(manifest, name);
            if (c.isPresent() && (limit == null || out.size() < limit)) out.add(SourceClip.read(c.get()));
        }
        return out;
    }

    /** For each question: the backchannels and coughs at the speaker's level, then the real request. */
    private static Map<SourceClip, List<Interjection>> interjections(List<SourceClip> questions, List<CorpusManifest.Clip> manifest,
                                                                     Setup s) throws IOException, TtsException {
        Optional<CorpusManifest.Clip> request = find(manifest, REQUEST);
        Interjection control = request.isPresent() ? Interjection.request(SourceClip.read(request.get())) : null;
        Map<SourceClip, List<Interjection>> trials = new LinkedHashMap<>();
        for (SourceClip q : questions) {
            List<Interjection> xs = new ArrayList<>();
            for (List<String> b : Interjection.BACKCHANNELS) xs.add(Interjection.spoken(s.stack().tts(), b.get(0), b.get(1), q.speechRms()));
            for (int i = 1; i <= COUGHS; i++) xs.add(Interjection.cough(s.seed() + i, q.speechRms()));
            if (control != null) xs.add(control);
            trials.put(q, xs);
        }
        return trials;
    }

    private static Optional<CorpusManifest.Clip> find(List<CorpusManifest.Clip> manifest, String name) {
        return manifest.stream().filter(c -> c.name().equals(name + ".wav")).findFirst();
    }

    /** The engines with the mode's judge of finished utterances. */
    private static VoiceSession.Engines judged(VoiceSession.Engines e, TurnMode mode) {
        return new VoiceSession.Engines(e.vad(), e.stt(), e.dialog(), e.tts(), mode.judge());
    }
}

package dev.parley.dialog.skills;

import dev.parley.dialog.FallbackDialog;
import dev.parley.failover.Outage;

import dev.parley.dialog.Dialog;
import dev.parley.dialog.DialogContext;
import dev.parley.dialog.DialogSignal;
import dev.parley.dialog.Message;
import dev.parley.dialog.Scheduler;
import dev.parley.dialog.TextStream;
import dev.parley.dialog.Tool;
import dev.parley.dialog.nlu.EmbeddingIntentClassifier;
import dev.parley.dialog.nlu.IntentDataset;
import dev.parley.dialog.nlu.MiniLmEmbedder;
import dev.parley.dialog.skills.builtin.StandardSkills;
import dev.parley.dialog.skills.notes.NotesIndex;
import dev.parley.stt.Transcript;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The offline assistant, loaded once per process and shared by its sessions: the all-MiniLM-L6-v2 model, the intent
 * classifier trained on the bundled dataset, the user's notes (embedded once) and the standard skills. Each session
 * gets its own brain from {@link #newDialog} (its timers, lists and pending questions are its own).
 */
public final class SkillsBrain implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SkillsBrain.class);

    /**
     * @param notes     a Markdown or FAQ file to answer from, or null
     * @param listsDir  where each user's lists are kept, or null to keep them in memory for the session
     * @param options   the router's thresholds
     */
    public record Settings(Path notes, Path listsDir, SkillsDialog.Options options) {
        public static final Settings DEFAULT = new Settings(null, null, SkillsDialog.Options.DEFAULT);

        public Settings {
            Objects.requireNonNull(options, "options");
        }
    }

    private final MiniLmEmbedder embedder;
    private final EmbeddingIntentClassifier classifier;
    private final SkillSet skills;
    private final Settings settings;

    private SkillsBrain(MiniLmEmbedder embedder, EmbeddingIntentClassifier classifier, SkillSet skills, Settings settings) {
        this.embedder = embedder;
        this.classifier = classifier;
        this.skills = skills;
        this.settings = settings;
    }

    /**
     * Loads the model, trains the classifier and reads the notes.
     *
     * @throws IOException when the notes file cannot be read (the message names it)
     */
    public static SkillsBrain load(Settings settings) throws IOException {
        long t0 = System.nanoTime();
        MiniLmEmbedder embedder = MiniLmEmbedder.load();
        try {
            EmbeddingIntentClassifier classifier = EmbeddingIntentClassifier.train(embedder, IntentDataset.load().train());
            NotesIndex notes = settings.notes() == null ? null : NotesIndex.load(settings.notes(), embedder);
            SkillSet skills = StandardSkills.create(settings.listsDir(), notes);
            log.info("skills ready in {} ms ({} intents{})", (System.nanoTime() - t0) / 1_000_000, classifier.intents().size(),
                    notes == null ? "" : ", " + notes.passages().size() + " passages of notes from " + settings.notes());
            return new SkillsBrain(embedder, classifier, skills, settings);
        } catch (IOException | RuntimeException e) {
            embedder.close();
            throw e;
        }
    }

    /** The skills themselves (for help texts and tools). */
    public SkillSet skills() {
        return skills;
    }

    /**
     * A brain for one session: the skills first; what they cannot do goes to {@code llm} when one is given (it gets
     * the skills as tools, sharing this session's timers and lists), else an honest "I can't do that yet".
     *
     * @param llm makes the session's LLM from the tools it may call; null for skills only
     */
    public SkillsDialog newDialog(Scheduler scheduler, String userId, Function<List<Tool>, Dialog> llm) {
        SkillSession session = new SkillSession(scheduler, userId, System.nanoTime());
        Dialog fallback = llm == null ? null : llm.apply(SkillTools.of(skills, session));
        return new SkillsDialog(skills, classifier, session, settings.options(), fallback);
    }

    /**
     * An LLM alone answers every turn, with the skills as its tools (so "set a timer" still sets a real timer, which
     * speaks up when it is done).
     */
    public Dialog llmWithTools(Scheduler scheduler, String userId, Function<List<Tool>, Dialog> llm) {
        SkillSession session = new SkillSession(scheduler, userId, System.nanoTime());
        return new WithSession(llm.apply(SkillTools.of(skills, session)), session);
    }

    /**
     * An LLM answers every turn with the skills as its tools, and the skills themselves answer in its place when its
     * provider fails (after a short apology; see {@link FallbackDialog}): one skill session serves both, so a timer
     * the LLM set is the one the skills report on while the provider is down.
     *
     * @param llmName the provider, for the failover report ({@code openai})
     */
    public Dialog llmWithTools(Scheduler scheduler, String userId, Function<List<Tool>, Dialog> llm, String llmName,
                               Outage outage) {
        SkillSession session = new SkillSession(scheduler, userId, System.nanoTime());
        Dialog model = llm.apply(SkillTools.of(skills, session));
        Dialog offline = new SkillsDialog(skills, classifier, session, settings.options(), null);
        return new FallbackDialog(model, llmName, offline, "skills", outage);
    }

    @Override
    public void close() {
        embedder.close();
    }

    /** An LLM brain that owns a skill session: attached to the context so timers announce, closed with it. */
    private record WithSession(Dialog llm, SkillSession session) implements Dialog {
        @Override
        public TextStream respond(List<Message> history, Transcript userTurn) {
            return llm.respond(history, userTurn);
        }

        @Override
        public void attach(DialogContext context) {
            session.attach(context);
            llm.attach(context);
        }

        @Override
        public void onSignal(DialogSignal signal) {
            llm.onSignal(signal);
        }

        @Override
        public void close() {
            try {
                llm.close();
            } finally {
                session.close();
            }
        }
    }
}

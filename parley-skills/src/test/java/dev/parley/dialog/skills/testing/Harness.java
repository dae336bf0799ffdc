package dev.parley.dialog.skills.testing;

import dev.parley.dialog.Dialog;
import dev.parley.dialog.DialogException;
import dev.parley.dialog.Message;
import dev.parley.dialog.TextStream;
import dev.parley.dialog.skills.SkillSession;
import dev.parley.dialog.skills.SkillSet;
import dev.parley.dialog.skills.SkillsDialog;
import dev.parley.dialog.skills.builtin.StandardSkills;
import dev.parley.stt.Transcript;
import dev.parley.testing.ManualScheduler;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * A conversation with a {@link SkillsDialog} on a manual clock: each turn's reply is collected and, with the user's
 * words, added to the history (as a session would), and announcements join the history when time moves.
 */
public final class Harness implements AutoCloseable {
    public final ManualScheduler clock;
    public final RecordingContext context;
    public final SkillSession session;
    public final SkillsDialog dialog;
    public final List<Message> history = new ArrayList<>();
    public final FakeClassifier classifier;
    /** The pieces of the last reply, as streamed. */
    public List<String> lastPieces = List.of();

    public Harness(SkillSet skills, FakeClassifier classifier, Instant start, ZoneId zone, SkillsDialog.Options options,
                   Dialog fallback) {
        this.clock = new ManualScheduler(start, zone);
        this.context = new RecordingContext();
        this.classifier = classifier;
        this.session = new SkillSession(clock, "tester", 42);
        this.dialog = new SkillsDialog(skills, classifier, session, options, fallback);
        dialog.attach(context);
    }

    /** Standard skills, the standard fake classifier, Saturday 21 November 2026 17:07 in Paris. */
    public Harness() {
        this(StandardSkills.create(), FakeClassifier.standard(), Instant.parse("2026-11-21T16:07:00Z"),
                ZoneId.of("Europe/Paris"), SkillsDialog.Options.DEFAULT, null);
    }

    /** A typed turn (full confidence). */
    public String say(String text) {
        return say(text, 1.0);
    }

    /** A spoken turn heard with {@code confidence}. */
    public String say(String text, double confidence) {
        List<String> pieces = new ArrayList<>();
        try (TextStream s = dialog.respond(List.copyOf(history), new Transcript(text, confidence))) {
            for (String p = s.next(); p != null; p = s.next()) {
                pieces.add(p);
            }
        } catch (DialogException e) {
            throw new AssertionError(e);
        }
        lastPieces = pieces;
        String reply = String.join("", pieces);
        history.add(Message.user(text));
        if (!reply.isEmpty()) {
            history.add(Message.assistant(reply));
        }
        return reply;
    }

    /** Moves the clock; what is announced meanwhile joins the history and is returned. */
    public List<String> advance(Duration d) {
        int before = context.said.size();
        clock.advance(d);
        List<String> out = List.copyOf(context.said.subList(before, context.said.size()));
        out.forEach(t -> history.add(Message.assistant(t)));
        return out;
    }

    @Override
    public void close() {
        dialog.close();
    }
}

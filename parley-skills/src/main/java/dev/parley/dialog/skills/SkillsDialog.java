package dev.parley.dialog.skills;

import dev.parley.dialog.Dialog;
import dev.parley.dialog.DialogContext;
import dev.parley.dialog.DialogSignal;
import dev.parley.dialog.Message;
import dev.parley.dialog.TextStream;
import dev.parley.dialog.Tool;
import dev.parley.dialog.nlu.IntentClassifier;
import dev.parley.dialog.nlu.IntentMatch;
import dev.parley.dialog.skills.slots.SpokenText;
import dev.parley.stt.Transcript;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The offline assistant for one session: each turn is classified once, routed to the skill for its intent, and the
 * skill's answer streamed a sentence at a time.
 *
 * <p>Routing, in order:
 * <ol>
 * <li>Nothing intelligible ("", "um") → "Sorry, I didn't catch that."</li>
 * <li>A question asked last turn ("For how long?", "Did you say: ...?") reads the turn first, if it is an
 * answer.</li>
 * <li>Out of scope, or an intent scored below {@link Options#notesFirstBelow}: the knowledge skills (the user's
 * notes) answer if they can.</li>
 * <li>The intent's skill answers; for an action (set a timer, add to a list) heard with a recogniser confidence
 * below {@link Options#confirmBelow}, it first asks "Did you say: ...?": "yes" runs it, "no" asks what to do
 * instead, anything else is a new request.</li>
 * <li>Otherwise the fallback brain (an LLM) answers, if there is one, else an honest "I can't do that yet" with a
 * hint of what it can do.</li>
 * </ol>
 *
 * <p>Nothing happens in {@link #respond} itself: the classification and the skill run when the reply is first
 * pulled, and a skill's answer is ready as soon as they are (no model calls, no network).
 *
 * <p>When a reply is cut off before the user heard a word of it ({@link DialogSignal.ReplyPlayed} with empty heard
 * text, interrupted), the changes its turn made (a timer set, an item added) are taken back: the session carries
 * those words into the user's next turn, which makes them again.
 */
public final class SkillsDialog implements Dialog {
    private static final Logger log = LoggerFactory.getLogger(SkillsDialog.class);

    static final String NOT_UNDERSTOOD = "Sorry, I didn't catch that.";
    static final String WHAT_INSTEAD = "OK, what would you like me to do?";
    static final String SKILL_FAILED = "Sorry, something went wrong with that.";

    private static final Set<String> FILLERS = Set.of("uh", "uhh", "um", "umm", "uhm", "hmm", "hm", "mm", "mhm",
            "er", "erm", "ah", "eh", "oh");
    private static final String LEAD = "^(?:(?:oh|um|uh|well|hmm|er) )*";
    private static final Pattern YES = Pattern.compile(LEAD + "(?:yes|yeah|yep|yup|yea|ya|correct|right|sure|exactly"
            + "|affirmative|ok|okay|absolutely|indeed|all right|alright|that s right|thats right|that is right"
            + "|that s correct|thats correct|that is correct|do it|go ahead|please do|uh huh|mhm)"
            + "(?: (?:please|thanks|thank you|i did|it is|do it|go ahead|that s right|thats right|exactly|correct"
            + "|right|yes|yeah|parley))*$");
    private static final Pattern NO = Pattern.compile(LEAD + "(?:no|nope|nah|negative|wrong|not really"
            + "|that s wrong|thats wrong|that is wrong|i didnt|i did not)"
            + "(?: (?:no|thanks|thank you|i didnt|i did not|that s wrong|thats wrong|not really|sorry|parley))*$");

    /**
     * The router's thresholds.
     *
     * @param confirmBelow    recogniser confidence below which an action is confirmed first ("Did you say...?")
     * @param notesFirstBelow intent score below which the user's notes are searched before the intent's skill
     */
    public record Options(double confirmBelow, double notesFirstBelow) {
        public static final Options DEFAULT = new Options(0.6, 0.5);

        public Options {
            if (!(confirmBelow >= 0 && confirmBelow <= 1) || !(notesFirstBelow >= 0 && notesFirstBelow <= 1)) {
                throw new IllegalArgumentException("thresholds must be in [0, 1]: " + confirmBelow + ", "
                        + notesFirstBelow);
            }
        }
    }

    private final SkillSet skills;
    private final IntentClassifier classifier;
    private final SkillSession session;
    private final Options options;
    private final Dialog fallback;
    private FollowUp pending;

    /**
     * @param skills     the assistant's skills (shared)
     * @param classifier the intent classifier (shared)
     * @param session    this session's data; closed by {@link #close()}
     * @param options    thresholds
     * @param fallback   the brain for what no skill can do (an LLM, with {@link SkillTools#of} as its tools), or
     *                   null; closed by {@link #close()}
     */
    public SkillsDialog(SkillSet skills, IntentClassifier classifier, SkillSession session, Options options,
                        Dialog fallback) {
        this.skills = Objects.requireNonNull(skills, "skills");
        this.classifier = Objects.requireNonNull(classifier, "classifier");
        this.session = Objects.requireNonNull(session, "session");
        this.options = Objects.requireNonNull(options, "options");
        this.fallback = fallback;
    }

    /** Skills only, default thresholds, no fallback. */
    public SkillsDialog(SkillSet skills, IntentClassifier classifier, SkillSession session) {
        this(skills, classifier, session, Options.DEFAULT, null);
    }

    /** This session's data (timers, lists), shared with {@link #tools()}. */
    public SkillSession session() {
        return session;
    }

    /** The skills as tools acting on this session (for an LLM). */
    public List<Tool> tools() {
        return SkillTools.of(skills, session);
    }

    @Override
    public TextStream respond(List<Message> history, Transcript userTurn) {
        session.commitTurn();
        List<Message> h = List.copyOf(history);
        return new ReplyStream(() -> route(h, userTurn));
    }

    @Override
    public void attach(DialogContext context) {
        session.attach(context);
        if (fallback != null) {
            fallback.attach(context);
        }
    }

    @Override
    public void onSignal(DialogSignal signal) {
        if (signal instanceof DialogSignal.ReplyPlayed(String heard, boolean interrupted)) {
            if (interrupted && (heard == null || heard.isBlank())) {
                int undone = session.undoTurn();
                synchronized (this) {
                    pending = null;
                }
                if (undone > 0) {
                    log.debug("reply unheard: took back {} change(s)", undone);
                }
            } else {
                session.commitTurn();
            }
        }
        if (fallback != null) {
            fallback.onSignal(signal);
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            pending = null;
        }
        session.close();
        if (fallback != null) {
            fallback.close();
        }
    }

    private ReplyStream.Outcome route(List<Message> history, Transcript turn) {
        String text = turn.text();
        String normalized = SpokenText.normalize(text);
        List<String> words = normalized.isEmpty() ? List.of() : List.of(normalized.split(" "));
        if (words.stream().allMatch(FILLERS::contains)) {
            return new ReplyStream.Outcome.Text(NOT_UNDERSTOOD);
        }
        FollowUp follow;
        synchronized (this) {
            follow = pending;
            pending = null;
        }
        IntentMatch match = classify(text);
        SkillRequest request = new SkillRequest(match, text, normalized, words, history, turn.confidence(),
                session, skills);
        if (follow != null) {
            Optional<SkillReply> answer;
            try {
                answer = follow.answer(request);
            } catch (RuntimeException e) {
                log.warn("a follow-up failed", e);
                answer = Optional.of(SkillReply.say(SKILL_FAILED));
            }
            if (answer.isPresent()) {
                return finish(answer.get());
            }
        }
        boolean unsure = match.outOfScope() || match.score() < options.notesFirstBelow();
        if (unsure) {
            for (Skill k : skills.knowledge()) {
                SkillReply r = run(k, request);
                if (!(r instanceof SkillReply.Pass)) {
                    return finish(r);
                }
            }
        }
        if (!match.outOfScope()) {
            Optional<Skill> skill = skills.forIntent(match.intent());
            if (skill.isPresent()) {
                if (skill.get().actions().contains(match.intent()) && turn.confidence() < options.confirmBelow()) {
                    return finish(SkillReply.ask("Did you say: " + quoted(text) + "?", confirm(skill.get(), request)));
                }
                SkillReply r = run(skill.get(), request);
                if (!(r instanceof SkillReply.Pass)) {
                    return finish(r);
                }
            }
        }
        if (fallback != null) {
            return new ReplyStream.Outcome.Delegate(fallback.respond(history, turn));
        }
        return new ReplyStream.Outcome.Text(cannotDo());
    }

    private IntentMatch classify(String text) {
        try {
            IntentMatch m = classifier.classify(text);
            log.debug("intent {} ({})", m.intent(), m.score());
            return m;
        } catch (RuntimeException e) {
            log.warn("intent classification failed", e);
            return new IntentMatch(IntentMatch.OUT_OF_SCOPE, 0, IntentMatch.OUT_OF_SCOPE, 0);
        }
    }

    private SkillReply run(Skill skill, SkillRequest request) {
        try {
            return Objects.requireNonNull(skill.handle(request), "reply");
        } catch (RuntimeException e) {
            log.warn("{} failed", skill.getClass().getSimpleName(), e);
            return SkillReply.say(SKILL_FAILED);
        }
    }

    /** "Did you say ...?" answered: yes runs the action as first heard, no asks again. */
    private FollowUp confirm(Skill skill, SkillRequest original) {
        return next -> {
            if (YES.matcher(next.normalized()).matches()) {
                return Optional.of(run(skill, original));
            }
            if (NO.matcher(next.normalized()).matches()) {
                return Optional.of(SkillReply.say(WHAT_INSTEAD));
            }
            return Optional.empty();
        };
    }

    private ReplyStream.Outcome finish(SkillReply reply) {
        return switch (reply) {
            case SkillReply.Speak s -> {
                synchronized (this) {
                    pending = s.followUp();
                }
                yield new ReplyStream.Outcome.Text(s.text());
            }
            case SkillReply.Silence s -> new ReplyStream.Outcome.Text("");
            case SkillReply.Pass p -> new ReplyStream.Outcome.Text(cannotDo());
        };
    }

    /** "Sorry, I can't do that yet. But I can set timers and reminders. Try: set a pasta timer for ten minutes." */
    String cannotDo() {
        List<Skill> described = skills.described().stream().filter(s -> !s.examples().isEmpty()).toList();
        if (described.isEmpty()) {
            return "Sorry, I can't do that yet.";
        }
        Skill s = described.get(session.nextInt(described.size()));
        return "Sorry, I can't do that yet. But I can " + s.capability() + ". Try: " + session.pick(s.examples())
                + ".";
    }

    /** The user's words for "Did you say: ...?", without the final punctuation. */
    private static String quoted(String text) {
        return text.strip().replaceAll("[.?!,;:…]+$", "");
    }
}

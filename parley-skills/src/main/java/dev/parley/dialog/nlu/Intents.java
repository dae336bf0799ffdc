package dev.parley.dialog.nlu;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The names of the intents the offline assistant understands, and {@link #load()}, which makes the ready classifier
 * from the bundled dataset ({@link IntentDataset#RESOURCE}) and model ({@link MiniLmEmbedder}).
 */
public final class Intents {

    private static final Logger log = LoggerFactory.getLogger(Intents.class);

    public static final String TIME_NOW = "time.now";
    public static final String DATE_TODAY = "date.today";
    public static final String TIMER_SET = "timer.set";
    public static final String TIMER_REMAINING = "timer.remaining";
    public static final String TIMER_CANCEL = "timer.cancel";
    public static final String REMINDER_SET = "reminder.set";
    public static final String MATH_CALCULATE = "math.calculate";
    public static final String UNITS_CONVERT = "units.convert";
    public static final String WEATHER = "weather";
    public static final String LIST_ADD = "list.add";
    public static final String LIST_REMOVE = "list.remove";
    public static final String LIST_READ = "list.read";
    public static final String CONTROL_REPEAT = "control.repeat";
    public static final String CONTROL_STOP = "control.stop";
    public static final String VOICE_LOUDER = "voice.louder";
    public static final String VOICE_QUIETER = "voice.quieter";
    public static final String VOICE_SLOWER = "voice.slower";
    public static final String VOICE_FASTER = "voice.faster";
    public static final String HELP = "help";
    public static final String SMALLTALK_GREETING = "smalltalk.greeting";
    public static final String SMALLTALK_THANKS = "smalltalk.thanks";
    public static final String SMALLTALK_IDENTITY = "smalltalk.identity";
    public static final String SMALLTALK_HOWAREYOU = "smalltalk.howareyou";
    public static final String SMALLTALK_GOODBYE = "smalltalk.goodbye";
    public static final String OUT_OF_SCOPE = IntentMatch.OUT_OF_SCOPE;

    /** Every in-scope intent (not {@link #OUT_OF_SCOPE}). */
    public static final List<String> ALL = List.of(TIME_NOW, DATE_TODAY, TIMER_SET, TIMER_REMAINING, TIMER_CANCEL,
            REMINDER_SET, MATH_CALCULATE, UNITS_CONVERT, WEATHER, LIST_ADD, LIST_REMOVE, LIST_READ, CONTROL_REPEAT,
            CONTROL_STOP, VOICE_LOUDER, VOICE_QUIETER, VOICE_SLOWER, VOICE_FASTER, HELP, SMALLTALK_GREETING,
            SMALLTALK_THANKS, SMALLTALK_IDENTITY, SMALLTALK_HOWAREYOU, SMALLTALK_GOODBYE);

    private Intents() {
    }

    /**
     * The classifier the assistant uses: all-MiniLM-L6-v2 loaded from the class path, trained on the bundled
     * dataset's train split (scoring and threshold tuned on it by leave-one-out). Takes about a second and a half;
     * the time is logged. Close it to free the model.
     */
    public static EmbeddingIntentClassifier load() {
        long start = System.nanoTime();
        MiniLmEmbedder embedder = MiniLmEmbedder.load();
        try {
            long modelLoaded = System.nanoTime();
            IntentDataset dataset = IntentDataset.load();
            EmbeddingIntentClassifier classifier =
                    EmbeddingIntentClassifier.train(embedder, dataset.train()).owningEmbedder();
            long end = System.nanoTime();
            log.info("intent classifier ready in {} ms (model {} ms, {} examples of {} intents embedded and tuned in"
                            + " {} ms; {})",
                    (end - start) / 1_000_000, (modelLoaded - start) / 1_000_000, classifier.size(),
                    classifier.intents().size(), (end - modelLoaded) / 1_000_000,
                    classifier.settings());
            return classifier;
        } catch (RuntimeException e) {
            embedder.close();
            throw e;
        }
    }
}

package dev.parley.dialog.skills.testing;

import dev.parley.dialog.nlu.IntentClassifier;
import dev.parley.dialog.nlu.IntentMatch;
import dev.parley.dialog.skills.slots.SpokenText;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Keyword rules standing in for the embedding classifier: the first rule whose pattern is found in the normalised
 * text wins, with its score; nothing found is out of scope (score 0.2, best known "help").
 */
public final class FakeClassifier implements IntentClassifier {
    private record Rule(Pattern pattern, String intent, double score) {}

    private final List<Rule> rules = new ArrayList<>();
    public final AtomicInteger calls = new AtomicInteger();

    /** Adds a rule (regex found anywhere in the normalised text). */
    public FakeClassifier rule(String regex, String intent, double score) {
        rules.add(new Rule(Pattern.compile(regex), intent, score));
        return this;
    }

    public FakeClassifier rule(String regex, String intent) {
        return rule(regex, intent, 0.9);
    }

    @Override
    public IntentMatch classify(String text) {
        calls.incrementAndGet();
        String n = SpokenText.normalize(text);
        for (Rule r : rules) {
            if (r.pattern().matcher(n).find()) {
                return new IntentMatch(r.intent(), r.score(), r.intent(), r.score());
            }
        }
        return new IntentMatch(IntentMatch.OUT_OF_SCOPE, 0.2, "help", 0.2);
    }

    /** Rules for every intent of the dataset, good enough for the phrasings the tests use. */
    public static FakeClassifier standard() {
        return new FakeClassifier()
                .rule("\\b(cancel|delete|kill)\\b.*\\b(timers?|reminders?)\\b|\\bstop the timer\\b", "timer.cancel")
                .rule("how much time|time left|timer status|how long (is left|on)|\\breminders\\b|what reminders",
                        "timer.remaining")
                .rule("\\bremind\\b|\\breminder\\b", "reminder.set")
                .rule("\\btimer\\b", "timer.set")
                .rule("\\b(whats|what s|what is|read|tell me|what)\\b.*\\b(list|lists|todo)\\b", "list.read")
                .rule("\\b(remove|delete|take|cross|clear)\\b", "list.remove")
                .rule("\\b(add|put)\\b|\\bneed to buy\\b", "list.add")
                .rule("\\bconvert\\b|\\bhow many\\b|\\b(kilometres|kilometers|km|miles|fahrenheit|celsius|pounds"
                        + "|kilograms|degrees)\\b.*\\b(in|to|into)\\b", "units.convert")
                .rule("\\b(times|plus|minus|divided|over|squared|cubed|square root|percent of|calculate|power)\\b",
                        "math.calculate")
                .rule("\\bweather\\b|\\brain\\b", "weather")
                .rule("\\btime\\b", "time.now")
                .rule("\\b(date|day)\\b", "date.today")
                .rule("\\brepeat\\b|say that again|\\bagain\\b", "control.repeat")
                .rule("^(stop|be quiet|shut up|never mind|enough)$", "control.stop")
                .rule("\\blouder\\b|speak up", "voice.louder")
                .rule("\\bquieter\\b|\\bsofter\\b", "voice.quieter")
                .rule("\\bslower\\b|slow down", "voice.slower")
                .rule("\\bfaster\\b|speed up", "voice.faster")
                .rule("\\bhelp\\b|what can you do", "help")
                .rule("\\bthank", "smalltalk.thanks")
                .rule("who are you|your name", "smalltalk.identity")
                .rule("how are you", "smalltalk.howareyou")
                .rule("\\b(bye|goodbye)\\b", "smalltalk.goodbye")
                .rule("^(hello|hi|hey)\\b", "smalltalk.greeting");
    }
}

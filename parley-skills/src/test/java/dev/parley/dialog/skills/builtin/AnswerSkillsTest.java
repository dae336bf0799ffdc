package dev.parley.dialog.skills.builtin;

import dev.parley.dialog.skills.SkillsDialog;
import dev.parley.dialog.skills.testing.FakeClassifier;
import dev.parley.dialog.skills.testing.Harness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The skills that answer at once: time, date, arithmetic, units, voice, repeat, stop, help, weather, small talk. */
class AnswerSkillsTest {
    private final Harness h = new Harness();

    @AfterEach
    void close() {
        h.close();
    }

    private static Harness at(String instant, String zone) {
        return new Harness(StandardSkills.create(), FakeClassifier.standard(), Instant.parse(instant),
                ZoneId.of(zone), SkillsDialog.Options.DEFAULT, null);
    }

    @Test
    void timeInTheUsersZone() {
        assertThat(h.say("what time is it")).isEqualTo("It's five oh seven PM.");
        try (Harness tokyo = at("2026-11-21T16:07:00Z", "Asia/Tokyo")) {
            assertThat(tokyo.say("what time is it")).isEqualTo("It's one oh seven AM.");
            assertThat(tokyo.say("what's the date")).isEqualTo("Today is Sunday, November 22nd.");
        }
        try (Harness noon = at("2026-11-21T12:00:00Z", "UTC")) {
            assertThat(noon.say("what time is it")).isEqualTo("It's noon.");
        }
    }

    @Test
    void dates() {
        assertThat(h.say("what's the date today")).isEqualTo("Today is Saturday, November 21st.");
        assertThat(h.say("what day is it tomorrow")).isEqualTo("Tomorrow is Sunday, November 22nd.");
        assertThat(h.say("what day was it yesterday")).isEqualTo("Yesterday was Friday, November 20th.");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "what is 17 times 23                  | 17 times 23 is 391.",
            "seventeen times twenty three         | 17 times 23 is 391.",
            "what's ten divided by three          | 10 divided by 3 is about 3.33.",
            "what's the square root of 144        | The square root of 144 is 12.",
            "what is 15 percent of 80             | 15 percent of 80 is 12.",
            "what is five minus eight             | 5 minus 8 is minus 3.",
            "what's 2.5 times 4                   | 2.5 times 4 is 10.",
            "calculate 7 divided by 0             | You can't divide by zero.",
            "what's the square root of minus 4    | The square root of a negative number isn't a real number.",
            "what's 10 to the power of 400        | That number is too big for me.",
            "calculate the answer                 | Sorry, I didn't get the sum. You can say, for example: what is 17 times 23?",
    })
    void arithmetic(String said, String reply) {
        assertThat(h.say(said)).isEqualTo(reply);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "convert 10 kilometres to miles              | 10 kilometres is about 6.2 miles.",
            "how many miles is ten kilometers            | 10 kilometres is about 6.2 miles.",
            "what is 100 fahrenheit in celsius           | 100 degrees Fahrenheit is about 37.8 degrees Celsius.",
            "convert 0 celsius to fahrenheit             | 0 degrees Celsius is 32 degrees Fahrenheit.",
            "convert minus 40 degrees celsius to fahrenheit | Minus 40 degrees Celsius is minus 40 degrees Fahrenheit.",
            "how many ounces in a pound                  | 1 pound is 16 ounces.",
            "how many grams in a pound                   | 1 pound is about 454 grams.",
            "how many feet in a mile                     | 1 mile is 5280 feet.",
            "convert 1 inch to centimetres               | 1 inch is about 2.5 centimetres.",
            "how many cups in a litre                    | 1 litre is about 4.2 cups.",
            "convert 60 mph to kilometres per hour       | 60 miles per hour is about 96.6 kilometres per hour.",
            "convert 5 kilograms to miles                | I can't convert kilograms to miles: kilograms are a weight and miles a length.",
            "convert 1.609344 kilometres to miles        | 1.609344 kilometres is 1 mile.",
            "how many seconds in a day                   | 1 day is 86400 seconds.",
    })
    void conversions(String said, String reply) {
        assertThat(h.say(said)).isEqualTo(reply);
    }

    @Test
    void conversionAsksForTheTargetUnit() {
        assertThat(h.say("convert 10 kilometres")).isEqualTo("Into what?");
        assertThat(h.say("miles")).isEqualTo("10 kilometres is about 6.2 miles.");
        assertThat(h.say("convert the thing")).isEqualTo(UnitsSkill.NOT_UNDERSTOOD);
        // a whole conversion after the question is answered for itself
        assertThat(h.say("convert 3 miles")).isEqualTo("Into what?");
        assertThat(h.say("what's 72 fahrenheit in celsius")).isEqualTo(
                "72 degrees Fahrenheit is about 22.2 degrees Celsius.");
    }

    @Test
    void voiceLouderQuieterSlowerFaster() {
        RecordingVoice v = new RecordingVoice(h);
        assertThat(h.say("louder")).isEqualTo("OK, louder.");
        assertThat(v.volume()).isEqualTo(1.5);
        assertThat(h.say("much louder")).isEqualTo("OK, louder.");
        assertThat(v.volume()).isCloseTo(1.5 * 2.25, within(1e-9));
        assertThat(h.say("louder")).isEqualTo("OK, louder.");
        assertThat(v.volume()).isEqualTo(4.0);
        assertThat(h.say("louder")).isEqualTo("That's as loud as I go.");
        assertThat(h.say("quieter please")).isEqualTo("OK, quieter.");
        assertThat(v.volume()).isCloseTo(4.0 / 1.5, within(1e-9));
        assertThat(h.say("speak slower")).isEqualTo("OK, I'll speak more slowly.");
        assertThat(v.rate()).isCloseTo(1 / 1.2, within(1e-9));
        assertThat(h.say("faster")).isEqualTo("OK, I'll speak faster.");
        assertThat(v.rate()).isCloseTo(1.0, within(1e-9));
    }

    /** Reads the harness's fake voice controls. */
    private record RecordingVoice(Harness h) {
        double volume() {
            return h.context.voice.volume;
        }

        double rate() {
            return h.context.voice.rate;
        }
    }

    @Test
    void saysHonestlyWhenTheVoiceCannotChange() {
        h.dialog.attach(new dev.parley.dialog.skills.testing.RecordingContext(
                new dev.parley.dialog.skills.testing.RecordingContext.FakeVoice(false)));
        assertThat(h.say("louder")).isEqualTo("Sorry, I can't change my volume here.");
        assertThat(h.say("slow down")).isEqualTo("Sorry, I can't change how fast I speak here.");
        h.dialog.attach(dev.parley.dialog.DialogContext.NONE);
        assertThat(h.say("faster")).isEqualTo("Sorry, I can't change how fast I speak here.");
    }

    @Test
    void repeatsTheLastThingHeard() {
        assertThat(h.say("say that again")).isEqualTo(RepeatSkill.NOTHING_YET);
        h.history.clear();
        h.say("what time is it");
        assertThat(h.say("repeat that")).isEqualTo("It's five oh seven PM.");
        h.say("set a timer for one minute");
        h.advance(java.time.Duration.ofMinutes(1));
        assertThat(h.say("say that again")).isEqualTo("Your one minute timer is done.");
    }

    @Test
    void stopSaysNothing() {
        assertThat(h.say("stop")).isEmpty();
        assertThat(h.lastPieces).isEmpty();
    }

    @Test
    void helpListsTheSkillsWithExamples() {
        String help = h.say("what can you do");
        assertThat(help).startsWith("I can tell you the time and the date, set timers, remind you of things, do "
                + "arithmetic, convert units, keep your shopping and to do lists and speak louder, quieter, slower "
                + "or faster. For example, say: ");
        assertThat(help).endsWith(".");
        // the examples come from the skills and vary
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            seen.add(h.say("help"));
        }
        assertThat(seen).hasSizeGreaterThan(3);
    }

    @Test
    void weatherIsHonest() {
        assertThat(h.say("what's the weather like")).isEqualTo(WeatherSkill.REPLY);
    }

    @Test
    void smallTalkVariesButStaysInItsSet() {
        for (String intent : SmallTalkSkill.REPLIES.keySet()) {
            String said = switch (intent) {
                case "smalltalk.greeting" -> "hello there";
                case "smalltalk.thanks" -> "thank you";
                case "smalltalk.identity" -> "who are you";
                case "smalltalk.howareyou" -> "how are you doing";
                default -> "goodbye";
            };
            Set<String> replies = new HashSet<>();
            for (int i = 0; i < 30; i++) {
                replies.add(h.say(said));
            }
            assertThat(replies).as(intent).containsExactlyInAnyOrderElementsOf(SmallTalkSkill.REPLIES.get(intent));
        }
    }

    @Test
    void smallTalkIsDeterministicForASeed() {
        List<String> a = List.of(h.say("hello"), h.say("thanks"), h.say("bye"));
        try (Harness again = new Harness()) {
            assertThat(List.of(again.say("hello"), again.say("thanks"), again.say("bye"))).isEqualTo(a);
        }
    }
}

package dev.parley.dialog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class RuleBasedDialogTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    /** A clock fixed at the given local time in Paris on Saturday 21 November 2026. */
    private static Clock at(int hour, int minute) {
        return Clock.fixed(ZonedDateTime.of(2026, 11, 21, hour, minute, 0, 0, PARIS).toInstant(), PARIS);
    }

    private static final RuleBasedDialog DIALOG = new RuleBasedDialog(at(17, 7));

    private static String reply(RuleBasedDialog dialog, String userText) throws DialogException {
        StringBuilder sb = new StringBuilder();
        try (TextStream stream = dialog.respond(List.of(), userText)) {
            for (String piece = stream.next(); piece != null; piece = stream.next()) {
                sb.append(piece);
            }
        }
        return sb.toString();
    }

    private static String reply(String userText) throws DialogException {
        return reply(DIALOG, userText);
    }

    // -- time -----------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0  | 0  | It's midnight.",
            "0  | 5  | It's twelve oh five AM.",
            "0  | 59 | It's twelve fifty-nine AM.",
            "1  | 0  | It's one AM.",
            "9  | 30 | It's nine thirty AM.",
            "11 | 59 | It's eleven fifty-nine AM.",
            "12 | 0  | It's noon.",
            "12 | 1  | It's twelve oh one PM.",
            "15 | 0  | It's three PM.",
            "17 | 7  | It's five oh seven PM.",
            "20 | 15 | It's eight fifteen PM.",
            "23 | 40 | It's eleven forty PM.",
            "23 | 59 | It's eleven fifty-nine PM.",
    })
    void timeIsSpokenAsAClockReads(int hour, int minute, String expected) throws DialogException {
        assertThat(reply(new RuleBasedDialog(at(hour, minute)), "what time is it")).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"what time is it", "What time is it?", "WHAT'S THE TIME?", "whats the time",
            "what is the time", "tell me the time", "Tell me the time, please.", "hey parley what time is it now",
            "do you know what time it is", "time please", "the time", "what's the current time", "time",
            "got the time"})
    void timeQuestions(String question) throws DialogException {
        assertThat(reply(question)).isEqualTo("It's five oh seven PM.");
    }

    @Test
    void timeUsesTheClocksZone() throws DialogException {
        Instant instant = Instant.parse("2026-11-21T23:30:00Z");
        assertThat(reply(new RuleBasedDialog(Clock.fixed(instant, ZoneId.of("UTC"))), "what time is it"))
                .isEqualTo("It's eleven thirty PM.");
        assertThat(reply(new RuleBasedDialog(Clock.fixed(instant, ZoneId.of("Asia/Tokyo"))), "what time is it"))
                .isEqualTo("It's eight thirty AM.");
        assertThat(reply(new RuleBasedDialog(Clock.fixed(instant, ZoneId.of("Asia/Tokyo"))), "what day is it"))
                .isEqualTo("Today is Sunday, November 22nd.");
    }

    @Test
    void timeIsReadWhenTheStreamIsPulledNotWhenTheReplyStarts() throws DialogException {
        AtomicInteger reads = new AtomicInteger();
        Clock counting = new Clock() {
            @Override
            public ZoneId getZone() {
                return PARIS;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                reads.incrementAndGet();
                return at(12, 0).instant();
            }
        };
        TextStream stream = new RuleBasedDialog(counting).respond(List.of(), "what time is it");
        assertThat(reads).hasValue(0);
        assertThat(stream.next()).isEqualTo("It's ");
        assertThat(reads).hasValue(1);
        assertThat(stream.next()).isEqualTo("noon.");
        assertThat(stream.next()).isNull();
    }

    // -- date -----------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"what's the date", "What is the date today?", "what day is it", "What's today?",
            "whats todays date", "which day is it today", "tell me the date", "WHAT DATE IS IT", "date"})
    void dateQuestions(String question) throws DialogException {
        assertThat(reply(question)).isEqualTo("Today is Saturday, November 21st.");
    }

    @ParameterizedTest
    @CsvSource({"1,1st", "2,2nd", "3,3rd", "4,4th", "10,10th", "11,11th", "12,12th", "13,13th", "14,14th",
            "20,20th", "21,21st", "22,22nd", "23,23rd", "24,24th", "30,30th", "31,31st", "101,101st", "111,111th",
            "112,112th", "113,113th"})
    void ordinals(int n, String expected) {
        assertThat(RuleBasedDialog.ordinal(n)).isEqualTo(expected);
    }

    @Test
    void spokenDates() {
        assertThat(RuleBasedDialog.spokenDate(LocalDate.of(2024, 2, 29))).isEqualTo("Thursday, February 29th");
        assertThat(RuleBasedDialog.spokenDate(LocalDate.of(2025, 12, 31))).isEqualTo("Wednesday, December 31st");
        assertThat(RuleBasedDialog.spokenDate(LocalDate.of(2026, 1, 2))).isEqualTo("Friday, January 2nd");
        assertThat(RuleBasedDialog.spokenDate(LocalDate.of(2026, 3, 3))).isEqualTo("Tuesday, March 3rd");
        assertThat(RuleBasedDialog.spokenDate(LocalDate.of(2026, 3, 13))).isEqualTo("Friday, March 13th");
        assertThat(RuleBasedDialog.spokenDate(LocalDate.of(2026, 3, 22))).isEqualTo("Sunday, March 22nd");
        assertThat(RuleBasedDialog.spokenDate(LocalDate.of(2026, 3, 23))).isEqualTo("Monday, March 23rd");
    }

    @Test
    void dateAtMidnightIsTheNewDay() throws DialogException {
        assertThat(reply(new RuleBasedDialog(at(0, 0)), "what's the date"))
                .isEqualTo("Today is Saturday, November 21st.");
        assertThat(reply(new RuleBasedDialog(at(23, 59)), "what's the date"))
                .isEqualTo("Today is Saturday, November 21st.");
    }

    // -- other intents --------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"hello", "Hi!", "hey there", "Good morning.", "good evening parley", "hello hello",
            "hi how are you", "Hey, what's up?", "HELLO"})
    void greetings(String text) throws DialogException {
        assertThat(reply(text)).isEqualTo("Hello! How can I help?");
    }

    @ParameterizedTest
    @ValueSource(strings = {"thanks", "Thank you!", "thank you very much", "thanks a lot parley", "cheers"})
    void thanks(String text) throws DialogException {
        assertThat(reply(text)).isEqualTo("You're welcome.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bye", "Goodbye.", "good bye", "see you", "See you later!", "ok thanks bye",
            "good night"})
    void goodbyes(String text) throws DialogException {
        assertThat(reply(text)).isEqualTo("Goodbye!");
    }

    @ParameterizedTest
    @ValueSource(strings = {"who are you", "Who are you?", "what's your name", "what is your name",
            "tell me your name", "what are you"})
    void identity(String text) throws DialogException {
        assertThat(reply(text)).isEqualTo("I'm Parley, a voice assistant that runs on your computer.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"help", "Help!", "what can you do", "What can you do?", "what are you able to do",
            "can you help me"})
    void help(String text) throws DialogException {
        assertThat(reply(text)).isEqualTo(RuleBasedDialog.HELP).contains("time", "date", "repeat");
    }

    @ParameterizedTest
    @ValueSource(strings = {"what's the weather", "What's the weather like today?", "is it going to rain",
            "weather forecast for tomorrow", "whats the temperature outside"})
    void weather(String text) throws DialogException {
        assertThat(reply(text)).isEqualTo("I can't check the weather yet: I'm running offline.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "uh", "Um...", "hmm", "uh um", "?!", "Uhm, er, hmm."})
    void notUnderstood(String text) throws DialogException {
        assertThat(reply(text)).isEqualTo("Sorry, I didn't catch that. Could you say it again?");
        assertThat(reply(null)).isEqualTo("Sorry, I didn't catch that. Could you say it again?");
    }

    // -- echo -----------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "tell me a joke                       | You said: tell me a joke.",
            "  Tell me a JOKE  .                  | You said: Tell me a JOKE.",
            "What time does the shop open?        | You said: What time does the shop open.",
            "i said hi to my friend               | You said: i said hi to my friend.",
            "set a timer for twenty one minutes   | You said: set a timer for twenty one minutes.",
            "um open the door                     | You said: um open the door.",
    })
    void anythingElseIsEchoed(String text, String expected) throws DialogException {
        assertThat(reply(text)).isEqualTo(expected);
    }

    @Test
    void longEchoesAreCutAtThirtyWords() throws DialogException {
        List<String> words = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            words.add("w" + i);
        }
        String expected = "You said: " + String.join(" ", words.subList(0, 30)) + ", and so on.";
        assertThat(reply(String.join(" ", words))).isEqualTo(expected);
        assertThat(reply(String.join("\n ", words.subList(0, 30)))).isEqualTo(
                "You said: " + String.join(" ", words.subList(0, 30)) + ".");
    }

    // -- streaming ------------------------------------------------------------------------------------------------

    @Test
    void replyIsStreamedWordByWord() throws DialogException {
        TextStream stream = DIALOG.respond(List.of(Message.user("hi"), Message.assistant("Hello!")), "what time is it");
        List<String> pieces = new ArrayList<>();
        for (String piece = stream.next(); piece != null; piece = stream.next()) {
            pieces.add(piece);
        }
        assertThat(pieces).containsExactly("It's ", "five ", "oh ", "seven ", "PM.");
        assertThat(stream.next()).isNull();
    }

    @Test
    void closeStopsTheStream() throws DialogException {
        TextStream stream = DIALOG.respond(List.of(), "hello");
        assertThat(stream.next()).isEqualTo("Hello! ");
        stream.close();
        assertThat(stream.next()).isNull();
        assertThat(stream.next()).isNull();

        TextStream unpulled = DIALOG.respond(List.of(), "hello");
        unpulled.close();
        assertThat(unpulled.next()).isNull();
    }

    @Test
    void normalisation() {
        assertThat(RuleBasedDialog.normalize("  WHAT'S   the time?! ")).isEqualTo("whats the time");
        assertThat(RuleBasedDialog.normalize("It’s 5:07, isn't it")).isEqualTo("its 5 07 isnt it");
        assertThat(RuleBasedDialog.normalize("...")).isEmpty();
    }
}

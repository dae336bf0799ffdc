package dev.parley.dialog;

import dev.parley.stt.Transcript;

import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A small offline responder: recognises a handful of intents by keywords and otherwise repeats what it heard. It
 * stands in for the real assistant while the rest of the pipeline is built.
 *
 * <p>The user's words are normalised first (lower case, apostrophes dropped so "what's" and STT's "whats" agree,
 * other punctuation turned into spaces, spaces collapsed); intents are then tried in this order, the first match
 * winning: not understood (nothing, or only filler such as "uh", "um", "hmm"), weather, time, date, identity, help,
 * goodbye, thanks, greeting, and finally the echo.
 *
 * <p>Times are spoken as a clock reads: "It's five oh seven PM.", "It's eleven fifty-nine PM.", "It's three PM." on
 * the hour, "It's twelve oh five AM." just after midnight, and "It's midnight." / "It's noon." exactly. Dates are
 * "Today is Saturday, November 21st." The time zone is the clock's.
 *
 * <p>The reply is streamed a word at a time (each piece a word and the space after it) and is only computed when
 * the stream is first pulled, so {@link #respond} returns at once and the time is read when it is about to be said.
 */
public final class RuleBasedDialog implements Dialog {

    /** How many of the user's words the echo repeats before "and so on". */
    static final int MAX_ECHO_WORDS = 30;

    static final String NOT_UNDERSTOOD = "Sorry, I didn't catch that. Could you say it again?";
    static final String GREETING = "Hello! How can I help?";
    static final String WELCOME = "You're welcome.";
    static final String GOODBYE = "Goodbye!";
    static final String IDENTITY = "I'm Parley, a voice assistant that runs on your computer.";
    static final String HELP = "I can tell you the time and the date, and for anything else I repeat what I heard. "
            + "Just ask, for example: what time is it?";
    static final String WEATHER = "I can't check the weather yet: I'm running offline.";

    private static final Set<String> FILLERS = Set.of("uh", "uhh", "um", "umm", "uhm", "hmm", "hm", "mm", "mhm",
            "er", "erm", "ah", "eh", "oh");

    private static final Pattern WEATHER_Q = words(
            "weather|forecast|temperature outside|(is it|will it|going to|gonna) (rain|snow)|raining|snowing"
                    + "|umbrella|how (hot|cold|warm) is it");
    private static final Pattern TIME_Q = words(
            "what time is it|what time it is|time is it|(what is|whats|what s) the (current )?time"
                    + "|(tell|give) me the time|(got|have|know) the time|current time|the time (please|now)"
                    + "|time please|time now|(check|say) the time|^(the )?time$|^time (is it )?now$");
    private static final Pattern DATE_Q = words(
            "what (day|date) is (it|today)|what day it is|what date it is|which day is (it|today)"
                    + "|(what is|whats|what s) (the )?(date|day)( today)?|(what is|whats|what s) today( s date)?$"
                    + "|todays date|today s date|the date (today|please)|(tell|give) me the date"
                    + "|(current|todays) date|day of the week|^(the )?date$|what is today|what s today");
    private static final Pattern IDENTITY_Q = words(
            "who are you|^what are you$|(whats|what is|what s) your name|your name|who am i (talking|speaking) to"
                    + "|introduce yourself|who is this|what should i call you");
    private static final Pattern HELP_Q = words(
            "help|what can you do|what do you do|what are you able to do|what can i (ask|say)"
                    + "|how does this work|how do (you|i) use (you|this)|what are your (skills|features|commands)");
    private static final Pattern GOODBYE_Q = words(
            "bye|goodbye|good bye|bye bye|see you|see ya|farewell|good night|talk (to you )?later|that s all"
                    + "|thats all|i m done|im done|catch you later");
    private static final Pattern THANKS_Q = words(
            "thanks|thank you|thank u|thx|cheers|appreciate it|much appreciated");
    /** A greeting, optionally addressed and followed by small talk, and nothing else. */
    private static final Pattern GREETING_Q = Pattern.compile(
            "^(?:(?:hello|hi|hey|hiya|howdy|greetings|yo|good (?:morning|afternoon|evening|day))(?: there)?"
                    + "(?: parley| everyone| you| all)? ?)+"
                    + "(?:how are you(?: doing)?(?: today)?|how s it going|how is it going|whats up|what s up)?$");

    private final Clock clock;

    public RuleBasedDialog(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public TextStream respond(List<Message> history, Transcript userTurn) {
        String text = userTurn.text();
        return new WordStream(() -> reply(text));
    }

    /** The whole reply to {@code userText}. */
    String reply(String userText) {
        String n = normalize(userText);
        if (n.isEmpty() || Arrays.stream(n.split(" ")).allMatch(FILLERS::contains)) {
            return NOT_UNDERSTOOD;
        }
        if (WEATHER_Q.matcher(n).find()) {
            return WEATHER;
        }
        if (TIME_Q.matcher(n).find()) {
            return "It's " + spokenTime(LocalTime.now(clock)) + ".";
        }
        if (DATE_Q.matcher(n).find()) {
            return "Today is " + spokenDate(LocalDate.now(clock)) + ".";
        }
        if (IDENTITY_Q.matcher(n).find()) {
            return IDENTITY;
        }
        if (HELP_Q.matcher(n).find()) {
            return HELP;
        }
        if (GOODBYE_Q.matcher(n).find()) {
            return GOODBYE;
        }
        if (THANKS_Q.matcher(n).find()) {
            return WELCOME;
        }
        if (GREETING_Q.matcher(n).matches()) {
            return GREETING;
        }
        return echo(userText);
    }

    /** "You said: ..." with the user's words as given, at most {@value #MAX_ECHO_WORDS} of them. */
    static String echo(String userText) {
        String[] words = userText.strip().split("\\s+");
        StringBuilder sb = new StringBuilder("You said: ");
        int n = Math.min(words.length, MAX_ECHO_WORDS);
        sb.append(String.join(" ", Arrays.asList(words).subList(0, n)));
        // one full stop at the end, not "?." or "..."
        int end = sb.length();
        while (end > 0 && " .!?,;:…".indexOf(sb.charAt(end - 1)) >= 0) {
            end--;
        }
        sb.setLength(end);
        if (words.length > MAX_ECHO_WORDS) {
            sb.append(", and so on");
        }
        return sb.append('.').toString();
    }

    /**
     * Lower case, apostrophes removed ("what's" → "whats"), every other non-letter, non-digit character a space,
     * spaces collapsed and trimmed.
     */
    static String normalize(String text) {
        String lower = text.toLowerCase(Locale.ROOT).replaceAll("['’‘ʼ`]", "");
        return lower.replaceAll("[^\\p{L}\\p{N}]+", " ").strip();
    }

    /** A clock reading in words: "five oh seven PM", "eleven fifty-nine PM", "three PM", "midnight", "noon". */
    public static String spokenTime(LocalTime time) {
        int hour = time.getHour();
        int minute = time.getMinute();
        if (minute == 0 && hour == 0) {
            return "midnight";
        }
        if (minute == 0 && hour == 12) {
            return "noon";
        }
        String half = hour < 12 ? "AM" : "PM";
        String h = NUMBERS[hour % 12 == 0 ? 12 : hour % 12];
        if (minute == 0) {
            return h + " " + half;
        }
        String m = minute < 10 ? "oh " + NUMBERS[minute] : NUMBERS[minute];
        return h + " " + m + " " + half;
    }

    /** "Saturday, November 21st". */
    public static String spokenDate(LocalDate date) {
        return date.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + ", "
                + date.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + " " + ordinal(date.getDayOfMonth());
    }

    /** 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 22nd, 23rd, 31st... */
    public static String ordinal(int n) {
        int lastTwo = n % 100;
        String suffix = lastTwo >= 11 && lastTwo <= 13 ? "th" : switch (n % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        };
        return n + suffix;
    }

    /** Numbers 0 to 59 in words, hyphenated as written English ("fifty-nine"). */
    private static final String[] NUMBERS = numbers();

    private static String[] numbers() {
        String[] ones = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
        String[] tens = {"", "", "twenty", "thirty", "forty", "fifty"};
        String[] out = new String[60];
        for (int i = 0; i < 60; i++) {
            out[i] = i < 20 ? ones[i] : tens[i / 10] + (i % 10 == 0 ? "" : "-" + ones[i % 10]);
        }
        return out;
    }

    /** Whole-word alternatives: {@code alternatives} may use regex groups and anchors. */
    private static Pattern words(String alternatives) {
        return Pattern.compile("(?<![\\p{L}\\p{N}])(?:" + alternatives + ")(?![\\p{L}\\p{N}])");
    }

    /** Streams a reply, computed on the first pull, a word (and its following space) at a time. */
    private static final class WordStream implements TextStream {
        private final Supplier<String> reply;
        private List<String> pieces;
        private int next;
        private volatile boolean closed;

        WordStream(Supplier<String> reply) {
            this.reply = reply;
        }

        @Override
        public String next() {
            if (closed) {
                return null;
            }
            if (pieces == null) {
                pieces = split(reply.get());
            }
            return next < pieces.size() && !closed ? pieces.get(next++) : null;
        }

        @Override
        public void close() {
            closed = true;
        }

        /** "It's noon." → ["It's ", "noon."]: each word with the space after it, the last without. */
        private static List<String> split(String text) {
            List<String> out = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) == ' ') {
                    out.add(text.substring(start, i + 1));
                    start = i + 1;
                }
            }
            if (start < text.length()) {
                out.add(text.substring(start));
            }
            return out;
        }
    }
}

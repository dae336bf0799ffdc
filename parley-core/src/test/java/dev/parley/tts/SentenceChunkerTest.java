package dev.parley.tts;

import dev.parley.tts.SentenceChunker.Config;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class SentenceChunkerTest {

    /** All phrases of {@code text} fed as one piece. */
    private static List<String> chunk(Config config, String... pieces) {
        SentenceChunker chunker = new SentenceChunker(config);
        List<String> out = new ArrayList<>();
        for (String piece : pieces) {
            out.addAll(chunker.add(piece));
        }
        out.addAll(chunker.flush());
        return out;
    }

    private static List<String> chunk(String... pieces) {
        return chunk(Config.DEFAULT, pieces);
    }

    // -- sentence ends --------------------------------------------------------------------------------------------

    @Test
    void phraseIsCompleteAsSoonAsTheFollowingSpaceArrives() {
        SentenceChunker chunker = new SentenceChunker();
        assertThat(chunker.add("Hello there.")).isEmpty();
        assertThat(chunker.add(" How")).containsExactly("Hello there.");
        assertThat(chunker.add(" are you?")).isEmpty();
        assertThat(chunker.add("\n")).containsExactly("How are you?");
        assertThat(chunker.flush()).isEmpty();
    }

    @Test
    void waitsForTheCharacterAfterADot() {
        SentenceChunker chunker = new SentenceChunker();
        assertThat(chunker.add("It is 3.")).isEmpty();
        assertThat(chunker.add("5 degrees. ")).containsExactly("It is 3.5 degrees.");
        assertThat(chunker.add("OK")).isEmpty();
        assertThat(chunker.flush()).containsExactly("OK");
    }

    @Test
    void allSentencePunctuationEndsPhrases() {
        assertThat(chunk("One. Two! Three? Four… Five; six: seven\neight"))
                .containsExactly("One.", "Two!", "Three?", "Four…", "Five;", "six:", "seven", "eight");
    }

    @Test
    void punctuationWithoutFollowingWhitespaceDoesNotEnd() {
        assertThat(chunk("Pi is 3.14159 and e is 2.718. It is 5:30 now. See https://x.org/a?b=c today."))
                .containsExactly("Pi is 3.14159 and e is 2.718.", "It is 5:30 now.",
                        "See https://x.org/a?b=c today.");
        assertThat(chunk("Wait...what?! Really?")).containsExactly("Wait...what?!", "Really?");
    }

    @Test
    void closingQuotesAndBracketsStayWithTheirSentence() {
        assertThat(chunk("He said \"Stop.\" Then he left. (It was late.) She said 'fine!' and went."))
                .containsExactly("He said \"Stop.\"", "Then he left.", "(It was late.)", "She said 'fine!'",
                        "and went.");
        assertThat(chunk("Look. A list (a, b, c.)) Next")).containsExactly("Look.", "A list (a, b, c.))", "Next");
        assertThat(chunk("“Really?” she asked.")).containsExactly("“Really?”", "she asked.");
    }

    @Test
    void abbreviationsDoNotEndSentences() {
        assertThat(chunk("Mr. and Mrs. Smith met Dr. Jones on Main St. in the U.S. today. Next one."))
                .containsExactly("Mr. and Mrs. Smith met Dr. Jones on Main St. in the U.S. today.", "Next one.");
        assertThat(chunk("It was cats vs. dogs, e.g. Rex, i.e. mine. Ms. Brown and J. R. R. Tolkien agree."))
                .containsExactly("It was cats vs. dogs,", "e.g. Rex, i.e. mine.",
                        "Ms. Brown and J. R. R. Tolkien agree.");
    }

    @Test
    void softAbbreviationsEndOnlyBeforeACapital() {
        assertThat(chunk("We meet at 7 a.m. and eat at 1 p.m. Then we rest.")) // the first phrase ends before "at"
                .containsExactly("We meet", "at 7 a.m. and eat at 1 p.m.", "Then we rest.");
        assertThat(chunk("Apples, pears, etc. are fruit. Bring bread, milk, etc. The end."))
                .containsExactly("Apples, pears, etc. are fruit.", "Bring bread, milk, etc.", "The end.");
        SentenceChunker chunker = new SentenceChunker();
        assertThat(chunker.add("Open at 9 a.m. ")).isEmpty(); // undecided until the next word starts
        assertThat(chunker.add("Daily")).containsExactly("Open at 9 a.m.");
    }

    @Test
    void ellipsesAndRepeatedPunctuation() {
        assertThat(chunk("Well... I guess. Hmm… maybe?! Yes!!! OK"))
                .containsExactly("Well...", "I guess.", "Hmm…", "maybe?!", "Yes!!!", "OK");
    }

    @Test
    void numberedListItemsMaySplit() {
        assertThat(chunk("Steps:\n1. Open it.\n2. Close it."))
                .containsExactly("Steps:", "1.", "Open it.", "2.", "Close it.");
    }

    @Test
    void strayPunctuationJoinsTheNextPhrase() {
        assertThat(chunk("Yes! ! Sure. ... OK")).containsExactly("Yes!", "! Sure.", "... OK");
        assertThat(chunk("Done. :)")).containsExactly("Done.", ":)");
        assertThat(chunk("\n\n  \n")).isEmpty();
        assertThat(chunk("")).isEmpty();
    }

    // -- first phrase ---------------------------------------------------------------------------------------------

    @Test
    void firstPhraseIsCutEarlyAtACommaOrDash() {
        assertThat(chunk("Well I think so, but then again, maybe not, who knows."))
                .containsExactly("Well I think so,", "but then again, maybe not, who knows.");
        assertThat(chunk("Sure, of course, I can do that, gladly.")) // an opener ends the first phrase alone
                .containsExactly("Sure,", "of course, I can do that, gladly.");
        assertThat(chunk("Let me see — the answer is, well, four."))
                .containsExactly("Let me see —", "the answer is, well, four.");
        assertThat(chunk("Let me see - the answer is four.")).containsExactly("Let me see -", "the answer is four.");
        assertThat(chunk("Let me see–the answer is four.")).containsExactly("Let me see–the answer is four.");
        assertThat(chunk("A well-known co-op, they say.")).containsExactly("A well-known co-op,", "they say.");
        assertThat(chunk("It costs 1,000,000 dollars, they say.")).containsExactly("It costs 1,000,000 dollars,",
                "they say.");
    }

    @Test
    void firstPhraseCommaNeedsEnoughWords() {
        assertThat(chunk("Hi, there, Sam, how are you?")).containsExactly("Hi, there, Sam,", "how are you?");
        assertThat(chunk(new Config(1, 25), "Hi, there, Sam.")).containsExactly("Hi,", "there, Sam.");
        assertThat(chunk(new Config(5, 25), "Hi, there, Sam.")).containsExactly("Hi, there, Sam.");
    }

    @Test
    void commaRuleWaitsForTheNextCharacter() {
        SentenceChunker chunker = new SentenceChunker();
        assertThat(chunker.add("It costs 1,")).isEmpty();
        assertThat(chunker.add("000")).isEmpty();
        assertThat(chunker.add(" dollars,")).isEmpty();
        assertThat(chunker.add(" ")).containsExactly("It costs 1,000 dollars,");
    }

    @Test
    void commaRuleAppliesAgainAfterFlushOrReset() {
        SentenceChunker chunker = new SentenceChunker();
        assertThat(chunker.add("One two three, four. Five six seven, eight. ")).containsExactly(
                "One two three,", "four.", "Five six seven, eight.");
        assertThat(chunker.flush()).isEmpty();
        assertThat(chunker.add("Nine ten eleven, twelve")).containsExactly("Nine ten eleven,");
        chunker.reset();
        assertThat(chunker.add("Red green blue, ")).containsExactly("Red green blue,");
        assertThat(chunker.flush()).isEmpty();
    }

    @Test
    void firstPhraseEndsBeforeALinkingWord() {
        assertThat(chunk("Timer set for three hours and ten minutes."))
                .containsExactly("Timer set", "for three hours and ten minutes.");
        assertThat(chunk("I'll remind you in ten minutes to call Anna."))
                .containsExactly("I'll remind you", "in ten minutes to call Anna.");
        assertThat(chunk("I can't check that because I run offline, sorry."))
                .containsExactly("I can't check that", "because I run offline, sorry.");
    }

    @Test
    void firstPhraseEndsAfterAnOpenersComma() {
        assertThat(chunk("Sorry, I can't do that yet. But I can set timers."))
                .containsExactly("Sorry,", "I can't do that yet.", "But I can set timers.");
        assertThat(chunk("OK, done.")).containsExactly("OK,", "done.");
        assertThat(chunk("Paris, France, is far.")).containsExactly("Paris, France, is far."); // not an opener
    }

    @Test
    void linkingWordBreaksNeverSplitNamesNumbersOrRepetitions() {
        assertThat(chunk("Tom Ford from Texas called.")).containsExactly("Tom Ford from Texas called.");
        assertThat(chunk("It is one in ten.")).containsExactly("It is one in ten.");
        assertThat(chunk("Multiply 5 by 3 now.")).containsExactly("Multiply 5 by 3 now.");
        assertThat(chunk("We go step by step.")).containsExactly("We go step by step.");
        assertThat(chunk("I live on Main St. in town.")).containsExactly("I live on Main St. in town.");
        assertThat(chunk("Bread and butter and jam.")).containsExactly("Bread and butter and jam."); // no "and"
    }

    @Test
    void linkingWordBreaksNeedAFollowingWordAndAShortStart() {
        assertThat(chunk("Tell me what it is for")).containsExactly("Tell me what it is for");
        assertThat(chunk("What is it for? Nothing.")).containsExactly("What is it for?", "Nothing.");
        assertThat(chunk("Set")).containsExactly("Set");
        assertThat(chunk("Go for it.")).containsExactly("Go for it."); // one word before
        assertThat(chunk("Please tell the whole team right now about it."))
                .containsExactly("Please tell the whole team right now about it."); // seven words before
        assertThat(chunk("Please tell the team now about it today."))
                .containsExactly("Please tell the team now", "about it today."); // six
        assertThat(chunk("Alarm set for noon.")).containsExactly("Alarm set for noon."); // the sentence ends first
    }

    @Test
    void onlyTheFirstPhraseEndsAtANaturalBreak() {
        assertThat(chunk("Timer set. It rings in ten minutes. Sorry, no.")).containsExactly("Timer set.",
                "It rings in ten minutes.", "Sorry, no.");
        SentenceChunker chunker = new SentenceChunker();
        assertThat(chunker.add("Timer set in ten minutes. ")).containsExactly("Timer set", "in ten minutes.");
        assertThat(chunker.flush()).isEmpty();
        assertThat(chunker.add("Alarm set for twelve noon. ")).containsExactly("Alarm set", "for twelve noon."); // a new reply
    }

    @Test
    void linkingWordBreakWaitsForTheNextWordToEnd() {
        SentenceChunker chunker = new SentenceChunker();
        assertThat(chunker.add("Timer set for")).isEmpty();
        assertThat(chunker.add(" te")).isEmpty();
        assertThat(chunker.add("n")).isEmpty();
        assertThat(chunker.add(" ")).containsExactly("Timer set");
        assertThat(chunker.flush()).containsExactly("for ten");
        for (String text : List.of("Timer set for three hours and ten minutes.", "Sorry, I can't do that yet.",
                "I'll remind you in ten minutes to call Anna.")) {
            assertThat(chunk(text.split(""))).as("char by char: %s", text).isEqualTo(chunk(text));
        }
    }

    // -- long phrases ---------------------------------------------------------------------------------------------

    @Test
    void longPhrasesAreCutAtTheLastCommaOrElseTheLastSpace() {
        Config config = new Config(100, 6);
        assertThat(chunk(config, "one two three four, five six seven eight nine ten eleven twelve thirteen."))
                .containsExactly("one two three four,", "five six seven eight nine ten", "eleven twelve thirteen.");
        assertThat(chunk(config, "a b c d e f")).containsExactly("a b c d e f");
        assertThat(chunk(config, "a b c d e f g")).containsExactly("a b c d e f", "g");
        // punctuation-only tokens are not words
        assertThat(chunk(config, "a b c — d e f, g")).containsExactly("a b c — d e f,", "g");
    }

    @Test
    void noPhraseExceedsMaxWords() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            text.append("word").append(i).append(i % 7 == 3 ? ", " : " ");
        }
        List<String> phrases = chunk(text.toString());
        assertThat(phrases).allSatisfy(p -> assertThat(words(p)).isLessThanOrEqualTo(25));
        assertThat(String.join(" ", phrases)).isEqualTo(text.toString().trim());
    }

    // -- markdown -------------------------------------------------------------------------------------------------

    @Test
    void markdownIsRemoved() {
        assertThat(chunk("# Title\nSome **bold** and _italic_ and `code` text.\n- first item\n- second item\n"
                + "  * nested item\n+ plus item\n• dot item\nSee [the docs](https://example.com/a_b) now."))
                .containsExactly("Title", "Some bold and italic and code text.", "first item", "second item",
                        "nested item", "plus item", "dot item", "See the docs now.");
        assertThat(chunk("Not a bullet: -5 degrees, a - b, [not a link] (x) and [half(link)."))
                .containsExactly("Not a bullet:", "-5 degrees, a - b, [not a link] (x) and [half(link).");
        assertThat(chunk("-")).containsExactly("-");
    }

    @Test
    void linkIsHeldBackUntilItResolves() {
        SentenceChunker chunker = new SentenceChunker();
        assertThat(chunker.add("Read [this")).isEmpty();
        assertThat(chunker.add(" page](http://a.b/c.d. e")).isEmpty();
        assertThat(chunker.add("f). Next")).containsExactly("Read this page.");
        assertThat(chunker.flush()).containsExactly("Next");
        assertThat(chunk("Read [this\npage](x). Done.")).containsExactly("Read [this", "page](x).", "Done.");
        assertThat(chunk("An [unclosed bracket. And more.")).containsExactly("An [unclosed bracket.", "And more.");
    }

    // -- the invariant ------------------------------------------------------------------------------------------

    private static final String[] FRAGMENTS = {
            "Hello there.", "How are you?", "I think so, but maybe not.", "Well I think so, yes, clearly.",
            "Dr. Smith lives on Main St. in the U.S. today.", "Pi is about 3.14159, roughly.", "Wait... what?!",
            "It costs $3.50 — cheap.", "He said \"Stop.\" Then he left.", "(See the notes.)",
            "Meet at 5 p.m. Then we eat.", "Bring apples, pears, etc. and more.", "Apples, pears, etc. The end.",
            "e.g. this, i.e. that", "**Bold** and _italic_ and `code` here.", "# Heading", "## Sub *heading*",
            "\n- item one\n- item two\n", "\n  - indented\n+ plus\n• dot\n", "-* x", "*- y", "# - z",
            "1. First step\n2. Second step", "Click [the link](https://ex.com/a_b) now.",
            "[not a link] (really)", "a [broken link(x) b", "[x](y", "semi; colon: yes", "well-known co-op",
            "C# and F#", "emoji 😀 here.", "So — anyway – fine - ok.", "I'm    spaced\t\tout", "…and then…",
            "J. R. R. Tolkien wrote it.", "3. Three", "version 1.2.3.", "¿Qué? ¡Sí!", "snake_case_name",
            "she said 'yes.' Then", "at 7 a.m. we", ":) ;) !!", "1,000,000 people, more or less.", "Mr.", "3.",
            "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
                    + "seventeen eighteen nineteen twenty twenty-one twenty-two twenty-three twenty-four twenty-five "
                    + "twenty-six twenty-seven, twenty-eight twenty-nine thirty thirty-one",
            "Long, long, long, long, long, long, long, long, long, long, long, long, long, long, long, long, long, "
                    + "long, long, long, long, long, long, long, long, long, long, long, long.",
            "\r\n", "- ", "-", "*", "[", "]", "(", ")", ",", ".", "—", "\"", "'", "\n\n", "  ",
    };
    private static final String[] SEPARATORS = {" ", " ", " ", "\n", "\n\n", "  ", "\t", "", " - "};

    private static String randomText(Random random) {
        StringBuilder sb = new StringBuilder();
        int n = 1 + random.nextInt(14);
        for (int i = 0; i < n; i++) {
            sb.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
            sb.append(SEPARATORS[random.nextInt(SEPARATORS.length)]);
        }
        return sb.toString();
    }

    private static List<String> randomSplit(Random random, String text) {
        List<String> pieces = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int len = switch (random.nextInt(4)) {
                case 0 -> 0;
                case 1 -> 1;
                case 2 -> 1 + random.nextInt(6);
                default -> 1 + random.nextInt(40);
            };
            int end = Math.min(text.length(), i + len);
            if (end < text.length() && Character.isLowSurrogate(text.charAt(end))) {
                end++; // pieces of real token streams never split a code point
            }
            pieces.add(text.substring(i, end));
            i = end;
        }
        return pieces;
    }

    @Test
    void outputIsIndependentOfPieceBoundariesAndReproducesTheText() {
        int splits = 0;
        for (long seed = 1; seed <= 150; seed++) {
            Random random = new Random(seed);
            String text = randomText(random);
            Config config = seed % 3 == 0 ? new Config(1 + random.nextInt(4), 3 + random.nextInt(10)) : Config.DEFAULT;
            List<String> whole = chunk(config, text);
            assertThat(String.join(" ", whole)).as("text %s", text).isEqualTo(expectedNormalised(text));
            assertThat(whole).allSatisfy(p -> {
                assertThat(p).isNotEmpty().isEqualTo(p.strip()).doesNotContain("  ", "\n", "\t", "*", "_", "`", "#");
                assertThat(words(p)).isLessThanOrEqualTo(config.maxWords());
            });
            assertThat(chunk(config, text.split(""))).as("char by char: %s", text).isEqualTo(whole);
            for (int k = 0; k < 5; k++) {
                List<String> pieces = randomSplit(random, text);
                assertThat(chunk(config, pieces.toArray(String[]::new))).as("pieces %s", pieces).isEqualTo(whole);
                splits++;
            }
        }
        assertThat(splits).isGreaterThanOrEqualTo(500);
    }

    @Test
    void aChunkerIsReusableAfterFlush() {
        SentenceChunker chunker = new SentenceChunker();
        Random random = new Random(99);
        for (int i = 0; i < 30; i++) {
            String text = randomText(random);
            List<String> out = new ArrayList<>();
            for (String piece : randomSplit(random, text)) {
                out.addAll(chunker.add(piece));
            }
            out.addAll(chunker.flush());
            assertThat(out).isEqualTo(chunk(text));
        }
    }

    private static final Pattern LINK = Pattern.compile("\\[([^\\]\\n]{0,300})]\\(([^)\\n]{0,2000})\\)");
    private static final Pattern BULLET = Pattern.compile("(?m)^([^\\S\\n]*)[-+•](?=\\s)");

    /** An independent, whole-text statement of what the joined phrases must be. */
    private static String expectedNormalised(String text) {
        String s = LINK.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1)));
        s = BULLET.matcher(s).replaceAll("$1");
        s = s.replaceAll("[*_#`]", "");
        return s.replaceAll("\\s+", " ").strip();
    }

    private static int words(String phrase) {
        int n = 0;
        for (String token : phrase.split(" ")) {
            if (token.codePoints().anyMatch(Character::isLetterOrDigit)) {
                n++;
            }
        }
        return n;
    }

    // -- performance and config -----------------------------------------------------------------------------------

    @Test
    void longInputsFedInTinyPiecesStayLinear() {
        String noSpaces = "x".repeat(300_000);
        String noPunctuation = "word ".repeat(100_000);
        String pendingLinks = ("[" + "t".repeat(290) + "](" + "u".repeat(1900) + ") ").repeat(100);
        String sentences = "This is a sentence, with a comma. ".repeat(10_000);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (String text : List.of(noSpaces, noPunctuation, pendingLinks, sentences)) {
                SentenceChunker chunker = new SentenceChunker();
                int phrases = 0;
                for (int i = 0; i < text.length(); i++) {
                    phrases += chunker.add(text.substring(i, i + 1)).size();
                }
                phrases += chunker.flush().size();
                assertThat(phrases).isPositive();
            }
        });
    }

    @Test
    void configIsValidated() {
        assertThat(Config.DEFAULT).isEqualTo(new Config(3, 25));
        assertThatThrownBy(() -> new Config(0, 25)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Config(3, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new SentenceChunker().add(null)).isEmpty();
    }
}

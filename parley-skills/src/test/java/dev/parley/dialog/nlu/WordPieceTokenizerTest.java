package dev.parley.dialog.nlu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The tokenizer against the HuggingFace reference and against what can be derived by hand from tokenizer.json.
 *
 * <p>{@code tokenizer-reference.json} was made once with the HuggingFace {@code tokenizers} library itself (0.23.2,
 * the Rust code through its npm binding) on the same tokenizer.json: 114 texts chosen to hit every rule (accents,
 * CJK, controls, odd spaces, punctuation classes, added tokens, long words, emoji, and random word soups) plus one
 * truncated at 256 tokens. While developing, 3,753 further random strings and every single code point up to
 * U+2FFFF were compared the same way: all random strings of the reference set matched; of the single code points,
 * 618 of 194,559 differ, all characters whose Unicode category changed after the reference's (older) Unicode tables
 * (e.g. Arabic Quranic marks added in Unicode 14), which no English speech recogniser writes.
 */
class WordPieceTokenizerTest {

    static WordPieceTokenizer tokenizer;

    @BeforeAll
    static void load() {
        tokenizer = WordPieceTokenizer.fromClasspath(WordPieceTokenizer.MINILM_RESOURCE, 256);
    }

    @Test
    void matchesTheHuggingFaceReferenceOnEveryReferenceText() throws IOException {
        JsonNode ref = reference();
        int cases = 0;
        for (JsonNode c : ref.get("cases")) {
            String text = c.get("text").asText();
            WordPieceTokenizer.Encoding e = tokenizer.encode(text);
            assertThat(e.tokens()).as("tokens of %s", text).isEqualTo(strings(c.get("tokens")));
            assertThat(e.ids()).as("ids of %s", text).isEqualTo(ints(c.get("ids")));
            cases++;
        }
        assertThat(cases).isEqualTo(114);
    }

    @Test
    void truncatesAsTheReferenceDoesAt256Tokens() throws IOException {
        JsonNode t = reference().get("truncated");
        WordPieceTokenizer.Encoding e = tokenizer.encode(t.get("text").asText());
        assertThat(e.length()).isEqualTo(256);
        assertThat(e.ids()).isEqualTo(ints(t.get("ids")));
        assertThat(e.tokens().getLast()).isEqualTo("[SEP]");
    }

    @Test
    void specialTokensHaveTheirBertIds() {
        assertThat(tokenizer.id("[PAD]")).isZero();
        assertThat(tokenizer.id("[UNK]")).isEqualTo(100);
        assertThat(tokenizer.id("[CLS]")).isEqualTo(101);
        assertThat(tokenizer.id("[SEP]")).isEqualTo(102);
        assertThat(tokenizer.id("[MASK]")).isEqualTo(103);
        assertThat(tokenizer.vocabularySize()).isEqualTo(30522);
    }

    @Test
    void knownSentencesGiveTheirVocabularyIds() {
        // the example of the transformers documentation for bert-base-uncased, whose vocabulary this model uses
        assertThat(tokenizer.encode("Hello, my dog is cute").ids())
                .containsExactly(101, 7592, 1010, 2026, 3899, 2003, 10140, 102);
        assertThat(tokenizer.encode("set a timer for five minutes").ids())
                .containsExactly(101, 2275, 1037, 25309, 2005, 2274, 2781, 102);
        assertThat(tokenizer.encode("What time is it?").tokens())
                .containsExactly("[CLS]", "what", "time", "is", "it", "?", "[SEP]");
        assertThat(tokenizer.encode("").tokens()).containsExactly("[CLS]", "[SEP]");
    }

    @Test
    void wordsAreSplitIntoLongestKnownPiecesWithContinuationMarks() {
        assertThat(tokenizer.wordPieces("unaffable")).containsExactly("una", "##ffa", "##ble");
        assertThat(tokenizer.wordPieces("tokenizers")).containsExactly("token", "##izer", "##s");
        // each piece is the longest vocabulary entry at its position
        assertThat(tokenizer.id("unaffable")).isEqualTo(-1);
        assertThat(tokenizer.id("unaff")).isEqualTo(-1);
        assertThat(tokenizer.id("##ffable")).isEqualTo(-1);
    }

    @Test
    void normalisesCaseAccentsControlsAndCjk() {
        assertThat(tokenizer.wordPieces("CAFÉ Naïve")).isEqualTo(tokenizer.wordPieces("cafe naive"));
        assertThat(tokenizer.wordPieces("a\u0000b\u0007c\u200bd")).isEqualTo(tokenizer.wordPieces("abcd"));
        assertThat(tokenizer.wordPieces("one\u00a0two\u3000three\tfour\nfive"))
                .containsExactly("one", "two", "three", "four", "five");
        assertThat(tokenizer.wordPieces("北京")).containsExactly("北", "京");
        assertThat(tokenizer.wordPieces("it's $5!")).containsExactly("it", "'", "s", "$", "5", "!");
    }

    @Test
    void aWordThatCannotBeSpelledOrIsTooLongIsOneUnknown() {
        assertThat(tokenizer.wordPieces("hello 😁world")).containsExactly("hello", "[UNK]");
        String hundred = "a".repeat(100);
        assertThat(tokenizer.wordPieces(hundred)).doesNotContain("[UNK]");
        assertThat(tokenizer.wordPieces(hundred + "a")).containsExactly("[UNK]");
    }

    @Test
    void addedTokensWrittenInTheTextAreKeptWhole() {
        assertThat(tokenizer.encode("hello[MASK]world").ids()).containsExactly(101, 7592, 103, 2088, 102);
        // added tokens match the raw text, before lower-casing
        assertThat(tokenizer.wordPieces("[mask]")).containsExactly("[", "mask", "]");
    }

    @Test
    void truncationKeepsTheFramingAtAnyLength() throws IOException {
        WordPieceTokenizer small = WordPieceTokenizer.fromClasspath(WordPieceTokenizer.MINILM_RESOURCE, 5);
        assertThat(small.encode("one two three four five six").tokens())
                .containsExactly("[CLS]", "one", "two", "three", "[SEP]");
        WordPieceTokenizer two = WordPieceTokenizer.fromClasspath(WordPieceTokenizer.MINILM_RESOURCE, 2);
        assertThat(two.encode("one two").tokens()).containsExactly("[CLS]", "[SEP]");
        assertThatThrownBy(() -> WordPieceTokenizer.fromClasspath(WordPieceTokenizer.MINILM_RESOURCE, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxLength");
    }

    /**
     * By construction, on seeded random sentences of English words, digits and punctuation: every piece is in the
     * vocabulary under its id; without [UNK], the pieces spell the lower-cased text back; each word's first piece is
     * the longest vocabulary prefix of the word.
     */
    @Test
    void randomSentencesAreSpelledBackByTheirPieces() {
        Random random = new Random(20261121);
        String[] words = {"Timer", "set", "minutes", "unbelievable", "Shopping", "list", "apples", "weather",
                "remind", "parley", "kilometres", "what's", "o'clock", "3.5", "1,000", "Zürich", "naïve", "x",
                "qwerty", "asdfgh", "reconfigure", "antidisestablishmentarianism", "...", "!?", "(ok)", "e-mail"};
        for (int n = 0; n < 500; n++) {
            StringBuilder text = new StringBuilder();
            int count = 1 + random.nextInt(12);
            for (int i = 0; i < count; i++) {
                if (i > 0) text.append(random.nextInt(5) == 0 ? "  " : " ");
                text.append(words[random.nextInt(words.length)]);
            }
            String s = text.toString();
            WordPieceTokenizer.Encoding e = tokenizer.encode(s);
            for (int i = 0; i < e.length(); i++) {
                assertThat(tokenizer.token(e.ids()[i])).as(s).isEqualTo(e.tokens().get(i));
            }
            List<String> pieces = e.tokens().subList(1, e.length() - 1);
            assertThat(pieces).as(s).doesNotContain("[UNK]");
            String spelled = String.join("", pieces.stream().map(p -> p.replace("##", "")).toList());
            String expected = java.text.Normalizer.normalize(s.toLowerCase(java.util.Locale.ROOT),
                    java.text.Normalizer.Form.NFD).replaceAll("\\p{Mn}", "").replace(" ", "");
            assertThat(spelled).as(s).isEqualTo(expected);
            String first = pieces.getFirst();
            String word = java.text.Normalizer.normalize(s.split(" ")[0].toLowerCase(java.util.Locale.ROOT),
                    java.text.Normalizer.Form.NFD).replaceAll("\\p{Mn}", "");
            for (int len = first.length() + 1; len <= word.length(); len++) {
                if (!Character.isLetterOrDigit(word.charAt(len - 1))) break;
                assertThat(tokenizer.id(word.substring(0, len))).as("longer prefix of %s", s).isEqualTo(-1);
            }
        }
    }

    @Test
    void refusesWhatItCannotReproduce() {
        assertThatThrownBy(() -> parse("not json")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> parse("[]")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> parse("{}")).hasMessageContaining("missing 'model'");
        assertThatThrownBy(() -> parse("{\"model\":{\"type\":\"BPE\",\"vocab\":{\"a\":0}}}"))
                .hasMessageContaining("model type must be WordPiece, got 'BPE'");
        assertThatThrownBy(() -> parse("{\"model\":{\"type\":\"WordPiece\",\"vocab\":{}}}"))
                .hasMessageContaining("non-empty");
        String vocab = "\"vocab\":{\"[UNK]\":0,\"[CLS]\":1,\"[SEP]\":2,\"a\":3}";
        String post = "\"post_processor\":{\"type\":\"BertProcessing\",\"cls\":[\"[CLS]\",1],\"sep\":[\"[SEP]\",2]}";
        assertThatThrownBy(() -> parse("{\"model\":{\"type\":\"WordPiece\"," + vocab + "},"
                + "\"normalizer\":{\"type\":\"NFC\"}," + post + "}"))
                .hasMessageContaining("normalizer type must be BertNormalizer");
        assertThatThrownBy(() -> parse("{\"model\":{\"type\":\"WordPiece\"," + vocab + "},"
                + "\"pre_tokenizer\":{\"type\":\"Whitespace\"}," + post + "}"))
                .hasMessageContaining("pre_tokenizer type must be BertPreTokenizer");
        assertThatThrownBy(() -> parse("{\"model\":{\"type\":\"WordPiece\"," + vocab + "}}"))
                .hasMessageContaining("post_processor must be");
        assertThatThrownBy(() -> parse("{\"model\":{\"type\":\"WordPiece\",\"unk_token\":\"<unk>\"," + vocab + "},"
                + post + "}")).hasMessageContaining("unk_token '<unk>' is not in the vocabulary");
        assertThatThrownBy(() -> parse("{\"model\":{\"type\":\"WordPiece\"," + vocab + "}," + post
                + ",\"added_tokens\":[{\"id\":3,\"content\":\"a\",\"normalized\":true}]}"))
                .hasMessageContaining("matched after normalisation");
    }

    @Test
    void aMinimalBertTokenizerFileWorks() throws IOException {
        WordPieceTokenizer t = parse("{\"model\":{\"type\":\"WordPiece\",\"vocab\":{\"[UNK]\":0,\"[CLS]\":1,"
                + "\"[SEP]\":2,\"play\":3,\"##ing\":4,\"!\":5}},\"normalizer\":{\"type\":\"BertNormalizer\","
                + "\"lowercase\":true},\"pre_tokenizer\":{\"type\":\"BertPreTokenizer\"},\"post_processor\":"
                + "{\"type\":\"BertProcessing\",\"cls\":[\"[CLS]\",1],\"sep\":[\"[SEP]\",2]}}");
        assertThat(t.encode("PLAYING! Plays").ids()).containsExactly(1, 3, 4, 5, 0, 2);
    }

    @Test
    void nullTextIsRefused() {
        assertThatThrownBy(() -> tokenizer.encode(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("null");
    }

    @Test
    void encodingsAreValuesAndDefendTheirArrays() {
        WordPieceTokenizer.Encoding a = tokenizer.encode("hello world");
        assertThat(a).isEqualTo(tokenizer.encode("hello world")).hasSameHashCodeAs(tokenizer.encode("hello world"));
        a.ids()[0] = 7;
        assertThat(a.ids()[0]).isEqualTo(101);
        assertThat(a.toString()).isEqualTo("Encoding[[CLS], hello, world, [SEP]][101, 7592, 2088, 102]");
    }

    private static WordPieceTokenizer parse(String json) throws IOException {
        return WordPieceTokenizer.fromJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), 16);
    }

    private static JsonNode reference() throws IOException {
        try (InputStream in = WordPieceTokenizerTest.class.getResourceAsStream("tokenizer-reference.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asInt();
        return out;
    }
}

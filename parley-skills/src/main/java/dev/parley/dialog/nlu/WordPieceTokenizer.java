package dev.parley.dialog.nlu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A BERT WordPiece tokenizer read from a HuggingFace {@code tokenizer.json}, giving the same tokens and ids as the
 * HuggingFace {@code tokenizers} library for the configurations BERT models use, without native code:
 * <ol>
 *   <li>added tokens ({@code [CLS]}, {@code [MASK]}...) written literally in the text are matched first, on the raw
 *       text (leftmost, longest) and kept whole;</li>
 *   <li>the rest is normalised by {@link BertNormalizer} (clean text, CJK characters, accents, lower case, as the
 *       file's {@code normalizer} says);</li>
 *   <li>split into words by {@link BertPreTokenizer} (white space, punctuation);</li>
 *   <li>each word becomes word pieces, greedily longest first, continuations prefixed {@code ##}; a word longer than
 *       {@code max_input_chars_per_word} code points, or one that cannot be spelled with the vocabulary, is a single
 *       {@code [UNK]};</li>
 *   <li>truncated to {@link #maxLength()} tokens including the specials, and framed as {@code [CLS] … [SEP]}.</li>
 * </ol>
 * Configurations this class does not reproduce (another model type, normaliser or pre-tokeniser, added tokens
 * matched after normalisation or with stripping) are refused when the file is read, never silently approximated.
 * Immutable and thread-safe.
 */
public final class WordPieceTokenizer {

    /** The tokenizer of all-MiniLM-L6-v2 inside the langchain4j model jar. */
    public static final String MINILM_RESOURCE = "/all-minilm-l6-v2-q-tokenizer.json";

    private final Map<String, Integer> vocab;
    private final String[] tokenOf;
    private final BertNormalizer normalizer;
    private final List<String> addedTokens; // longest first, for leftmost-longest matching
    private final String unk;
    private final String prefix;
    private final int maxInputCharsPerWord;
    private final String cls;
    private final String sep;
    private final int maxLength;

    private WordPieceTokenizer(Map<String, Integer> vocab, BertNormalizer normalizer, List<String> addedTokens,
                               String unk, String prefix, int maxInputCharsPerWord, String cls, String sep,
                               int maxLength) {
        this.vocab = vocab;
        this.normalizer = normalizer;
        this.addedTokens = addedTokens;
        this.unk = unk;
        this.prefix = prefix;
        this.maxInputCharsPerWord = maxInputCharsPerWord;
        this.cls = cls;
        this.sep = sep;
        this.maxLength = maxLength;
        int maxId = vocab.values().stream().mapToInt(Integer::intValue).max().orElse(-1);
        this.tokenOf = new String[maxId + 1];
        vocab.forEach((token, id) -> tokenOf[id] = token);
    }

    /** Tokens and ids of one text: {@code tokens.get(i)} has id {@code ids()[i]}. */
    public record Encoding(List<String> tokens, int[] ids) {
        public Encoding {
            tokens = List.copyOf(tokens);
            ids = ids.clone();
            if (tokens.size() != ids.length) {
                throw new IllegalArgumentException(tokens.size() + " tokens but " + ids.length + " ids");
            }
        }

        @Override
        public int[] ids() {
            return ids.clone();
        }

        public int length() {
            return ids.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Encoding e && tokens.equals(e.tokens) && Arrays.equals(ids, e.ids);
        }

        @Override
        public int hashCode() {
            return 31 * tokens.hashCode() + Arrays.hashCode(ids);
        }

        @Override
        public String toString() {
            return "Encoding" + tokens + Arrays.toString(ids);
        }
    }

    /** Reads the tokenizer of {@code resource} on the class path; truncates at {@code maxLength} tokens. */
    public static WordPieceTokenizer fromClasspath(String resource, int maxLength) {
        try (InputStream in = WordPieceTokenizer.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("tokenizer resource " + resource + " is not on the class path");
            }
            return fromJson(in, maxLength);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tokenizer resource " + resource, e);
        }
    }

    /**
     * Reads a {@code tokenizer.json}. {@code maxLength} is the most tokens an encoding has, {@code [CLS]} and
     * {@code [SEP]} included (the file's own truncation setting is ignored: the caller knows its model).
     *
     * @throws IllegalArgumentException when the file is not JSON, or describes a tokenizer this class does not
     *                                  reproduce exactly
     */
    public static WordPieceTokenizer fromJson(InputStream json, int maxLength) throws IOException {
        if (maxLength < 2) {
            throw new IllegalArgumentException("maxLength must leave room for [CLS] and [SEP], got " + maxLength);
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("tokenizer.json is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("tokenizer.json is empty or not a JSON object");
        }
        JsonNode model = required(root, "model");
        expect(model, "type", "WordPiece", "model");
        JsonNode vocabNode = required(model, "vocab");
        if (!vocabNode.isObject() || vocabNode.isEmpty()) {
            throw new IllegalArgumentException("tokenizer.json: model.vocab must be a non-empty object");
        }
        Map<String, Integer> vocab = new HashMap<>(vocabNode.size() * 2);
        vocabNode.properties().forEach(e -> {
            if (!e.getValue().canConvertToInt() || e.getValue().asInt() < 0) {
                throw new IllegalArgumentException("tokenizer.json: vocab id of " + e.getKey() + " is not a valid id");
            }
            vocab.put(e.getKey(), e.getValue().asInt());
        });
        String unk = text(model, "unk_token", "[UNK]");
        String prefix = text(model, "continuing_subword_prefix", "##");
        int maxChars = model.path("max_input_chars_per_word").asInt(100);
        requireInVocab(vocab, unk, "unk_token");

        BertNormalizer normalizer = normalizer(root.path("normalizer"));
        JsonNode pre = root.path("pre_tokenizer");
        if (!pre.isMissingNode() && !pre.isNull()) expect(pre, "type", "BertPreTokenizer", "pre_tokenizer");

        String[] specials = postProcessor(root.path("post_processor"));
        requireInVocab(vocab, specials[0], "post_processor [CLS]");
        requireInVocab(vocab, specials[1], "post_processor [SEP]");

        List<String> added = new ArrayList<>();
        for (JsonNode t : root.path("added_tokens")) {
            String content = text(t, "content", null);
            if (content == null || content.isEmpty()) {
                throw new IllegalArgumentException("tokenizer.json: an added token has no content");
            }
            if (t.path("normalized").asBoolean(false) || t.path("single_word").asBoolean(false)
                    || t.path("lstrip").asBoolean(false) || t.path("rstrip").asBoolean(false)) {
                throw new IllegalArgumentException("tokenizer.json: added token " + content
                        + " is matched after normalisation or with stripping, which this tokenizer does not do");
            }
            Integer id = vocab.get(content);
            if (id == null || id != t.path("id").asInt(-1)) {
                throw new IllegalArgumentException("tokenizer.json: added token " + content
                        + " is not in the vocabulary with the id " + t.path("id"));
            }
            added.add(content);
        }
        added.sort(Comparator.comparingInt(String::length).reversed());
        return new WordPieceTokenizer(Map.copyOf(vocab), normalizer, List.copyOf(added), unk, prefix, maxChars,
                specials[0], specials[1], maxLength);
    }

    private static BertNormalizer normalizer(JsonNode n) {
        if (n.isMissingNode() || n.isNull()) return new BertNormalizer(false, false, false, false);
        expect(n, "type", "BertNormalizer", "normalizer");
        boolean lowercase = n.path("lowercase").asBoolean(true);
        JsonNode strip = n.path("strip_accents");
        boolean stripAccents = strip.isMissingNode() || strip.isNull() ? lowercase : strip.asBoolean();
        return new BertNormalizer(n.path("clean_text").asBoolean(true), n.path("handle_chinese_chars").asBoolean(true),
                stripAccents, lowercase);
    }

    /** The [CLS] and [SEP] tokens of a BertProcessing or a TemplateProcessing "[CLS] $A [SEP]". */
    private static String[] postProcessor(JsonNode p) {
        String type = text(p, "type", "");
        switch (type) {
            case "BertProcessing" -> {
                return new String[]{p.path("cls").path(0).asText(), p.path("sep").path(0).asText()};
            }
            case "TemplateProcessing" -> {
                JsonNode single = p.path("single");
                if (single.size() == 3 && single.get(0).has("SpecialToken") && single.get(1).has("Sequence")
                        && single.get(2).has("SpecialToken")) {
                    return new String[]{single.get(0).path("SpecialToken").path("id").asText(),
                            single.get(2).path("SpecialToken").path("id").asText()};
                }
                throw new IllegalArgumentException("tokenizer.json: post_processor template " + single
                        + " is not [CLS] $A [SEP]");
            }
            default -> throw new IllegalArgumentException(
                    "tokenizer.json: post_processor must be BertProcessing or TemplateProcessing, got '" + type + "'");
        }
    }

    /** Tokens and ids of {@code text}: {@code [CLS]}, its word pieces (truncated), {@code [SEP]}. */
    public Encoding encode(String text) {
        List<String> pieces = wordPieces(text);
        if (pieces.size() > maxLength - 2) pieces = pieces.subList(0, maxLength - 2);
        List<String> tokens = new ArrayList<>(pieces.size() + 2);
        tokens.add(cls);
        tokens.addAll(pieces);
        tokens.add(sep);
        int[] ids = new int[tokens.size()];
        for (int i = 0; i < ids.length; i++) ids[i] = vocab.get(tokens.get(i));
        return new Encoding(tokens, ids);
    }

    /** The word pieces of {@code text}, without {@code [CLS]}/{@code [SEP]} and without truncation. */
    public List<String> wordPieces(String text) {
        if (text == null) throw new NullPointerException("text to tokenize is null");
        List<String> out = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < text.length()) {
            String added = addedTokenAt(text, i);
            if (added != null) {
                piecesOf(text.substring(start, i), out);
                out.add(added);
                i += added.length();
                start = i;
            } else {
                i++;
            }
        }
        piecesOf(text.substring(start), out);
        return out;
    }

    private String addedTokenAt(String text, int i) {
        for (String t : addedTokens) {
            if (text.startsWith(t, i)) return t;
        }
        return null;
    }

    private void piecesOf(String segment, List<String> out) {
        if (segment.isEmpty()) return;
        for (String word : BertPreTokenizer.split(normalizer.normalize(segment))) {
            wordPiece(word, out);
        }
    }

    private void wordPiece(String word, List<String> out) {
        int[] cps = word.codePoints().toArray();
        if (cps.length > maxInputCharsPerWord) {
            out.add(unk);
            return;
        }
        List<String> pieces = new ArrayList<>();
        int start = 0;
        while (start < cps.length) {
            String found = null;
            int end = cps.length;
            while (start < end) {
                String candidate = new String(cps, start, end - start);
                if (start > 0) candidate = prefix + candidate;
                if (vocab.containsKey(candidate)) {
                    found = candidate;
                    break;
                }
                end--;
            }
            if (found == null) {
                out.add(unk);
                return;
            }
            pieces.add(found);
            start = end;
        }
        out.addAll(pieces);
    }

    /** The id of {@code token} in the vocabulary, or -1. */
    public int id(String token) {
        return vocab.getOrDefault(token, -1);
    }

    /** The token of {@code id}, or null when no token has it. */
    public String token(int id) {
        return id >= 0 && id < tokenOf.length ? tokenOf[id] : null;
    }

    /** The most tokens an {@link Encoding} has, {@code [CLS]} and {@code [SEP]} included. */
    public int maxLength() {
        return maxLength;
    }

    public int vocabularySize() {
        return vocab.size();
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) throw new IllegalArgumentException("tokenizer.json: missing '" + field + "'");
        return v;
    }

    private static void expect(JsonNode node, String field, String expected, String where) {
        String actual = node.path(field).asText("");
        if (!expected.equals(actual)) {
            throw new IllegalArgumentException("tokenizer.json: " + where + " " + field + " must be " + expected
                    + ", got '" + actual + "' (not supported)");
        }
    }

    private static String text(JsonNode node, String field, String fallback) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? fallback : v.asText();
    }

    private static void requireInVocab(Map<String, Integer> vocab, String token, String what) {
        if (token == null || !vocab.containsKey(token)) {
            throw new IllegalArgumentException("tokenizer.json: " + what + " '" + token + "' is not in the vocabulary");
        }
    }
}

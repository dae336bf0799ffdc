package dev.parley.dialog.nlu;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The form of a sentence the intent classifier embeds: the {@link Normalizer} normal form (so "What's..." and a
 * recogniser's "whats..." are one sentence), without hesitation fillers, with contractions written out in full.
 *
 * <p>Why write them out: the normal form drops apostrophes, and the embedding model's vocabulary does not know the
 * resulting words ("whats" becomes the pieces {@code what ##s}, "dont" {@code don ##t}), which blurs the meaning;
 * "what is" and "do not" are what the model read in training. Only unambiguous contractions are expanded ("its",
 * "were", "ill", "id" and "lets" stay: they are ordinary words too).
 */
final class ModelText {

    private static final Map<String, String> CONTRACTIONS = Map.ofEntries(
            Map.entry("whats", "what is"), Map.entry("thats", "that is"), Map.entry("hows", "how is"),
            Map.entry("wheres", "where is"), Map.entry("whos", "who is"), Map.entry("whens", "when is"),
            Map.entry("theres", "there is"), Map.entry("heres", "here is"), Map.entry("whatre", "what are"),
            Map.entry("dont", "do not"), Map.entry("doesnt", "does not"), Map.entry("didnt", "did not"),
            Map.entry("cant", "can not"), Map.entry("wont", "will not"), Map.entry("isnt", "is not"),
            Map.entry("arent", "are not"), Map.entry("wasnt", "was not"), Map.entry("werent", "were not"),
            Map.entry("havent", "have not"), Map.entry("hasnt", "has not"), Map.entry("shouldnt", "should not"),
            Map.entry("couldnt", "could not"), Map.entry("wouldnt", "would not"), Map.entry("im", "i am"),
            Map.entry("ive", "i have"), Map.entry("youre", "you are"), Map.entry("youve", "you have"),
            Map.entry("youll", "you will"), Map.entry("theyre", "they are"), Map.entry("weve", "we have"),
            Map.entry("itll", "it will"), Map.entry("gonna", "going to"), Map.entry("wanna", "want to"));

    private ModelText() {
    }

    /** The text to embed for {@code utterance}; "" when it holds no words (or only fillers). */
    static String of(String utterance) {
        String normal = Normalizer.withoutFillers(Normalizer.normalize(utterance));
        if (normal.isEmpty()) return normal;
        List<String> out = new ArrayList<>();
        for (String w : normal.split(" ")) out.add(CONTRACTIONS.getOrDefault(w, w));
        return String.join(" ", out);
    }
}

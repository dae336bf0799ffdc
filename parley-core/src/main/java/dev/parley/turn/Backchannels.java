package dev.parley.turn;

import java.util.Locale;
import java.util.Set;

/**
 * The sounds a listener makes to say "go on" rather than "stop": "mm-hmm", "yeah", "okay", "right", "I see". Said
 * over a reply, they are not a request. Words are compared as a recogniser writes them (lower case, hyphens and
 * apostrophes as spaces or kept); "the" is here because small recognisers write it for a cough or a breath.
 */
public final class Backchannels {
    private static final Set<String> WORDS = Set.of(
            "yeah", "yes", "yep", "yup", "ya", "okay", "ok", "kay", "right", "alright", "sure", "uh", "huh", "um",
            "hmm", "hm", "mm", "mmm", "mhm", "mmhmm", "mm-hmm", "uh-huh", "uhhuh", "ah", "oh", "aha", "ha", "i",
            "see", "got", "it", "cool", "nice", "great", "wow", "really", "true", "exactly", "indeed", "fine", "good",
            "the");

    /** Words that open a reaction to what the assistant is saying, never the continuation of the user's own words. */
    private static final Set<String> STOPS = Set.of("stop", "wait", "cancel", "no", "nope", "quiet", "enough", "shut",
            "hold", "pause", "hey", "sorry", "excuse");

    private Backchannels() {
    }

    /** True when {@code words} begin with a word that tells the assistant to stop ("stop", "wait", "no, …"). */
    public static boolean isStop(String words) {
        if (words == null) return false;
        String[] w = words.toLowerCase(Locale.ROOT).strip().split("[^\\p{L}\\p{N}']+", 2);
        return w.length > 0 && STOPS.contains(w[0]);
    }

    /** True when {@code words} hold a word that is not a backchannel: the user is asking or saying something. */
    public static boolean hasRequest(String words) {
        if (words == null) return false;
        for (String w : words.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}'-]+")) {
            String t = w.replaceAll("^[-']+|[-']+$", "");
            if (!t.isEmpty() && !WORDS.contains(t)) return true;
        }
        return false;
    }
}

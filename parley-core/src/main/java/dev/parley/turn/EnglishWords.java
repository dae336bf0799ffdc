package dev.parley.turn;

import java.util.Set;

/**
 * The closed classes of English words that {@link WordRules} reads an utterance by: the small, fixed sets of function
 * words (articles, prepositions, conjunctions, auxiliaries, pronouns) that tell where a sentence can and cannot stop.
 * Open-class words (nouns, verbs, adjectives) are everything else, so no vocabulary is needed for them.
 *
 * <p>Spellings are lower case without apostrophes, as a recogniser may write them either way ("what's" and "whats"
 * are both looked up as "whats"). Contractions that collide with ordinary words ("we'll"/"well", "i'll"/"ill",
 * "i'd"/"id", "we'd"/"wed", "she'll"/"shell") are left out rather than guessed.
 */
final class EnglishWords {
    private EnglishWords() {}

    /** Determiners and possessives that always need a noun after them. */
    static final Set<String> DETERMINERS = Set.of(
            "the", "a", "an", "my", "your", "our", "their", "its", "every", "each", "another", "whose", "thy");

    /** Determiners that can also stand alone as pronouns ("what is this", "tell her", "some"). */
    static final Set<String> WEAK_DETERMINERS = Set.of(
            "his", "her", "this", "that", "these", "those", "some", "any", "no", "either", "neither");

    /** Prepositions that need their object: a sentence rarely stops on them. */
    static final Set<String> PREPOSITIONS = Set.of(
            "of", "for", "to", "with", "at", "from", "into", "onto", "upon", "towards", "toward", "than", "between",
            "among", "amongst", "per", "via", "during", "until", "till", "unto", "against", "despite", "except",
            "versus", "regarding", "including", "concerning", "within", "throughout", "beneath", "beyond", "unlike",
            "amid");

    /** Prepositions that double as particles or adverbs ("come in", "stand by", "what is it about"). */
    static final Set<String> WEAK_PREPOSITIONS = Set.of("in", "by", "about", "through", "without", "across", "like");

    /** Coordinating conjunctions and arithmetic operators: something must follow. */
    static final Set<String> CONJUNCTIONS = Set.of("and", "or", "but", "nor", "plus", "minus", "versus",
            "divided", "multiplied");

    /** Subordinators that open a clause and cannot end one. */
    static final Set<String> SUBORDINATORS = Set.of(
            "because", "if", "unless", "although", "whether", "whereas", "whenever", "wherever", "whom");

    /** Subordinators that also end elliptical questions or clauses ("say when", "i know who", "guess which"). */
    static final Set<String> WEAK_SUBORDINATORS = Set.of("who", "which", "when", "where");

    /** Auxiliaries, modals and copulas: without a complement they end only an ellipsis ("yes i can"). */
    static final Set<String> AUXILIARIES = Set.of(
            "is", "are", "was", "were", "am", "be", "been", "have", "has", "had", "do", "does", "did",
            "can", "could", "will", "would", "shall", "should", "may", "might", "must", "ought", "gonna", "wanna",
            "gotta");

    /** Negated auxiliaries: they end an ellipsis more often ("no i don't", "please don't"). */
    static final Set<String> NEGATED_AUXILIARIES = Set.of(
            "isnt", "arent", "wasnt", "werent", "dont", "doesnt", "didnt", "cant", "cannot", "couldnt", "wont",
            "wouldnt", "shouldnt", "havent", "hasnt", "hadnt", "mustnt", "aint", "mightnt", "neednt");

    /** A pronoun or wh-word fused with an auxiliary: English never ends a clause on one ("yes it is", not "yes it's"). */
    static final Set<String> CONTRACTED_SUBJECTS = Set.of(
            "whats", "thats", "im", "youre", "theyre", "hes", "shes", "theres", "heres", "wheres", "whos", "hows",
            "ive", "youve", "weve", "theyve", "youll", "theyll", "itll", "thatll", "youd", "theyd", "lets", "whatre",
            "whered", "whod", "whens", "whys", "itd", "thered", "therell");

    /** Subject pronouns: an auxiliary right after one may be an ellipsis ("i can", "it is", "where are you"). */
    static final Set<String> SUBJECTS = Set.of("i", "you", "he", "she", "it", "we", "they", "there", "that", "this");

    /** Subject pronouns that cannot be objects: one after a subordinate clause starts the main clause. */
    static final Set<String> NOMINATIVES = Set.of(
            "i", "he", "she", "we", "they", "im", "youre", "theyre", "hes", "shes", "ive", "youve", "weve", "theyve",
            "youll", "theyll", "itll", "youd", "theyd", "lets", "theres", "thats", "then");

    /** Object pronouns: a preposition stranded after a verb and a pronoun ends a question ("where are you from"). */
    static final Set<String> PRONOUNS = Set.of("me", "you", "him", "her", "it", "us", "them", "i", "we", "they",
            "he", "she", "this", "that");

    /** Wh-words that open a question, which may strand a preposition at its end ("who are you talking to"). */
    static final Set<String> WH_WORDS = Set.of("what", "who", "where", "which", "whom", "whose", "whats", "whos",
            "wheres");

    /** Hesitations: the speaker is still looking for words. */
    static final Set<String> FILLERS = Set.of("um", "uh", "er", "erm", "uhm", "umm", "uhh", "hmm", "mm", "ah", "eh");

    /** Degree words that need an adjective or adverb after them. */
    static final Set<String> INTENSIFIERS = Set.of("very", "quite", "rather", "extremely", "fairly", "such",
            "somewhat");

    /** Verbs that take a person and then a thing ("tell me …", "remind us …"); "let" always wants a verb. */
    static final Set<String> DITRANSITIVES = Set.of("tell", "show", "give", "remind", "teach", "send", "bring",
            "let", "lend", "offer", "ask", "read", "buy", "get", "find", "book", "play", "pass", "fetch", "order",
            "write", "sing", "save", "make");

    /** Command verbs that cannot go without an object: "set", "add", "put" alone are unfinished. */
    static final Set<String> OBJECT_VERBS = Set.of("set", "add", "put", "give", "tell", "remind", "make", "bring",
            "take", "turn", "switch", "place", "send", "buy", "create", "schedule", "convert", "calculate", "compute",
            "spell", "define", "translate");

    /** Words that can stand before a bare command verb: "please add", "and then remind", "can you set". */
    static final Set<String> BEFORE_BARE_COMMAND = Set.of("please", "and", "then", "also", "just", "now", "you",
            "parley", "hey", "um", "uh", "er", "kindly", "quickly");

    /** Verbs and adjectives that take a "that" clause: after them a final "that" opens one ("i think that"). */
    static final Set<String> BEFORE_CLAUSE_THAT = Set.of("says", "said", "think", "thinks", "thought", "hope",
            "sure", "so", "such", "means", "seems", "seem", "realize", "realise", "suppose", "guess", "wish", "afraid",
            "glad", "true", "fact", "given", "except", "assume", "claim", "claims", "admit", "agree", "doubt",
            "certain", "aware", "clear", "likely", "possible", "found", "noticed", "notice", "ensure");

    /** Verbs and words after which "so" stands for a clause and ends the sentence ("i think so", "why so"). */
    static final Set<String> BEFORE_FINAL_SO = Set.of("think", "hope", "guess", "believe", "suppose", "say", "said",
            "do", "did", "not", "why", "even", "is", "it", "that", "so", "and", "or", "expect", "imagine", "told",
            "fear", "seems", "appears");

    /** Units of time, after which "and" and a number want a second unit ("two hours and five …"). */
    static final Set<String> TIME_UNITS = Set.of("hour", "hours", "minute", "minutes", "second", "seconds", "day",
            "days", "week", "weeks", "month", "months", "year", "years");

    /** Pronouns that can only be subjects, so need a verb after them. */
    static final Set<String> NOMINATIVE_PRONOUNS = Set.of("i", "he", "she", "we", "they");

    /** Words after which a final "what" is an exclamation or a request to repeat ("huh what", "guess what"). */
    static final Set<String> BEFORE_FINAL_WHAT = Set.of("guess", "so", "or", "huh", "eh", "sorry", "pardon", "um",
            "uh", "er", "and", "then", "oh", "ah", "hmm", "now", "but", "equals", "is", "are", "was", "were", "said", "did", "do",
            "means", "makes");

    /** Auxiliaries that invert with their subject to ask a question and then need a verb ("can you …"). */
    static final Set<String> INVERTING_AUXILIARIES = Set.of("do", "does", "did", "can", "could", "will", "would",
            "shall", "should", "may", "might", "must", "have", "has", "had", "dont", "doesnt", "didnt", "cant",
            "couldnt", "wont", "wouldnt", "shouldnt");

    /** Subject pronouns an inverted auxiliary is followed by; not "it", which is also an object ("who did it"). */
    static final Set<String> INVERTED_SUBJECTS = Set.of("you", "i", "we", "they", "he", "she");

    /** Nouns of degree that make "a bit", "a little", "a lot" an adverb: "a bit louder" is complete. */
    static final Set<String> DEGREE_NOUNS = Set.of("bit", "little", "lot", "tad", "touch", "few", "couple");

    /** Words after which "not" ends the sentence ("why not", "of course not", "or not"). */
    static final Set<String> BEFORE_FINAL_NOT = Set.of("why", "or", "course", "certainly", "definitely",
            "absolutely", "probably", "maybe", "hopefully", "surely", "perhaps", "if", "please", "i", "me");

    /** Subordinators that can open an utterance made of one dependent clause ("when you hear the bell"). */
    static final Set<String> CLAUSE_OPENERS = Set.of("if", "when", "whenever", "unless", "although", "though",
            "because", "while", "whilst", "whereas", "once", "cause", "until", "till");

    /** Common imperative verbs, which start a main clause after a subordinate one ("… the bell come quickly"). */
    static final Set<String> IMPERATIVES = Set.of("come", "go", "tell", "call", "remind", "wake", "let", "turn",
            "stop", "start", "set", "play", "give", "send", "take", "make", "ring", "open", "close", "switch", "read",
            "show", "say", "put", "get", "add", "remove", "cancel", "dont", "please", "just", "run", "use", "leave",
            "bring", "check", "wait", "look", "try", "keep", "pick", "press", "answer");

    /** Number words: a duration or count that may still want its unit ("for three …"). */
    static final Set<String> NUMBERS = Set.of("zero", "oh", "one", "two", "three", "four", "five", "six", "seven",
            "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
            "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
            "hundred", "thousand", "million", "half", "couple");

    /** Closed-class words that can sit inside a noun phrase, so they do not count as its verb or as a clause break. */
    static final Set<String> NOUN_PHRASE_WORDS = Set.of("very", "quite", "rather", "most", "more", "few", "little",
            "many", "much", "all", "both", "other", "own", "same", "next", "last", "first", "no");

    /** Whether the word belongs to any closed class that marks a verb, a clause or a phrase boundary. */
    static boolean closedClass(String w) {
        return DETERMINERS.contains(w) || WEAK_DETERMINERS.contains(w) || PREPOSITIONS.contains(w)
                || WEAK_PREPOSITIONS.contains(w) || CONJUNCTIONS.contains(w) || SUBORDINATORS.contains(w)
                || WEAK_SUBORDINATORS.contains(w) || AUXILIARIES.contains(w) || NEGATED_AUXILIARIES.contains(w)
                || CONTRACTED_SUBJECTS.contains(w) || PRONOUNS.contains(w) || WH_WORDS.contains(w)
                || FILLERS.contains(w) || w.equals("not") || w.equals("to") || PARTICLES.contains(w);
    }

    /** Particles and adverbs that end phrasal verbs ("turn it on", "speak up"): a sentence may stop on them. */
    static final Set<String> PARTICLES = Set.of("on", "off", "up", "down", "out", "over", "back", "away", "around",
            "along", "after", "before", "since", "behind", "inside", "outside", "above", "below", "near");
}

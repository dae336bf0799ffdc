package dev.parley.turn;

import static dev.parley.turn.EnglishWords.*;

/**
 * Judges whether an English utterance is finished from its closed-class words: the articles, prepositions,
 * conjunctions and auxiliaries that English cannot end a sentence on. "set a timer for" stops on a preposition,
 * "when you hear the bell" is a dependent clause with no main clause yet, "the blind man" is a subject with no verb;
 * "what time is it" breaks no rule, so it ends as fast as silence alone would end it.
 *
 * <p>Each rule gives a graded probability rather than a yes or no, and the judgement is the lowest probability of the
 * rules that apply ({@link #NO_RULE} when none does). The rules know no nouns, verbs or adjectives, so they cannot
 * tell "the child almost hurt" (a whole sentence) from "the child almost hurt the dog" cut short; they are built to
 * err towards "finished", because a wrong "unfinished" costs the user the whole longest pause on every such turn.
 * Words outside English (another script, say) break no rule and count as finished.
 *
 * <p>Pure and stateless: safe to share between sessions and to call on the audio thread (a few microseconds).
 */
public final class WordRules implements TurnCompletion {

    /** When no rule applies: an utterance that ends on an open-class word is most likely finished. */
    public static final double NO_RULE = 0.9;

    /** The shared instance; the judge holds no state. */
    public static final WordRules ENGLISH = new WordRules();

    @Override
    public double finished(String words) {
        try {
            return judge(SpokenWords.of(words));
        } catch (RuntimeException e) {
            return 1.0; // never let a transcript break the turn: silence alone decides, as without a judge
        }
    }

    /** The probability that the given words are a finished utterance. */
    static double judge(SpokenWords s) {
        if (s.size() == 0) return 1.0; // nothing to judge (a cough, or the recogniser heard no words): silence decides
        double p = lastWord(s);
        p = Math.min(p, openingClauseOnly(s));
        p = Math.min(p, verblessNounPhrase(s));
        p = Math.min(p, invertedWithoutVerb(s));
        return p;
    }

    /** What the last word, with the one before it, says about the end of the sentence. */
    static double lastWord(SpokenWords s) {
        String w = s.last(0);
        String before = s.last(1);
        int n = s.size();
        // a hesitation: the speaker is still looking for words
        if (FILLERS.contains(w)) return 0.15;
        // an article or possessive needs its noun: "set a timer for the"
        if (DETERMINERS.contains(w)) return 0.05;
        // a pronoun fused with an auxiliary never ends a clause: "what's", "it's", "i'm", "let's"
        if (CONTRACTED_SUBJECTS.contains(w)) return 0.08;
        // a coordinating conjunction or an arithmetic operator needs its second half: "apples and", "five plus"
        if (CONJUNCTIONS.contains(w)) return 0.08;
        // "and then", "but then": the next step is coming
        if (w.equals("then") && CONJUNCTIONS.contains(before)) return 0.1;
        // a subordinator opens a clause: "because", "if", "unless", "whether"
        if (SUBORDINATORS.contains(w)) return 0.08;
        // a preposition needs its object, unless a question stranded it: "what is it for", "where are you from"
        if (PREPOSITIONS.contains(w)) return strandedInQuestion(s) ? 0.6 : 0.1;
        // "in", "by", "about", "like" are also particles ("come in", "what is it about"): a weaker sign
        if (WEAK_PREPOSITIONS.contains(w)) {
            if (strandedInQuestion(s) || (w.equals("like") && whQuestion(s))) return 0.7; // "what's the weather like"
            return PREPOSITIONS.contains(before) || before.endsWith("ed") ? 0.1 : 0.35; // "instead of like", "divided by"
        }
        // "that" opens a clause after a verb of saying or thinking ("we are sure that"); elsewhere it is mostly a pronoun
        if (w.equals("that") && BEFORE_CLAUSE_THAT.contains(before)) return 0.3;
        // "so" opens a clause ("speak slower so"), except after verbs it stands in for a clause: "i think so"
        if (w.equals("so") && n > 1 && !BEFORE_FINAL_SO.contains(before)) return 0.35;
        // a relative or interrogative word after other words opens a clause: "the man who", "tell me when the"
        if (WEAK_SUBORDINATORS.contains(w) && n > 1) return w.equals("who") || w.equals("which") ? 0.25 : 0.35;
        // "ten am", "five pm": a time, not a verb
        if ((w.equals("am") || w.equals("pm")) && SpokenWords.isNumber(before)) return NO_RULE;
        // after "to", "do" and "have" are main verbs ("what are you able to do"); "to be" wants its complement
        if (before.equals("to") && (w.equals("do") || w.equals("have"))) return NO_RULE;
        // an auxiliary needs its verb or complement, except in an ellipsis after its subject: "yes i can", "where are you"
        if (AUXILIARIES.contains(w)) return SUBJECTS.contains(before) ? 0.6 : 0.15;
        // a negated auxiliary ends an ellipsis more readily: "no i don't", "please don't"
        if (NEGATED_AUXILIARIES.contains(w)) {
            return n == 1 || SUBJECTS.contains(before) || before.equals("please") || before.equals("no") ? 0.7 : 0.3;
        }
        // "not" needs what it negates, except in set phrases: "why not", "of course not", "or not"
        if (w.equals("not") && !BEFORE_FINAL_NOT.contains(before)) return 0.3;
        // a degree word needs its adjective: "it is very"
        if (INTENSIFIERS.contains(w)) return 0.2;
        // "let me" wants a verb; "tell me", "remind us" want the thing told
        if ((w.equals("me") || w.equals("us")) && DITRANSITIVES.contains(before)) return before.equals("let") ? 0.1 : 0.35;
        // a bare number after "for" or "in" is a duration still missing its unit: "set a timer for three"
        if (SpokenWords.isNumber(w)) return numberWithoutUnit(s) ? 0.35 : NO_RULE;
        // a pronoun right after a subordinator is the subject of a clause still to come: "mend it before you"
        if (PRONOUNS.contains(w) && (SUBORDINATORS.contains(before) || CLAUSE_OPENERS.contains(before)
                || before.equals("before") || before.equals("after"))) {
            return 0.2;
        }
        // a subject pronoun needs its verb, unless an auxiliary or a comparison came first: "so do i", "taller than he"
        if (NOMINATIVE_PRONOUNS.contains(w) && !AUXILIARIES.contains(before) && !INVERTING_AUXILIARIES.contains(before)
                && !before.equals("than") && !before.equals("as")) {
            return 0.15;
        }
        // "how many" needs its noun
        if (w.equals("many") && before.equals("how")) return 0.2;
        // "what" opens a question or a clause ("tell me what"), except as an exclamation: "huh what", "guess what"
        if (w.equals("what") && (n == 1 || !BEFORE_FINAL_WHAT.contains(before))) return 0.4;
        // a lone "how" or "which" starts a question
        if (n == 1 && (w.equals("how") || w.equals("which"))) return 0.4;
        // a command verb that must have an object, said without one: "set", "please add", "and then remind"
        if (OBJECT_VERBS.contains(w) && (n == 1 || BEFORE_BARE_COMMAND.contains(before))) return 0.2;
        // a lone discourse word opens more than it ends: "so", "well", "like"
        if (n == 1 && (w.equals("so") || w.equals("well") || w.equals("like"))) return 0.3;
        return NO_RULE;
    }

    /**
     * Whether a final preposition was stranded by a question rather than left without its object: the utterance opens
     * with a wh-word and the preposition follows a pronoun or an -ing verb ("who are you talking to"), not a noun
     * ("what is the capital of").
     */
    static boolean strandedInQuestion(SpokenWords s) {
        if (!s.startKnown() || s.size() < 3) return false;
        boolean wh = WH_WORDS.contains(s.at(0)) || (FILLERS.contains(s.at(0)) && WH_WORDS.contains(s.at(1)));
        String before = s.last(1);
        return wh && (PRONOUNS.contains(before) || (before.length() > 4 && before.endsWith("ing")) || inverted(s));
    }

    /** Whether an auxiliary is followed by its subject pronoun somewhere: "are you", "can you", "is it". */
    static boolean inverted(SpokenWords s) {
        for (int i = 1; i < s.size(); i++) {
            if ((AUXILIARIES.contains(s.at(i - 1)) || s.at(i - 1).equals("whats")) && PRONOUNS.contains(s.at(i))) return true;
        }
        return false;
    }

    /** Whether the utterance opens with a wh-word, after any hesitation. */
    static boolean whQuestion(SpokenWords s) {
        int i = FILLERS.contains(s.at(0)) ? 1 : 0;
        String w = s.at(i);
        return s.startKnown() && (WH_WORDS.contains(w) || w.equals("how") || w.equals("when") || w.equals("why"));
    }

    /** Whether the auxiliary at index aux opens the question: it is the first word, or only a wh-phrase precedes it. */
    static boolean opensQuestion(SpokenWords s, int aux) {
        int i = FILLERS.contains(s.at(0)) ? 1 : 0;
        return s.startKnown() && (aux == i || whQuestion(s));
    }

    /**
     * Whether the utterance ends on a run of at most three number words right after "for" or "in", or after "and"
     * following a unit of time: a duration still missing its unit.
     */
    static boolean numberWithoutUnit(SpokenWords s) {
        int i = s.size() - 1;
        int run = 0;
        while (i >= 0 && SpokenWords.isNumber(s.at(i)) && run < 4) {
            i--;
            run++;
        }
        String before = s.at(i);
        boolean secondUnit = before.equals("and") && TIME_UNITS.contains(s.at(i - 1)); // "three hours and ten"
        return run <= 3 && (before.equals("for") || before.equals("in") || secondUnit);
    }

    /**
     * An utterance that opens with a subordinator ("when you hear the bell", "if it rains") and shows no main clause
     * yet is unfinished. A main clause is recognised, from the third word of the dependent clause on, by a clause
     * break in the punctuation, "then", a pronoun that can only be a subject ("i", "he", "we", "they"), or a common
     * imperative verb right after an open-class word or an object pronoun ("… the bell come quickly").
     */
    static double openingClauseOnly(SpokenWords s) {
        if (!s.startKnown()) return NO_RULE;
        int start = FILLERS.contains(s.at(0)) || CONJUNCTIONS.contains(s.at(0)) ? 1 : 0;
        String opener = s.at(start);
        if (!CLAUSE_OPENERS.contains(opener)) return NO_RULE;
        String next = s.at(start + 1);
        boolean question = AUXILIARIES.contains(next) || NEGATED_AUXILIARIES.contains(next)
                || CONTRACTED_SUBJECTS.contains(next);
        if (next.isEmpty() || (question && !opener.equals("if") && !opener.equals("because") && !opener.equals("unless"))) {
            return NO_RULE; // "when is the meeting": a question, not a dependent clause; a lone "if" is left to lastWord
        }
        for (int i = start + 3; i < s.size(); i++) {
            String w = s.at(i);
            String before = s.at(i - 1);
            if (s.breaks().get(i) || NOMINATIVES.contains(w)) return NO_RULE;
            boolean afterObject = !closedClass(before) || before.equals("it") || before.equals("me")
                    || before.equals("them") || before.equals("him") || before.equals("us");
            if (IMPERATIVES.contains(w) && afterObject) return NO_RULE;
        }
        return 0.3;
    }

    /**
     * A question whose auxiliary has come, and its subject, but not the verb or predicate: "can you", "what do you",
     * "when will the timer", "is my timer". The subject is a pronoun or an article or possessive and one open-class word;
     * the auxiliary opens the utterance or follows a wh-phrase, so a tag ("give me the time, would you") is not one.
     * "is" and "are" need this only without a wh-word: "what is the time" is complete.
     */
    static double invertedWithoutVerb(SpokenWords s) {
        int n = s.size();
        int aux = -1;
        String last = s.last(0);
        if (INVERTED_SUBJECTS.contains(last) || last.equals("it")) {
            aux = n - 2;
        } else {
            // a second open-class word may already be the verb: "did the yankees win"
            if (DETERMINERS.contains(s.last(1)) && !closedClass(last)) aux = n - 3;
        }
        if (aux < 0 || !opensQuestion(s, aux)) return NO_RULE;
        String a = s.at(aux);
        if (last.equals("it") && (s.at(aux - 1).equals("who") || s.at(aux - 1).equals("what"))) return NO_RULE; // "who did it"
        if (INVERTING_AUXILIARIES.contains(a)) return 0.2;
        boolean copula = a.equals("is") || a.equals("are") || a.equals("was") || a.equals("were");
        return copula && !whQuestion(s) && !INVERTED_SUBJECTS.contains(last) && !last.equals("it") ? 0.3 : NO_RULE;
    }

    /**
     * An utterance that opens with an article or possessive and has three or four words, none of them a closed-class
     * word, is a noun phrase without its verb: "the blind man", "a thin stripe". Two words ("the weather", "my list")
     * are left finished, as people do ask an assistant for a thing by its name; five or more open-class words in a row
     * most likely hold a verb the rules cannot see ("the meeting went well yesterday"). "a bit louder" is an answer.
     */
    static double verblessNounPhrase(SpokenWords s) {
        if (!s.startKnown() || s.size() < 3 || s.size() > 4 || !DETERMINERS.contains(s.at(0))) return NO_RULE;
        if (s.at(0).equals("whose") || DEGREE_NOUNS.contains(s.at(1))) return NO_RULE; // "a bit louder"
        for (int i = 1; i < s.size(); i++) {
            String w = s.at(i);
            if (s.breaks().get(i)) return NO_RULE;
            if (closedClass(w) && !NOUN_PHRASE_WORDS.contains(w)) return NO_RULE;
        }
        return 0.3;
    }
}

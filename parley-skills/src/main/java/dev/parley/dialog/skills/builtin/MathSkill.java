package dev.parley.dialog.skills.builtin;

import dev.parley.dialog.Tool;
import dev.parley.dialog.skills.Skill;
import dev.parley.dialog.skills.SkillReply;
import dev.parley.dialog.skills.SkillRequest;
import dev.parley.dialog.skills.SkillSession;
import dev.parley.dialog.skills.SkillTools;
import dev.parley.dialog.skills.ToolArgumentException;
import dev.parley.dialog.skills.slots.Arithmetic;
import dev.parley.dialog.skills.slots.Expression;
import dev.parley.dialog.skills.slots.SpokenNumbers;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Arithmetic said aloud ({@link Arithmetic}), answered as a sentence: "17 times 23 is 391.", "10 divided by 3 is
 * about 3.33.", "The square root of 144 is 12."
 */
public final class MathSkill implements Skill {
    static final String NOT_UNDERSTOOD = "Sorry, I didn't get the sum. You can say, for example: what is 17 times 23?";

    @Override
    public Set<String> intents() {
        return Set.of("math.calculate");
    }

    @Override
    public String capability() {
        return "do arithmetic";
    }

    @Override
    public List<String> examples() {
        return List.of("what is 17 times 23", "what's 15 percent of 80", "what's the square root of 144");
    }

    @Override
    public SkillReply handle(SkillRequest r) {
        return SkillReply.say(Arithmetic.parse(r.words()).map(MathSkill::answer).orElse(NOT_UNDERSTOOD));
    }

    /** "17 times 23 is 391.", or what went wrong. */
    static String answer(Expression e) {
        double v;
        try {
            v = e.value();
        } catch (ArithmeticException x) {
            return x.getMessage().contains("zero") ? "You can't divide by zero."
                    : "The square root of a negative number isn't a real number.";
        }
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "That number is too big for me.";
        }
        String s = e.spoken() + " " + SpokenNumbers.calculated(v).afterIs() + ".";
        return s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }

    @Override
    public List<Tool> tools(SkillSession session) {
        return List.of(SkillTools.tool("calculate",
                "Evaluate arithmetic: + - * / ^, parentheses, sqrt, percent of, or the same in words.", """
                        {"type":"object","properties":{
                        "expression":{"type":"string","description":"e.g. (17 * 23) + 4, sqrt(144), 15% of 80"}},
                        "required":["expression"]}""",
                a -> {
                    Optional<Expression> e = Arithmetic.parseFormula(a.text("expression"));
                    if (e.isEmpty()) {
                        throw new ToolArgumentException("could not read the expression; use numbers with + - * / ^,"
                                + " parentheses, sqrt(x) or 'x% of y'");
                    }
                    return answer(e.get());
                }));
    }
}

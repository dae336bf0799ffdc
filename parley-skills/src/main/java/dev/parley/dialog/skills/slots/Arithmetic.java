package dev.parley.dialog.skills.slots;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads arithmetic said aloud: "what is 17 times 23", "seventeen times twenty three", "2 plus 2", "ten minus
 * three", "100 divided by 7", "ten over four", "5 squared", "two cubed", "2 to the power of 10", "three to the
 * fourth", "the square root of 144", "cube root of 27", "15 percent of 80", "minus 5 plus 3", "add 5 and 3",
 * "subtract 3 from 10", "multiply 6 by 7", "divide 10 by 4", "the sum of 4 and 5", "the product of 6 and 7", "the
 * difference between 10 and 4", "square 12". Multiplication and division bind tighter than addition and
 * subtraction, powers tighter still, as written arithmetic does.
 *
 * <p>Words around the sum are skipped ("hey what is ... please"); an expression must have at least one operation.
 */
public final class Arithmetic {

    private static final Set<String> TRAILING = Set.of("please", "equal", "equals", "is", "exactly", "then", "now",
            "thanks", "thank", "you", "for", "me", "again");

    private final List<String> w;
    private int i;

    private Arithmetic(List<String> words) {
        this.w = words;
    }

    /** The expression said in {@code words}, if any. */
    public static Optional<Expression> parse(List<String> words) {
        for (int start = 0; start < words.size(); start++) {
            Arithmetic p = new Arithmetic(words);
            p.i = start;
            Expression e;
            try {
                e = p.statement();
            } catch (NoParse x) {
                continue;
            }
            if (e instanceof Expression.Number || e instanceof Expression.Negate(Expression.Number n)) {
                continue;
            }
            boolean restIsFiller = true;
            for (int j = p.i; j < words.size(); j++) {
                restIsFiller &= TRAILING.contains(words.get(j));
            }
            if (restIsFiller) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** The expression said in {@code text}, if any. */
    public static Optional<Expression> parse(String text) {
        return parse(SpokenText.tokens(text));
    }

    /**
     * A written formula, as an LLM sends it: the spoken forms plus digits and symbols, parentheses and sqrt
     * ("(2 + 3) * 4", "sqrt(16)", "2**10", "15% of 80").
     */
    public static Optional<Expression> parseFormula(String formula) {
        String f = formula.replace("**", "^").replace("(", " lparen ").replace(")", " rparen ");
        List<String> words = SpokenText.tokens(f);
        Arithmetic p = new Arithmetic(words);
        try {
            Expression e = p.statement();
            return p.i == words.size() ? Optional.of(e) : Optional.empty();
        } catch (NoParse x) {
            return Optional.empty();
        }
    }

    /** Thrown (without a stack trace) where the words are not arithmetic. */
    private static final class NoParse extends RuntimeException {
        NoParse() {
            super(null, null, false, false);
        }
    }

    private static final NoParse NO = new NoParse();

    /** A verb form ("add 5 and 3") or a plain expression. */
    private Expression statement() {
        int at = i;
        if (accept("add")) {
            Expression a = expression();
            if (accept("and") || accept("to")) {
                return new Expression.Binary(Expression.Operator.PLUS, a, expression());
            }
            throw NO;
        }
        if (accept("subtract") || accept("take")) {
            Expression a = expression();
            if (accept("from")) {
                return new Expression.Binary(Expression.Operator.MINUS, expression(), a);
            }
            throw NO;
        }
        if (accept("multiply")) {
            Expression a = expression();
            if (accept("by") || accept("and") || accept("times")) {
                return new Expression.Binary(Expression.Operator.TIMES, a, expression());
            }
            throw NO;
        }
        if (accept("divide")) {
            Expression a = expression();
            if (accept("by")) {
                return new Expression.Binary(Expression.Operator.DIVIDED_BY, a, expression());
            }
            throw NO;
        }
        accept("the");
        Expression.Operator op = accept("sum", "of") ? Expression.Operator.PLUS
                : accept("product", "of") ? Expression.Operator.TIMES
                : accept("difference", "between") || accept("difference", "of") ? Expression.Operator.MINUS
                : null;
        if (op != null) {
            Expression a = term();
            if (accept("and")) {
                return new Expression.Binary(op, a, term());
            }
            throw NO;
        }
        i = at;
        if (accept("square") && !peek("root")) {
            return new Expression.Power(unary(), new Expression.Number(2));
        }
        i = at;
        return expression();
    }

    private Expression expression() {
        Expression e = term();
        while (true) {
            if (accept("plus")) {
                e = new Expression.Binary(Expression.Operator.PLUS, e, term());
            } else if (accept("minus") || accept("less") || accept("take", "away")) {
                e = new Expression.Binary(Expression.Operator.MINUS, e, term());
            } else {
                return e;
            }
        }
    }

    private Expression term() {
        Expression e = power();
        while (true) {
            if (accept("times") || accept("x") || accept("multiplied", "by") || accept("multiply", "by")) {
                e = new Expression.Binary(Expression.Operator.TIMES, e, power());
            } else if (accept("divided", "by") || accept("divide", "by") || accept("over")) {
                e = new Expression.Binary(Expression.Operator.DIVIDED_BY, e, power());
            } else {
                return e;
            }
        }
    }

    private Expression power() {
        Expression e = unary();
        while (true) {
            if (accept("squared")) {
                e = new Expression.Power(e, new Expression.Number(2));
            } else if (accept("cubed")) {
                e = new Expression.Power(e, new Expression.Number(3));
            } else if (accept("to", "the", "power", "of") || accept("raised", "to", "the", "power", "of")
                    || accept("raised", "to")) {
                e = new Expression.Power(e, unary());
            } else if (peek("to", "the") && i + 2 < w.size()) {
                // "three to the fourth (power)"
                Optional<ParsedNumber> n = NumberParser.parseAt(w, i + 2);
                if (n.isEmpty() || !n.get().ordinal()) {
                    return e;
                }
                i = n.get().end();
                accept("power");
                e = new Expression.Power(e, new Expression.Number(n.get().value()));
            } else {
                return e;
            }
        }
    }

    private Expression unary() {
        if (accept("minus") || accept("negative")) {
            Expression inner = unary();
            return inner instanceof Expression.Number(double v) ? new Expression.Number(-v)
                    : new Expression.Negate(inner);
        }
        int at = i;
        accept("the");
        if (accept("square", "root", "of") || accept("root", "of") || accept("sqrt")) {
            return new Expression.Root(2, unary());
        }
        if (accept("cube", "root", "of")) {
            return new Expression.Root(3, unary());
        }
        i = at;
        return primary();
    }

    private Expression primary() {
        if (i >= w.size()) {
            throw NO;
        }
        if (accept("lparen")) {
            Expression inner = expression();
            if (!accept("rparen")) {
                throw NO;
            }
            return new Expression.Group(inner);
        }
        Optional<ParsedNumber> n = NumberParser.parseAt(w, i);
        if (n.isEmpty() || n.get().ordinal()) {
            throw NO;
        }
        i = n.get().end();
        Expression num = new Expression.Number(n.get().value());
        if (accept("percent", "of") || accept("per", "cent", "of")) {
            return new Expression.Percent(num, unary());
        }
        return num;
    }

    private boolean peek(String... words) {
        if (i + words.length > w.size()) {
            return false;
        }
        for (int k = 0; k < words.length; k++) {
            if (!w.get(i + k).equals(words[k])) {
                return false;
            }
        }
        return true;
    }

    private boolean accept(String... words) {
        if (peek(words)) {
            i += words.length;
            return true;
        }
        return false;
    }
}

package dev.parley.dialog.skills.slots;

/**
 * An arithmetic expression as the user said it, to evaluate and to say back ("17 times 23", "the square root of
 * 144", "15 percent of 80", "2 to the power of 10").
 */
public sealed interface Expression {

    /** The value; throws {@link ArithmeticException} for a division by zero or the even root of a negative. */
    double value();

    /** The expression in words, as it would be read out before "is". */
    String spoken();

    /** A number. */
    record Number(double v) implements Expression {
        @Override
        public double value() {
            return v;
        }

        @Override
        public String spoken() {
            return SpokenNumbers.exact(v);
        }
    }

    /** The four operations. */
    enum Operator {
        PLUS("plus"), MINUS("minus"), TIMES("times"), DIVIDED_BY("divided by");

        private final String spoken;

        Operator(String spoken) {
            this.spoken = spoken;
        }

        public String spoken() {
            return spoken;
        }
    }

    /** Two operands and an operator. */
    record Binary(Operator operator, Expression left, Expression right) implements Expression {
        @Override
        public double value() {
            double l = left.value(), r = right.value();
            return switch (operator) {
                case PLUS -> l + r;
                case MINUS -> l - r;
                case TIMES -> l * r;
                case DIVIDED_BY -> {
                    if (r == 0) {
                        throw new ArithmeticException("division by zero");
                    }
                    yield l / r;
                }
            };
        }

        @Override
        public String spoken() {
            return left.spoken() + " " + operator.spoken() + " " + right.spoken();
        }
    }

    /** A power: "5 squared", "2 cubed", "2 to the power of 10". */
    record Power(Expression base, Expression exponent) implements Expression {
        @Override
        public double value() {
            double b = base.value(), e = exponent.value();
            if (b == 0 && e < 0) {
                throw new ArithmeticException("division by zero");
            }
            if (b < 0 && e != Math.rint(e)) {
                throw new ArithmeticException("root of a negative number");
            }
            return Math.pow(b, e);
        }

        @Override
        public String spoken() {
            if (exponent instanceof Number(double v) && v == 2) {
                return base.spoken() + " squared";
            }
            if (exponent instanceof Number(double v) && v == 3) {
                return base.spoken() + " cubed";
            }
            return base.spoken() + " to the power of " + exponent.spoken();
        }
    }

    /** A square (2) or cube (3) root. */
    record Root(int degree, Expression of) implements Expression {
        @Override
        public double value() {
            double v = of.value();
            if (degree == 2) {
                if (v < 0) {
                    throw new ArithmeticException("root of a negative number");
                }
                return Math.sqrt(v);
            }
            return Math.cbrt(v);
        }

        @Override
        public String spoken() {
            return (degree == 2 ? "the square root of " : "the cube root of ") + of.spoken();
        }
    }

    /** "15 percent of 80". */
    record Percent(Expression percent, Expression of) implements Expression {
        @Override
        public double value() {
            return percent.value() / 100 * of.value();
        }

        @Override
        public String spoken() {
            return percent.spoken() + " percent of " + of.spoken();
        }
    }

    /** "minus (the square root of 4)". */
    record Negate(Expression of) implements Expression {
        @Override
        public double value() {
            return -of.value();
        }

        @Override
        public String spoken() {
            return "minus " + of.spoken();
        }
    }

    /** A part in parentheses (written formulas only). */
    record Group(Expression inner) implements Expression {
        @Override
        public double value() {
            return inner.value();
        }

        @Override
        public String spoken() {
            return "(" + inner.spoken() + ")";
        }
    }
}

package dev.parley.dialog.skills.slots;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Numbers written for a speech synthesiser to say: digits ("391", "2.5"), "minus 5" rather than "-5" (which some
 * voices read as "dash"), and rounded so that a spoken answer stays short ("about 6.2", not "6.2137119").
 */
public final class SpokenNumbers {
    private SpokenNumbers() {
    }

    /**
     * A rounded number.
     *
     * @param text  the digits to say
     * @param exact whether nothing was lost (else say "about")
     */
    public record Rounded(String text, boolean exact) {
        /** "is 391" / "is about 3.33". */
        public String afterIs() {
            return exact ? "is " + text : "is about " + text;
        }
    }

    /** {@code v} as said, to twelve significant digits (so 0.1 + 0.2 is "0.3"): "391", "2.5", "minus 40". */
    public static String exact(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("not a number: " + v);
        }
        return text(clean(v));
    }

    /**
     * For results of arithmetic: exact when it has at most three decimals, else two decimals (three significant
     * digits below 1) and "about".
     */
    public static Rounded calculated(double v) {
        BigDecimal c = clean(v);
        if (c.stripTrailingZeros().scale() <= 3) {
            return new Rounded(text(c), true);
        }
        BigDecimal r = Math.abs(v) >= 1 ? c.setScale(2, RoundingMode.HALF_UP)
                : c.round(new MathContext(3, RoundingMode.HALF_UP));
        return new Rounded(text(r), r.compareTo(c) == 0);
    }

    /**
     * For measurements: whole numbers from 100, one decimal from 1 ("6.2 miles"), two significant digits below 1
     * ("0.025 metres"); "about" when that lost something.
     */
    public static Rounded measured(double v) {
        BigDecimal c = clean(v);
        double a = Math.abs(v);
        BigDecimal r = a >= 100 ? c.setScale(0, RoundingMode.HALF_UP)
                : a >= 1 ? c.setScale(1, RoundingMode.HALF_UP)
                : c.round(new MathContext(2, RoundingMode.HALF_UP));
        return new Rounded(text(r), r.compareTo(c) == 0);
    }

    /** {@code v} to twelve significant digits, so floating point dust (0.30000000000000004) goes. */
    private static BigDecimal clean(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("not a number: " + v);
        }
        return new BigDecimal(v).round(new MathContext(12, RoundingMode.HALF_EVEN));
    }

    private static String text(BigDecimal d) {
        BigDecimal s = d.stripTrailingZeros();
        if (s.signum() == 0) {
            return "0";
        }
        if (s.abs().compareTo(BigDecimal.valueOf(1e15)) >= 0) {
            // too long to read digit by digit: "1.2 times 10 to the power of 20"
            int exponent = s.precision() - s.scale() - 1;
            BigDecimal mantissa = s.movePointLeft(exponent).round(new MathContext(3, RoundingMode.HALF_UP));
            return text(mantissa) + " times 10 to the power of " + exponent;
        }
        String plain = s.toPlainString();
        return plain.startsWith("-") ? "minus " + plain.substring(1) : plain;
    }
}

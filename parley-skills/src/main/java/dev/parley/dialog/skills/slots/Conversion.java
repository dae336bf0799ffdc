package dev.parley.dialog.skills.slots;

import java.util.List;
import java.util.Optional;

/**
 * A unit conversion asked for: "convert 10 kilometres to miles", "10 km in miles", "what is 100 fahrenheit in
 * celsius", "how many ounces in a pound", "how many cups are there in 2 litres", "how many feet is a mile",
 * "30 degrees in fahrenheit" (plain "degrees" is Celsius or Fahrenheit, whichever the other unit is not).
 *
 * @param value how much of {@code from}
 */
public record Conversion(double value, Unit from, Unit to) {

    /** The conversion asked for in {@code words}; empty when there are not two units. */
    public static Optional<Conversion> parse(List<String> words) {
        List<UnitMatch> units = Units.findAll(words);
        if (units.size() < 2) {
            return Optional.empty();
        }
        // the source is the first unit with an amount before it ("10 km", "a pound"); the target another one
        UnitMatch source = null;
        double value = 1;
        for (UnitMatch u : units) {
            Optional<Double> amount = amountBefore(words, u.start());
            if (amount.isPresent()) {
                source = u;
                value = amount.get();
                break;
            }
        }
        boolean howMany = String.join(" ", words).contains("how many") || String.join(" ", words).contains("how much");
        if (source == null) {
            // "how many feet in a mile" has its amount; "how many feet in miles", "convert miles to km" do not
            source = howMany ? units.get(1) : units.get(0);
        }
        UnitMatch target = null;
        for (UnitMatch u : units) {
            if (u != source) {
                target = u;
                break;
            }
        }
        Unit from = source.unit(), to = target.unit();
        if (from == Units.DEGREES && to == Units.DEGREES) {
            return Optional.empty();
        }
        if (from == Units.DEGREES) {
            from = to == celsius() ? fahrenheit() : celsius();
        } else if (to == Units.DEGREES) {
            to = from == celsius() ? fahrenheit() : celsius();
        }
        return Optional.of(new Conversion(value, from, to));
    }

    /** The conversion asked for in {@code text}. */
    public static Optional<Conversion> parse(String text) {
        return parse(SpokenText.tokens(text));
    }

    /** The number just before word {@code i}, or 1 for "a"/"an"/"one"/"per". */
    private static Optional<Double> amountBefore(List<String> words, int i) {
        if (i == 0) {
            return Optional.empty();
        }
        String prev = words.get(i - 1);
        if (prev.equals("a") || prev.equals("an") || prev.equals("per")) {
            return Optional.of(1.0);
        }
        // the longest number ending right before the unit
        for (int start = Math.max(0, i - 8); start < i; start++) {
            Optional<ParsedNumber> n = NumberParser.parseAt(words, start);
            if (n.isPresent() && n.get().end() == i && !n.get().ordinal()) {
                return Optional.of(n.get().value());
            }
        }
        return Optional.empty();
    }

    /** Whether the units measure the same thing. */
    public boolean compatible() {
        return from.dimension() == to.dimension();
    }

    /** The value in {@code to}. */
    public double result() {
        if (!compatible()) {
            throw new IllegalStateException("cannot convert " + from.plural() + " to " + to.plural());
        }
        return to.fromBase(from.toBase(value));
    }

    private static Unit celsius() {
        return Units.byName("celsius").orElseThrow();
    }

    private static Unit fahrenheit() {
        return Units.byName("fahrenheit").orElseThrow();
    }
}

package dev.parley.dialog.skills.slots;

import java.util.List;

/**
 * A unit of measure: {@code base = value × factor + offset} in its dimension's base unit (metre, kilogram, litre,
 * kelvin, metre per second, second).
 *
 * @param singular the spoken name for one ("kilometre", "degree Celsius")
 * @param plural   the spoken name for several ("kilometres", "degrees Celsius")
 * @param names    what users call it, as normalised words ("km", "kilometers", "degrees celsius")
 */
public record Unit(String singular, String plural, Dimension dimension, double factor, double offset,
                   List<String> names) {
    public Unit {
        names = List.copyOf(names);
    }

    /** {@code value} of this unit in the base unit. */
    public double toBase(double value) {
        return value * factor + offset;
    }

    /** {@code base} (in the base unit) in this unit. */
    public double fromBase(double base) {
        return (base - offset) / factor;
    }

    /** The name to say after {@code value}: singular for exactly one. */
    public String nameFor(double value) {
        return Math.abs(value) == 1 ? singular : plural;
    }

    @Override
    public String toString() {
        return plural;
    }
}

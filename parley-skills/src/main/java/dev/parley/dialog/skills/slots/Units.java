package dev.parley.dialog.skills.slots;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The units that can be converted, and how they are named: singular, plural, abbreviations and both spellings
 * ("kilometres", "kilometers", "km"). US customary volumes (cup, pint, quart, gallon, fluid ounce) unless
 * "imperial" or "uk" is said ("imperial gallons"). "in" is never an abbreviation (it is the preposition of "10 km
 * in miles"); say "inches".
 */
public final class Units {
    private Units() {
    }

    private static final List<Unit> ALL = new ArrayList<>();
    /** Name (words joined by spaces) → unit. */
    private static final Map<String, Unit> BY_NAME = new HashMap<>();
    private static int longestName;

    /** Plain "degrees": Celsius or Fahrenheit, whichever the other unit is not (see {@link Conversion}). */
    public static final Unit DEGREES;

    static {
        double ft = 0.3048, mi = 1609.344;
        unit("millimetre", "millimetres", Dimension.LENGTH, 0.001, "mm");
        unit("centimetre", "centimetres", Dimension.LENGTH, 0.01, "cm");
        unit("metre", "metres", Dimension.LENGTH, 1, "m");
        unit("kilometre", "kilometres", Dimension.LENGTH, 1000, "km", "kms", "klick", "klicks");
        unit("inch", "inches", Dimension.LENGTH, 0.0254, "inchs");
        unit("foot", "feet", Dimension.LENGTH, ft, "ft", "foots");
        unit("yard", "yards", Dimension.LENGTH, 0.9144, "yd", "yds");
        unit("mile", "miles", Dimension.LENGTH, mi, "mi");
        unit("nautical mile", "nautical miles", Dimension.LENGTH, 1852, "nmi");

        unit("milligram", "milligrams", Dimension.MASS, 1e-6, "mg", "milligramme", "milligrammes");
        unit("gram", "grams", Dimension.MASS, 0.001, "g", "gramme", "grammes", "gr");
        unit("kilogram", "kilograms", Dimension.MASS, 1, "kg", "kgs", "kilo", "kilos", "kilogramme",
                "kilogrammes");
        unit("tonne", "tonnes", Dimension.MASS, 1000, "metric ton", "metric tons", "metric tonne", "metric tonnes");
        unit("ounce", "ounces", Dimension.MASS, 0.028349523125, "oz");
        unit("pound", "pounds", Dimension.MASS, 0.45359237, "lb", "lbs");
        unit("stone", "stone", Dimension.MASS, 6.35029318, "stones");

        unit("millilitre", "millilitres", Dimension.VOLUME, 0.001, "ml", "mls", "cc");
        unit("centilitre", "centilitres", Dimension.VOLUME, 0.01, "cl");
        unit("decilitre", "decilitres", Dimension.VOLUME, 0.1, "dl");
        unit("litre", "litres", Dimension.VOLUME, 1, "l", "ltr", "ltrs");
        unit("cubic metre", "cubic metres", Dimension.VOLUME, 1000);
        unit("teaspoon", "teaspoons", Dimension.VOLUME, 0.00492892159375, "tsp", "tsps");
        unit("tablespoon", "tablespoons", Dimension.VOLUME, 0.01478676478125, "tbsp", "tbsps", "tbs");
        unit("fluid ounce", "fluid ounces", Dimension.VOLUME, 0.0295735295625, "fl oz", "floz");
        unit("cup", "cups", Dimension.VOLUME, 0.2365882365);
        unit("pint", "pints", Dimension.VOLUME, 0.473176473, "pt", "us pint", "us pints");
        unit("quart", "quarts", Dimension.VOLUME, 0.946352946, "qt");
        unit("gallon", "gallons", Dimension.VOLUME, 3.785411784, "gal", "gals", "us gallon", "us gallons");
        unit("imperial pint", "imperial pints", Dimension.VOLUME, 0.56826125, "uk pint", "uk pints");
        unit("imperial gallon", "imperial gallons", Dimension.VOLUME, 4.54609, "uk gallon", "uk gallons");

        temperature("degree Celsius", "degrees Celsius", 1, 273.15, "celsius", "centigrade", "degrees celsius",
                "degree celsius", "degrees centigrade", "degree centigrade", "c", "degrees c", "degree c");
        temperature("degree Fahrenheit", "degrees Fahrenheit", 5.0 / 9, 273.15 - 32 * 5.0 / 9, "fahrenheit",
                "degrees fahrenheit", "degree fahrenheit", "f", "degrees f", "degree f", "farenheit",
                "degrees farenheit");
        temperature("kelvin", "kelvin", 1, 0, "kelvins", "k", "degrees kelvin");
        DEGREES = temperature("degree", "degrees", 1, 273.15, "degrees", "degree");

        unit("metre per second", "metres per second", Dimension.SPEED, 1, "m per s", "meters a second",
                "metres a second", "mps");
        unit("kilometre per hour", "kilometres per hour", Dimension.SPEED, 1000 / 3600.0, "km per h",
                "km per hour", "kms per hour", "kilometres an hour", "kilometers an hour", "kilometre an hour",
                "kilometer an hour", "kph", "kmh", "kmph", "k p h");
        unit("mile per hour", "miles per hour", Dimension.SPEED, mi / 3600, "miles an hour", "mile an hour", "mph",
                "m p h", "mi per h");
        unit("foot per second", "feet per second", Dimension.SPEED, ft, "ft per s", "feet a second", "fps");
        unit("knot", "knots", Dimension.SPEED, 1852 / 3600.0, "kn", "kt", "kts");

        unit("millisecond", "milliseconds", Dimension.TIME, 0.001, "ms", "msec", "msecs");
        unit("second", "seconds", Dimension.TIME, 1, "sec", "secs");
        unit("minute", "minutes", Dimension.TIME, 60, "min", "mins");
        unit("hour", "hours", Dimension.TIME, 3600, "hr", "hrs", "h");
        unit("day", "days", Dimension.TIME, 86_400);
        unit("week", "weeks", Dimension.TIME, 7 * 86_400);
        unit("year", "years", Dimension.TIME, 365 * 86_400, "yr", "yrs");
    }

    private static Unit unit(String singular, String plural, Dimension d, double factor, String... aliases) {
        return register(singular, plural, d, factor, 0, aliases);
    }

    private static Unit temperature(String singular, String plural, double factor, double offset, String... aliases) {
        return register(singular, plural, Dimension.TEMPERATURE, factor, offset, aliases);
    }

    private static Unit register(String singular, String plural, Dimension d, double factor, double offset,
                                 String... aliases) {
        List<String> names = new ArrayList<>();
        for (String n : concat(singular, plural, aliases)) {
            String lower = n.toLowerCase(Locale.ROOT);
            names.add(lower);
            // both spellings: metre / meter, litre / liter
            if (lower.contains("metre") || lower.contains("litre")) {
                names.add(lower.replace("metre", "meter").replace("litre", "liter"));
            }
        }
        Unit u = new Unit(singular, plural, d, factor, offset, names);
        if (!singular.equals("degree")) {
            ALL.add(u);
        }
        for (String n : names) {
            Unit old = BY_NAME.put(n, u);
            if (old != null && old != u) {
                throw new IllegalStateException("unit name used twice: " + n);
            }
            longestName = Math.max(longestName, n.split(" ").length);
        }
        return u;
    }

    private static List<String> concat(String a, String b, String[] rest) {
        List<String> out = new ArrayList<>(List.of(a, b));
        out.addAll(List.of(rest));
        return out;
    }

    /** Every unit (plain "degrees" aside). */
    public static List<Unit> all() {
        return List.copyOf(ALL);
    }

    /** The unit called {@code name} ("km", "Miles per hour", "degrees F"), if any. */
    public static Optional<Unit> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(SpokenText.normalize(name)));
    }

    /** The unit named at word {@code i} (the longest name that fits). */
    public static Optional<UnitMatch> matchAt(List<String> words, int i) {
        for (int len = Math.min(longestName, words.size() - i); len >= 1; len--) {
            Unit u = BY_NAME.get(String.join(" ", words.subList(i, i + len)));
            if (u != null) {
                return Optional.of(new UnitMatch(u, i, i + len));
            }
        }
        return Optional.empty();
    }

    /** Every unit named in {@code words}, left to right, none overlapping. */
    public static List<UnitMatch> findAll(List<String> words) {
        List<UnitMatch> out = new ArrayList<>();
        for (int i = 0; i < words.size(); ) {
            Optional<UnitMatch> m = matchAt(words, i);
            if (m.isPresent()) {
                out.add(m.get());
                i = m.get().end();
            } else {
                i++;
            }
        }
        return out;
    }
}

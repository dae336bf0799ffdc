package dev.parley.dialog.skills.slots;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ConversionTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "convert 10 kilometres to miles               | 10   | kilometres         | miles",
            "convert ten kilometers into miles            | 10   | kilometres         | miles",
            "10 km in miles                               | 10   | kilometres         | miles",
            "what is 100 fahrenheit in celsius            | 100  | degrees Fahrenheit | degrees Celsius",
            "how many ounces in a pound                   | 1    | pounds             | ounces",
            "how many cups are there in 2 litres          | 2    | litres             | cups",
            "how many feet is a mile                      | 1    | miles              | feet",
            "how many feet in miles                       | 1    | miles              | feet",
            "minus 40 celsius to fahrenheit               | -40  | degrees Celsius    | degrees Fahrenheit",
            "30 degrees in fahrenheit                     | 30   | degrees Celsius    | degrees Fahrenheit",
            "80 degrees fahrenheit in celsius             | 80   | degrees Fahrenheit | degrees Celsius",
            "60 miles per hour in kilometres per hour     | 60   | miles per hour     | kilometres per hour",
            "60 mph in km/h                               | 60   | miles per hour     | kilometres per hour",
            "two point five kilos in pounds               | 2.5  | kilograms          | pounds",
            "a hundred and twenty grams to ounces         | 120  | grams              | ounces",
            "how many seconds in a day                    | 1    | days               | seconds",
            "3 imperial gallons in litres                 | 3    | imperial gallons   | litres",
            "5 fl oz in millilitres                       | 5    | fluid ounces       | millilitres",
    })
    void reads(String text, double value, String from, String to) {
        Conversion c = Conversion.parse(text).orElseThrow();
        assertThat(c.value()).isEqualTo(value);
        assertThat(c.from().plural()).isEqualTo(from);
        assertThat(c.to().plural()).isEqualTo(to);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "10 km in miles                 | 6.2137119",
            "1 mile in kilometres           | 1.609344",
            "100 fahrenheit in celsius      | 37.7777778",
            "0 celsius in fahrenheit        | 32",
            "minus 40 celsius in fahrenheit | -40",
            "300 kelvin in celsius          | 26.85",
            "1 pound in grams               | 453.59237",
            "1 stone in kilograms           | 6.35029318",
            "1 litre in cups                | 4.22675284",
            "1 gallon in litres             | 3.785411784",
            "100 km per hour in mph         | 62.1371192",
            "1 knot in km per h             | 1.852",
            "1 foot in inches               | 12",
            "1 yard in centimetres          | 91.44",
            "1 tablespoon in teaspoons      | 3",
            "1 week in hours                | 168",
    })
    void converts(String text, double expected) {
        assertThat(Conversion.parse(text).orElseThrow().result()).isCloseTo(expected, within(1e-6));
    }

    @ParameterizedTest
    @ValueSource(strings = {"convert 10 kilometres", "what time is it", "10 to 20", "how many miles"})
    void needsTwoUnits(String text) {
        assertThat(Conversion.parse(text)).isEmpty();
    }

    @Test
    void knowsWhatCannotConvert() {
        Conversion c = Conversion.parse("convert 5 kilograms to miles").orElseThrow();
        assertThat(c.compatible()).isFalse();
    }

    /** Every name of every unit is read back as that unit. */
    @Test
    void everyNameIsUnderstood() {
        for (Unit u : Units.all()) {
            for (String name : u.names()) {
                List<String> words = SpokenText.tokens(name);
                assertThat(Units.matchAt(words, 0)).as(name).get()
                        .satisfies(m -> assertThat(m.unit()).isSameAs(u))
                        .satisfies(m -> assertThat(m.end()).isEqualTo(words.size()));
            }
        }
    }

    /** For every pair of units of one dimension, converting there and back gives the value again. */
    @Test
    void convertsThereAndBack() {
        for (Unit a : Units.all()) {
            for (Unit b : Units.all()) {
                if (a.dimension() != b.dimension()) {
                    continue;
                }
                double there = new Conversion(12.5, a, b).result();
                assertThat(new Conversion(there, b, a).result()).as(a + " → " + b).isCloseTo(12.5, within(1e-9));
            }
        }
    }
}

package dev.parley.dialog.skills.builtin;

import dev.parley.dialog.Tool;
import dev.parley.dialog.skills.FollowUp;
import dev.parley.dialog.skills.Skill;
import dev.parley.dialog.skills.SkillReply;
import dev.parley.dialog.skills.SkillRequest;
import dev.parley.dialog.skills.SkillSession;
import dev.parley.dialog.skills.SkillTools;
import dev.parley.dialog.skills.ToolArgumentException;
import dev.parley.dialog.skills.slots.Conversion;
import dev.parley.dialog.skills.slots.NumberParser;
import dev.parley.dialog.skills.slots.ParsedNumber;
import dev.parley.dialog.skills.slots.SpokenNumbers;
import dev.parley.dialog.skills.slots.Unit;
import dev.parley.dialog.skills.slots.UnitMatch;
import dev.parley.dialog.skills.slots.Units;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Unit conversions ({@link Conversion}) answered with sensible rounding: "10 kilometres is about 6.2 miles.",
 * "0 degrees Celsius is 32 degrees Fahrenheit.", "1 pound is about 454 grams." With one unit only ("convert 10
 * kilometres") it asks "Into what?".
 */
public final class UnitsSkill implements Skill {
    static final String NOT_UNDERSTOOD = "Sorry, I didn't get the conversion. You can say, for example: how many miles"
            + " is 10 kilometres?";

    @Override
    public Set<String> intents() {
        return Set.of("units.convert");
    }

    @Override
    public String capability() {
        return "convert units";
    }

    @Override
    public List<String> examples() {
        return List.of("how many miles is 10 kilometres", "what is 350 fahrenheit in celsius",
                "how many cups in a litre");
    }

    @Override
    public SkillReply handle(SkillRequest r) {
        Optional<Conversion> c = Conversion.parse(r.words());
        if (c.isPresent()) {
            return SkillReply.say(answer(c.get()));
        }
        List<UnitMatch> units = Units.findAll(r.words());
        if (units.size() == 1) {
            UnitMatch from = units.getFirst();
            double value = amountBefore(r.words(), from.start());
            // a whole new conversion is a new request, not the answer
            FollowUp into = next -> Conversion.parse(next.words()).isPresent() ? Optional.empty()
                    : Units.findAll(next.words()).stream().findFirst()
                    .map(to -> SkillReply.say(answer(new Conversion(value, from.unit(), to.unit()))));
            return SkillReply.ask("Into what?", into);
        }
        return SkillReply.say(NOT_UNDERSTOOD);
    }

    private static double amountBefore(List<String> words, int unitStart) {
        for (int start = Math.max(0, unitStart - 8); start < unitStart; start++) {
            Optional<ParsedNumber> n = NumberParser.parseAt(words, start);
            if (n.isPresent() && n.get().end() == unitStart) {
                return n.get().value();
            }
        }
        return 1;
    }

    /** "10 kilometres is about 6.2 miles.", or why it cannot be done. */
    static String answer(Conversion c) {
        if (c.from() == Units.DEGREES || c.to() == Units.DEGREES) {
            return "Celsius or Fahrenheit?";
        }
        if (!c.compatible()) {
            return "I can't convert " + c.from().plural() + " to " + c.to().plural() + ": " + c.from().plural()
                    + " are " + c.from().dimension().spoken() + " and " + c.to().plural() + " "
                    + c.to().dimension().spoken() + ".";
        }
        if (c.from() == c.to()) {
            return "That's the same unit.";
        }
        double result = c.result();
        SpokenNumbers.Rounded rounded = SpokenNumbers.measured(result);
        String s = SpokenNumbers.exact(c.value()) + " " + c.from().nameFor(c.value()) + " " + rounded.afterIs() + " "
                + c.to().nameFor(Double.parseDouble(rounded.text().replace("minus ", "-").replaceAll(" .*", "")))
                + ".";
        return s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }

    @Override
    public List<Tool> tools(SkillSession session) {
        return List.of(SkillTools.tool("convert_units",
                "Convert a quantity between units of length, weight, volume, temperature, speed or time.", """
                        {"type":"object","properties":{
                        "value":{"type":"number"},
                        "from":{"type":"string","description":"unit, e.g. km, miles, kg, lb, celsius, fahrenheit, litres, cups, mph"},
                        "to":{"type":"string","description":"unit to convert into"}},
                        "required":["value","from","to"]}""",
                a -> {
                    double value = a.number("value");
                    Unit from = unit(a.text("from"));
                    Unit to = unit(a.text("to"));
                    return answer(new Conversion(value, from, to));
                }));
    }

    private static Unit unit(String name) {
        return Units.byName(name).filter(u -> u != Units.DEGREES).orElseThrow(() -> new ToolArgumentException(
                "unknown unit '" + name + "'; use e.g. km, miles, kg, lb, celsius, fahrenheit, litres, cups, mph"));
    }
}

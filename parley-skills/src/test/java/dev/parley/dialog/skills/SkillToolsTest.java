package dev.parley.dialog.skills;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.dialog.Tool;
import dev.parley.dialog.skills.testing.Harness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class SkillToolsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Harness h = new Harness();
    private final Map<String, Tool> tools = h.dialog.tools().stream()
            .collect(Collectors.toMap(Tool::name, Function.identity()));

    @AfterEach
    void close() {
        h.close();
    }

    private String call(String tool, String args) {
        return tools.get(tool).call(args);
    }

    @Test
    void theToolsAndTheirSchemas() throws Exception {
        assertThat(tools.keySet()).containsExactlyInAnyOrder("set_timer", "cancel_timer", "timer_status",
                "set_reminder", "current_time", "calculate", "convert_units", "list_add", "list_remove", "list_read");
        for (Tool t : tools.values()) {
            assertThat(t.name()).matches("[a-z_]{1,64}");
            assertThat(t.description()).isNotBlank();
            JsonNode schema = JSON.readTree(t.parametersSchema());
            assertThat(schema.get("type").asText()).as(t.name()).isEqualTo("object");
            assertThat(schema.get("properties").isObject()).as(t.name()).isTrue();
            if (schema.has("required")) {
                for (JsonNode r : schema.get("required")) {
                    assertThat(schema.get("properties").has(r.asText())).as(t.name() + " " + r).isTrue();
                }
            }
        }
    }

    @Test
    void aTimerSetByToolIsTheTimerTheVoiceReports() {
        assertThat(call("set_timer", "{\"duration_seconds\": 600, \"name\": \"Pasta Timer\"}"))
                .isEqualTo("Pasta timer set for ten minutes.");
        h.advance(Duration.ofMinutes(4));
        assertThat(h.say("how much time is left")).isEqualTo("Your pasta timer has six minutes left.");
        h.say("set an egg timer for 3 minutes");
        assertThat(call("timer_status", "{}")).isEqualTo("You have two timers: the egg timer has three minutes "
                + "left and the pasta timer has six minutes left.");
        assertThat(call("cancel_timer", "{\"name\":\"egg\"}")).isEqualTo("OK, I cancelled the egg timer.");
        assertThat(h.advance(Duration.ofMinutes(6))).containsExactly("Your pasta timer is done.");
        assertThat(call("cancel_timer", "{}")).isEqualTo("You don't have any timers running.");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "set_timer     | {}                                       | Error: duration_seconds is required (a number).",
            "set_timer     | {\"duration_seconds\": \"ten\"}           | Error: duration_seconds must be a number.",
            "set_timer     | {\"duration_seconds\": 0}                | Error: duration_seconds must be between 1 and 86400.",
            "set_timer     | {\"duration_seconds\": 90000}            | Error: duration_seconds must be between 1 and 86400.",
            "set_timer     | {\"duration_seconds\": 60, \"name\": 5}  | Error: name must be a string.",
            "set_timer     | {\"duration_seconds\": 60, \"name\": \"!!\"} | Error: name must have letters or digits.",
            "set_timer     | not json                                 | Error: the arguments are not valid JSON; send a JSON object.",
            "set_timer     | [1, 2]                                   | Error: the arguments must be a JSON object.",
            "set_reminder  | {\"text\": \"call mom\"}                 | Error: give exactly one of delay_seconds or at.",
            "set_reminder  | {\"text\": \"x\", \"delay_seconds\": 5, \"at\": \"17:00\"} | Error: give exactly one of delay_seconds or at.",
            "set_reminder  | {\"text\": \"x\", \"at\": \"5pm\"}       | Error: at must be a time of day as HH:MM, e.g. 17:30.",
            "set_reminder  | {\"delay_seconds\": 5}                   | Error: text is required (a string).",
            "calculate     | {\"expression\": \"hello\"}              | Error: could not read the expression; use numbers with + - * / ^, parentheses, sqrt(x) or 'x% of y'.",
            "convert_units | {\"value\": 1, \"from\": \"furlongs\", \"to\": \"km\"} | Error: unknown unit 'furlongs'; use e.g. km, miles, kg, lb, celsius, fahrenheit, litres, cups, mph.",
            "convert_units | {\"value\": \"NaN\", \"from\": \"km\", \"to\": \"mi\"} | Error: value must be a finite number.",
            "list_add      | {\"list\": \"shopping\"}                 | Error: item is required (a string).",
    })
    void badArgumentsGiveAnErrorResult(String tool, String args, String expected) {
        assertThat(call(tool, args)).isEqualTo(expected);
        assertThat(h.clock.pending()).isZero();
    }

    @Test
    void reminders() {
        assertThat(call("set_reminder", "{\"text\": \"Call mom.\", \"delay_seconds\": 600}"))
                .isEqualTo("OK, I'll remind you to Call mom in ten minutes.");
        assertThat(call("set_reminder", "{\"text\": \"lock the door\", \"at\": \"20:00\"}"))
                .isEqualTo("OK, I'll remind you to lock the door at eight PM.");
        assertThat(call("set_reminder", "{\"text\": \"water plants\", \"at\": \"9:00\"}"))
                .isEqualTo("OK, I'll remind you to water plants tomorrow at nine AM.");
        assertThat(h.advance(Duration.ofMinutes(10))).containsExactly("Reminder: Call mom.");
    }

    @Test
    void answers() {
        assertThat(call("current_time", "")).isEqualTo(
                "It's 17:07 (five oh seven PM) on Saturday, November 21st, 2026, time zone Europe/Paris.");
        assertThat(call("calculate", "{\"expression\": \"(17 * 23) + 4\"}")).isEqualTo("(17 times 23) plus 4 is 395.");
        assertThat(call("calculate", "{\"expression\": \"seventeen times twenty three\"}"))
                .isEqualTo("17 times 23 is 391.");
        assertThat(call("calculate", "{\"expression\": \"1/0\"}")).isEqualTo("You can't divide by zero.");
        assertThat(call("convert_units", "{\"value\": 10, \"from\": \"km\", \"to\": \"miles\"}"))
                .isEqualTo("10 kilometres is about 6.2 miles.");
        assertThat(call("convert_units", "{\"value\": \"212\", \"from\": \"Fahrenheit\", \"to\": \"degrees C\"}"))
                .isEqualTo("212 degrees Fahrenheit is 100 degrees Celsius.");
    }

    @Test
    void listsAreTheListsTheVoiceUses() {
        assertThat(call("list_add", "{\"item\": \"Milk\"}")).isEqualTo("I added milk to your shopping list.");
        assertThat(call("list_add", "{\"list\": \"To Do list\", \"item\": \"call the bank\"}"))
                .isEqualTo("I added call the bank to your to do list.");
        h.say("add eggs");
        assertThat(call("list_read", "{\"list\": \"shopping\"}")).isEqualTo(
                "Your shopping list has two items: milk and eggs.");
        assertThat(call("list_remove", "{\"item\": \"egg\"}")).isEqualTo("I removed eggs from your shopping list.");
        assertThat(h.say("what's on my to do list")).isEqualTo("Your to do list has one item: call the bank.");
    }

    @Test
    void aToolThatFailsInsideSaysSoWithoutDetails() {
        Tool t = SkillTools.tool("boom", "fails", "{\"type\":\"object\",\"properties\":{}}", a -> {
            throw new IllegalStateException("secret=abc123");
        });
        assertThat(t.call("{}")).isEqualTo("Error: the boom tool failed.").doesNotContain("secret");
    }

    @Test
    void toolNamesAreUnique() {
        SkillSession s = h.session;
        Skill twice = new Skill() {
            @Override
            public java.util.Set<String> intents() {
                return java.util.Set.of("x");
            }

            @Override
            public SkillReply handle(SkillRequest r) {
                return SkillReply.pass();
            }

            @Override
            public List<Tool> tools(SkillSession session) {
                return List.of(SkillTools.tool("same", "a", "{}", a -> ""), SkillTools.tool("same", "b", "{}", a -> ""));
            }
        };
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SkillTools.of(SkillSet.of(twice), s))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("same");
    }
}

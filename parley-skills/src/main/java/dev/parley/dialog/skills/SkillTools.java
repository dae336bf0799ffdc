package dev.parley.dialog.skills;

import dev.parley.dialog.Tool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The skills offered as {@link Tool}s for LLM function calling (set_timer, cancel_timer, timer_status,
 * set_reminder, current_time, calculate, convert_units, list_add, list_remove, list_read, search_notes with the
 * standard skills), acting on one {@link SkillSession}: the same timers, lists and notes the spoken requests use.
 * A tool never throws: bad arguments give a result starting "Error: " that says what to send instead.
 */
public final class SkillTools {
    private static final Logger log = LoggerFactory.getLogger(SkillTools.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private SkillTools() {
    }

    /** Every skill's tools for {@code session}; tool names are unique. */
    public static List<Tool> of(SkillSet skills, SkillSession session) {
        List<Tool> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Skill s : skills.all()) {
            for (Tool t : s.tools(session)) {
                if (!names.add(t.name())) {
                    throw new IllegalArgumentException("two tools are called " + t.name());
                }
                out.add(t);
            }
        }
        return List.copyOf(out);
    }

    /**
     * A tool whose {@code handler} reads validated arguments and returns the result text. The handler may throw
     * {@link ToolArgumentException} (its message becomes "Error: ..."); any other exception is logged and reported
     * as a failure without details.
     */
    public static Tool tool(String name, String description, String parametersSchema,
                            Function<ToolArguments, String> handler) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad tool name: " + name);
        }
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(parametersSchema, "parametersSchema");
        Objects.requireNonNull(handler, "handler");
        return new Tool() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return description;
            }

            @Override
            public String parametersSchema() {
                return parametersSchema;
            }

            @Override
            public String call(String argumentsJson) {
                try {
                    return handler.apply(ToolArguments.parse(argumentsJson));
                } catch (ToolArgumentException e) {
                    return "Error: " + e.getMessage() + ".";
                } catch (RuntimeException e) {
                    log.warn("tool {} failed", name, e);
                    return "Error: the " + name + " tool failed.";
                }
            }

            @Override
            public String toString() {
                return "Tool[" + name + "]";
            }
        };
    }
}

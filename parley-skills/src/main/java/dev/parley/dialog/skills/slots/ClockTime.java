package dev.parley.dialog.skills.slots;

import java.time.LocalTime;

/**
 * A time of day found in a list of words.
 *
 * @param time          the time; when {@code meridiemKnown} is false the hour is 1 to 12 and may mean the
 *                      afternoon too ("at five")
 * @param meridiemKnown whether morning or afternoon was said or is clear (5 pm, 17:30, noon, midnight)
 * @param start         the index of its first word ("at" included when said)
 * @param end           the index after its last word
 */
public record ClockTime(LocalTime time, boolean meridiemKnown, int start, int end) {
}

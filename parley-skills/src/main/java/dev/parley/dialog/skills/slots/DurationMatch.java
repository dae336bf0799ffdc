package dev.parley.dialog.skills.slots;

import java.time.Duration;

/**
 * A length of time found in a list of words.
 *
 * @param duration how long
 * @param start    the index of its first word
 * @param end      the index after its last word
 */
public record DurationMatch(Duration duration, int start, int end) {
}

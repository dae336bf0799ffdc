package dev.parley.dialog.skills.slots;

/**
 * A unit named in a list of words.
 *
 * @param start the index of its first word
 * @param end   the index after its last word
 */
public record UnitMatch(Unit unit, int start, int end) {
}

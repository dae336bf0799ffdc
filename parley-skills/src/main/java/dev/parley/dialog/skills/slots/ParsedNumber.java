package dev.parley.dialog.skills.slots;

/**
 * A number found in a list of words.
 *
 * @param value   its value ("two point five" → 2.5, "minus three" → -3)
 * @param start   the index of its first word
 * @param end     the index after its last word
 * @param ordinal said as an ordinal ("third", "21st")
 */
public record ParsedNumber(double value, int start, int end, boolean ordinal) {

    /** A whole number (no fraction). */
    public boolean isWhole() {
        return !Double.isInfinite(value) && value == Math.rint(value);
    }

    /** The number of words it took. */
    public int length() {
        return end - start;
    }
}

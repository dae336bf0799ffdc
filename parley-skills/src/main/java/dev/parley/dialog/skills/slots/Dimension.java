package dev.parley.dialog.skills.slots;

/** What a unit measures; only units of the same dimension convert into each other. */
public enum Dimension {
    LENGTH("a length"), MASS("a weight"), VOLUME("a volume"), TEMPERATURE("a temperature"), SPEED("a speed"),
    TIME("a time");

    private final String spoken;

    Dimension(String spoken) {
        this.spoken = spoken;
    }

    /** "a length", for "kilograms are a weight and miles a length". */
    public String spoken() {
        return spoken;
    }
}

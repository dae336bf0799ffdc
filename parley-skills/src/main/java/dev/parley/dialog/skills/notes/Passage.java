package dev.parley.dialog.skills.notes;

import java.util.Objects;

/**
 * One searchable piece of the user's notes.
 *
 * @param title the question or heading it answers ("What's the wifi password?", "Bins"), or "" when none
 * @param body  the answer or paragraph, markdown removed
 */
public record Passage(String title, String body) {
    public Passage {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(body, "body");
    }
}

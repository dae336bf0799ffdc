package dev.parley.dialog.skills.notes;

/**
 * A passage found for a question, with its similarity to it.
 *
 * @param score cosine similarity in [-1, 1]
 */
public record NoteHit(Passage passage, double score) {
}

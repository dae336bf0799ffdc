/**
 * The offline assistant: skills routed by intent.
 *
 * <h2>Adding a skill</h2>
 * Write one class implementing {@link dev.parley.dialog.skills.Skill}: the intents it answers, how it answers a
 * {@link dev.parley.dialog.skills.SkillRequest} (the classification, the words, the history and the
 * {@link dev.parley.dialog.skills.SkillSession}: clock, scheduler, announcements, per-session state), and optionally
 * its abilities as LLM tools. Add it to the {@link dev.parley.dialog.skills.SkillSet}.
 *
 * <h2>Wiring</h2>
 * <pre>{@code
 * SkillSet skills = StandardSkills.create(listsDirOrNull, NotesIndex.load(notesFile, embedder)); // once
 * IntentClassifier classifier = ...;                                                            // once
 * // per session:
 * SkillSession session = new SkillSession(scheduler, userId, seed);
 * Dialog llm = ...(SkillTools.of(skills, session));   // optional fallback, with the skills as its tools
 * Dialog brain = new SkillsDialog(skills, classifier, session, SkillsDialog.Options.DEFAULT, llm);
 * }</pre>
 * Slot parsing (numbers, durations, times, units, arithmetic) lives in {@link dev.parley.dialog.skills.slots}, the
 * built-in skills in {@link dev.parley.dialog.skills.builtin}, the user's notes in
 * {@link dev.parley.dialog.skills.notes}.
 */
package dev.parley.dialog.skills;

/**
 * Slot extraction from what speech recognition writes: lower case, little punctuation, numbers in words or digits.
 * {@link dev.parley.dialog.skills.slots.SpokenText} normalises; {@link dev.parley.dialog.skills.slots.NumberParser},
 * {@link dev.parley.dialog.skills.slots.Durations}, {@link dev.parley.dialog.skills.slots.ClockTimes},
 * {@link dev.parley.dialog.skills.slots.When}, {@link dev.parley.dialog.skills.slots.Conversion} and
 * {@link dev.parley.dialog.skills.slots.Arithmetic} read values from its words; {@link
 * dev.parley.dialog.skills.slots.NumberWords}, {@link dev.parley.dialog.skills.slots.SpokenNumbers} and
 * {@link dev.parley.dialog.skills.slots.Durations#spoken} write them back for speech.
 */
package dev.parley.dialog.skills.slots;

package dev.parley.bench.turns;

import dev.parley.audio.PcmAudio;

import java.util.List;

/**
 * One input for the session: audio at 16 kHz, the room it was recorded in (for the silence after it), and where each
 * sentence in it really begins and ends, the yardstick every figure is measured against.
 *
 * @param pauseMs the pause spliced inside the sentence, 0 for none
 */
record Recording(String name, PcmAudio audio, RoomTone room, List<Sentence> sentences, int pauseMs) {

    /** A sentence of the recording: its reference transcript and where its speech lies, in ms from the start. */
    record Sentence(String reference, double startMs, double endMs) {}

    /** Where the last sentence's speech ends. */
    double speechEndMs() {
        return sentences.getLast().endMs();
    }
}

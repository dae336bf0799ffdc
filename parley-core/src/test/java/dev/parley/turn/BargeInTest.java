package dev.parley.turn;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BargeInTest {
    private static final int FRAME = 512;
    private static final float THRESHOLD = 0.5f;
    private static final long REQUIRED = 4L * FRAME; // 128 ms at 16 kHz

    private final BargeIn bargeIn = new BargeIn();

    private boolean frame(float p) {
        return bargeIn.onFrame(p, THRESHOLD, FRAME, REQUIRED);
    }

    @Test
    void aRunOfSpeechAsLongAsRequiredStopsTheReplyAndKeepsDoingSo() {
        assertThat(frame(0.9f)).isFalse();
        assertThat(frame(0.9f)).isFalse();
        assertThat(frame(0.9f)).isFalse();
        assertThat(frame(0.9f)).as("4 frames = exactly the required run").isTrue();
        assertThat(frame(0.9f)).isTrue();
    }

    @Test
    void aQuietFrameStartsTheRunOver() {
        assertThat(frame(0.9f)).isFalse();
        assertThat(frame(0.9f)).isFalse();
        assertThat(frame(0.9f)).isFalse();
        assertThat(frame(0.2f)).isFalse();
        assertThat(frame(0.9f)).isFalse();
        assertThat(frame(0.9f)).isFalse();
        assertThat(frame(0.9f)).isFalse();
        assertThat(frame(0.9f)).isTrue();
        assertThat(frame(0.1f)).as("a quiet frame ends it at once").isFalse();
    }

    @Test
    void theThresholdIsInclusive() {
        for (int i = 0; i < 3; i++) assertThat(frame(THRESHOLD)).isFalse();
        assertThat(frame(THRESHOLD)).isTrue();
        assertThat(frame(Math.nextDown(THRESHOLD))).isFalse();
    }

    @Test
    void framesOfAnySizeAddUp() {
        assertThat(bargeIn.onFrame(0.9f, THRESHOLD, 1000, 2048)).isFalse();
        assertThat(bargeIn.onFrame(0.9f, THRESHOLD, 1000, 2048)).isFalse();
        assertThat(bargeIn.onFrame(0.9f, THRESHOLD, 48, 2048)).isTrue();
    }

    @Test
    void resetForgetsTheRun() {
        frame(0.9f);
        frame(0.9f);
        frame(0.9f);
        bargeIn.reset();
        assertThat(frame(0.9f)).isFalse();
        assertThat(frame(0.9f)).isFalse();
        assertThat(frame(0.9f)).isFalse();
        assertThat(frame(0.9f)).isTrue();
    }
}

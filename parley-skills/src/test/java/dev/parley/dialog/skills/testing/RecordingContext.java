package dev.parley.dialog.skills.testing;

import dev.parley.dialog.DialogContext;
import dev.parley.dialog.VoiceControls;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A session context that records what is said unprompted, with voice controls that work within their limits. */
public final class RecordingContext implements DialogContext {
    public final List<String> said = new CopyOnWriteArrayList<>();
    public final FakeVoice voice;

    public RecordingContext(FakeVoice voice) {
        this.voice = voice;
    }

    public RecordingContext() {
        this(new FakeVoice(true));
    }

    @Override
    public void say(String text) {
        said.add(text);
    }

    @Override
    public VoiceControls voice() {
        return voice;
    }

    /** Volume and rate that accept values within the limits (or refuse everything). */
    public static final class FakeVoice implements VoiceControls {
        private final boolean works;
        public double volume = 1, rate = 1;

        public FakeVoice(boolean works) {
            this.works = works;
        }

        @Override
        public double volume() {
            return volume;
        }

        @Override
        public boolean setVolume(double v) {
            if (!works || v < MIN_VOLUME || v > MAX_VOLUME) {
                return false;
            }
            volume = v;
            return true;
        }

        @Override
        public double rate() {
            return rate;
        }

        @Override
        public boolean setRate(double r) {
            if (!works || r < MIN_RATE || r > MAX_RATE) {
                return false;
            }
            rate = r;
            return true;
        }
    }
}

package dev.parley.dialog;

/**
 * How loud and how fast replies are spoken, for "louder" and "slower" (multipliers: 1 is as configured). Each
 * setter returns false when the TTS or output cannot do it or the value is out of range; then nothing changed.
 */
public interface VoiceControls {
    double MIN_VOLUME = 0.25, MAX_VOLUME = 4.0, MIN_RATE = 0.5, MAX_RATE = 2.0;

    double volume();

    boolean setVolume(double volume);

    double rate();

    boolean setRate(double rate);

    /** No controls: every change is refused. */
    VoiceControls NONE = new VoiceControls() {
        @Override
        public double volume() {
            return 1;
        }

        @Override
        public boolean setVolume(double volume) {
            return false;
        }

        @Override
        public double rate() {
            return 1;
        }

        @Override
        public boolean setRate(double rate) {
            return false;
        }
    };
}

package dev.parley.audio;

import java.io.IOException;

/**
 * A file that is not a WAV file Parley can read. The message is a single line meant for the user and names the
 * file, e.g. {@code in.wav is not a WAV file (no RIFF/WAVE header)}.
 */
public final class WavFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    public WavFormatException(String message) {
        super(message);
    }
}

package dev.parley.providers.openai;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The canonical 44-byte header of a mono PCM16 WAV file (RIFF, {@code fmt } chunk of 16 bytes with format 1,
 * {@code data} chunk), put before audio to upload it as a file, as {@code dev.parley.audio.WavWriter} writes it to
 * disk.
 */
final class Wav {
    static final int HEADER_BYTES = 44;

    private Wav() {
    }

    /** A WAV file holding {@code pcm} (little-endian PCM16 mono, {@code length} bytes from 0) at {@code rate}. */
    static byte[] of(byte[] pcm, int length, int rate) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[]{'R', 'I', 'F', 'F'}).putInt(36 + length).put(new byte[]{'W', 'A', 'V', 'E'});
        b.put(new byte[]{'f', 'm', 't', ' '}).putInt(16)
                .putShort((short) 1)       // PCM
                .putShort((short) 1)       // mono
                .putInt(rate)
                .putInt(rate * 2)          // byte rate
                .putShort((short) 2)       // block align
                .putShort((short) 16);     // bits per sample
        b.put(new byte[]{'d', 'a', 't', 'a'}).putInt(length);
        b.put(pcm, 0, length);
        return b.array();
    }
}

package dev.parley.transport.realtime;

import dev.parley.audio.PcmAudio;
import io.github.jaredmdobson.concentus.OpusDecoder;
import io.github.jaredmdobson.concentus.OpusException;

import java.util.Arrays;

/**
 * A session's Opus input ({@code audio/opus}, Parley's extension): each {@code input_audio_buffer.append} carries one
 * or more Opus packets, each after its length as two bytes, big-endian, as the browser's WebCodecs encoder gives them
 * (no Ogg container). The decoder keeps its state from packet to packet, so a session has one of its own. Concentus
 * decodes: a pure-Java port of libopus from Maven Central, so there is no native library to install.
 *
 * <p>Packets decode at 48 kHz, Opus's own rate, whatever rate the client's encoder took its audio at (the format's
 * {@code rate}): a packet carries its own bandwidth, and Concentus 1.0.2 decodes SILK packets to silence when asked
 * for 24 kHz (measured: 48, 16 and 8 kHz are right).
 *
 * <p>An append decodes to at most {@link #MAX_APPEND_MS} of audio, whatever its packets claim.
 */
final class OpusInput {
    static final int MAX_APPEND_MS = 2_000;
    private static final int RATE = 48_000;
    /** Opus's longest frame: 120 ms. */
    private static final int MAX_FRAME_MS = 120;

    private final int rate = RATE;
    private final OpusDecoder decoder;

    OpusInput() {
        try {
            this.decoder = new OpusDecoder(RATE, 1);
        } catch (OpusException e) {
            throw new IllegalStateException("Opus cannot decode at " + RATE + " Hz", e);
        }
    }

    PcmAudio decode(byte[] framed) throws ProtocolException {
        int limit = rate * MAX_APPEND_MS / 1000;
        short[] out = new short[Math.min(limit, rate * MAX_FRAME_MS / 1000 * 4)];
        short[] frame = new short[rate * MAX_FRAME_MS / 1000];
        int samples = 0;
        for (int at = 0; at < framed.length; ) {
            if (at + 2 > framed.length) throw invalid("a packet's length is cut off at byte " + at);
            int length = ((framed[at] & 0xff) << 8) | (framed[at + 1] & 0xff);
            at += 2;
            if (length == 0 || at + length > framed.length) throw invalid("a packet of " + length + " bytes at byte " + (at - 2) + " runs past the append");
            int n;
            try {
                n = decoder.decode(framed, at, length, frame, 0, frame.length, false);
            } catch (OpusException | RuntimeException e) {
                throw invalid("a packet is not Opus (" + e.getMessage() + ")");
            }
            at += length;
            if (samples + n > limit) throw invalid("the append decodes to more than " + MAX_APPEND_MS + " ms");
            if (samples + n > out.length) out = Arrays.copyOf(out, Math.min(limit, Math.max(samples + n, out.length * 2)));
            System.arraycopy(frame, 0, out, samples, n);
            samples += n;
        }
        return new PcmAudio(Arrays.copyOf(out, samples), rate);
    }

    private static ProtocolException invalid(String why) {
        return new ProtocolException("invalid_audio", "\"audio\" is not framed Opus: " + why
                + " (each packet after its length in two bytes, big-endian)", "audio");
    }
}

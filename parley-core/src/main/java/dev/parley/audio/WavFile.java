package dev.parley.audio;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes RIFF WAVE files.
 *
 * <h2>Reading</h2>
 * {@link #read(Path)} returns mono PCM16 at the file's original sample rate (resampling is the caller's job, see
 * {@link Resampler}). Supported encodings:
 * <ul>
 *   <li>PCM integer: 8-bit unsigned, 16-, 24- and 32-bit signed (any valid-bit count inside those containers);</li>
 *   <li>IEEE float, 32- and 64-bit: clipped to [-1, 1] and scaled by 32767;</li>
 *   <li>G.711 A-law (format tag 6) and mu-law (tag 7), decoded with the standard tables;</li>
 *   <li>any of the above wrapped in {@code WAVE_FORMAT_EXTENSIBLE} (tag 0xFFFE; the sub-format GUID decides);</li>
 *   <li>RF64 files (their {@code ds64} chunk supplies the 64-bit data size).</li>
 * </ul>
 * Every sample is first converted to a real value in 16-bit units at full precision (8-bit: {@code (b-128)·256};
 * 24-bit: {@code v/256}; 32-bit: {@code v/65536}; float: {@code clip(v)·32767}); the channels of a frame are
 * averaged, and the result is rounded to nearest with ties away from zero and clamped to the {@code short} range.
 * So float 0.5 reads as 16384, -0.5 as -16384, 8-bit 128 as 0, and 24-bit {@code 0x7FFFFF} as 32767.
 *
 * <p>Unknown chunks ({@code LIST}, {@code fact}, {@code cue }, …) are skipped, honouring RIFF's pad byte after
 * odd-sized chunks; anything after the data chunk is ignored. A data chunk that declares 0 or 0xFFFFFFFF bytes (as
 * streaming writers leave it) is read to the end of the file.
 *
 * <h2>Truncated files</h2>
 * A data chunk that declares more bytes than the file holds (a recording that was cut off, or a writer that never
 * patched the size) is read up to the end of the file and the whole frames found there are returned; a warning is
 * logged. Only when not a single frame is present is that an error ({@link WavFormatException}: "… is truncated:
 * the data chunk declares 32000 bytes but only 0 are present"). A partial frame at the very end is dropped.
 *
 * <h2>Writing</h2>
 * {@link #write(Path, PcmAudio)} and {@link #toWavBytes(PcmAudio)} produce the canonical 44-byte-header PCM16 mono
 * file; for streaming output use {@link WavWriter}.
 */
public final class WavFile {

    private static final Logger log = LoggerFactory.getLogger(WavFile.class);

    /** What the reader supports, as appended to "unsupported encoding" messages. */
    static final String SUPPORTED = "Parley reads PCM 8/16/24/32-bit, IEEE float 32/64-bit, A-law and mu-law";

    /** Size of the canonical header written by {@link #toWavBytes} and {@link WavWriter}. */
    /** The size of the canonical header {@link #header} writes. */
    public static final int HEADER_BYTES = 44;

    private static final int TAG_PCM = 0x0001;
    private static final int TAG_FLOAT = 0x0003;
    private static final int TAG_ALAW = 0x0006;
    private static final int TAG_MULAW = 0x0007;
    private static final int TAG_EXTENSIBLE = 0xFFFE;
    private static final long UNKNOWN_SIZE = 0xFFFF_FFFFL;
    /** Largest array the JVM reliably allocates. */
    private static final int MAX_SAMPLES = Integer.MAX_VALUE - 16;

    private static final short[] ALAW = new short[256];
    private static final short[] MULAW = new short[256];

    static {
        for (int i = 0; i < 256; i++) {
            ALAW[i] = alawToLinear(i);
            MULAW[i] = mulawToLinear(i);
        }
    }

    private WavFile() {
    }

    // ------------------------------------------------------------------ reading

    /**
     * Reads a WAV file as mono PCM16 at its original rate.
     *
     * @throws WavFormatException if the file is empty, not a WAV file, damaged or uses an unsupported encoding
     * @throws IOException        if it cannot be read at all
     */
    public static PcmAudio read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString(), Files.size(file));
        }
    }

    /**
     * Reads a WAV stream as mono PCM16 at its original rate. The stream is read up to the end of the data chunk
     * (or to its end) but not closed.
     *
     * @param name how to call the source in error messages, e.g. its file name
     */
    public static PcmAudio read(InputStream in, String name) throws IOException {
        return read(in, name, -1);
    }

    private static PcmAudio read(InputStream in, String name, long size) throws IOException {
        byte[] head = in.readNBytes(12);
        if (head.length == 0) throw new WavFormatException(name + " is empty");
        String magic = head.length >= 4 ? ascii(head, 0) : "";
        if (magic.equals("RIFX") && head.length == 12 && ascii(head, 8).equals("WAVE")) {
            throw new WavFormatException(name + " is a big-endian (RIFX) WAV file, which Parley does not read");
        }
        boolean rf64 = magic.equals("RF64");
        if (head.length < 12 || !(magic.equals("RIFF") || rf64) || !ascii(head, 8).equals("WAVE")) {
            throw new WavFormatException(name + " is not a WAV file (no RIFF/WAVE header)");
        }
        long position = 12;
        Format format = null;
        long ds64DataSize = -1;
        byte[] earlyData = null; // a data chunk met before the fmt chunk
        long earlyDeclared = 0;
        while (true) {
            byte[] header = in.readNBytes(8);
            if (header.length < 8) break;
            position += 8;
            String id = ascii(header, 0);
            long chunkSize = u32(header, 4);
            switch (id) {
                case "fmt " -> {
                    if (chunkSize < 16) {
                        throw new WavFormatException(name + " has a damaged fmt chunk (" + chunkSize + " bytes)");
                    }
                    byte[] body = in.readNBytes((int) Math.min(chunkSize, 4096));
                    if (body.length < 16) throw new WavFormatException(name + " is truncated inside its fmt chunk");
                    position += body.length + skip(in, chunkSize - body.length + (chunkSize & 1));
                    format = Format.parse(body, name);
                    if (earlyData != null) {
                        return decodeBuffered(earlyData, earlyDeclared, format, name);
                    }
                }
                case "ds64" -> {
                    byte[] body = in.readNBytes((int) Math.min(chunkSize, 4096));
                    if (rf64 && body.length >= 16) ds64DataSize = u64(body, 8);
                    position += body.length + skip(in, chunkSize - body.length + (chunkSize & 1));
                }
                case "data" -> {
                    long declared = chunkSize;
                    if (rf64 && chunkSize == UNKNOWN_SIZE && ds64DataSize >= 0) declared = ds64DataSize;
                    else if (chunkSize == 0 || chunkSize == UNKNOWN_SIZE) declared = -1; // streamed: to the end
                    if (format != null) {
                        long remaining = size >= 0 ? size - position : -1;
                        return decodeStream(in, format, declared, remaining, name);
                    }
                    if (declared < 0 || declared > MAX_SAMPLES) {
                        throw new WavFormatException(name + " has its data before its fmt chunk, so its encoding is unknown");
                    }
                    earlyData = in.readNBytes((int) declared);
                    earlyDeclared = declared;
                    position += earlyData.length + skip(in, declared & 1);
                }
                default -> position += skip(in, chunkSize + (chunkSize & 1));
            }
        }
        if (earlyData != null) {
            throw new WavFormatException(name + " has no fmt chunk, so its encoding is unknown");
        }
        if (format == null) throw new WavFormatException(name + " has no audio (neither a fmt nor a data chunk)");
        throw new WavFormatException(name + " has no audio (no data chunk)");
    }

    /** Decodes the data chunk straight from the stream, block by block. */
    private static PcmAudio decodeStream(InputStream in, Format format, long declared, long remaining, String name)
            throws IOException {
        int frame = format.blockAlign;
        long limit = declared < 0 ? Long.MAX_VALUE : declared;
        long expected = declared < 0 ? (remaining >= 0 ? remaining : 0) : declared;
        if (remaining >= 0) expected = Math.min(expected, remaining);
        short[] out = new short[(int) Math.min(MAX_SAMPLES, Math.max(1024, expected / frame))];
        byte[] buf = new byte[frame * Math.max(1, 65_536 / frame)];
        int n = 0;
        long read = 0;
        while (read < limit) {
            int want = (int) Math.min(buf.length, limit - read);
            int got = in.readNBytes(buf, 0, want);
            read += got;
            int frames = got / frame;
            if (n + (long) frames > out.length) {
                if (n + (long) frames > MAX_SAMPLES) {
                    throw new WavFormatException(name + " is too long: Parley reads at most " + MAX_SAMPLES + " samples at once");
                }
                out = Arrays.copyOf(out, (int) Math.min(MAX_SAMPLES, Math.max(n + (long) frames, 2L * out.length)));
            }
            format.decode(buf, 0, frames, out, n);
            n += frames;
            if (got < want) break; // end of the stream
        }
        checkTruncation(name, declared, read, n);
        return new PcmAudio(n == out.length ? out : Arrays.copyOf(out, n), format.sampleRate);
    }

    /** Decodes a data chunk that was buffered because it came before the fmt chunk. */
    private static PcmAudio decodeBuffered(byte[] data, long declared, Format format, String name) throws IOException {
        int frames = data.length / format.blockAlign;
        short[] out = new short[frames];
        format.decode(data, 0, frames, out, 0);
        checkTruncation(name, declared, data.length, frames);
        return new PcmAudio(out, format.sampleRate);
    }

    private static void checkTruncation(String name, long declared, long present, int frames) throws WavFormatException {
        if (declared < 0 || present >= declared) return;
        String what = name + " is truncated: the data chunk declares " + declared + " bytes but only " + present
                + " are present";
        if (frames == 0) throw new WavFormatException(what);
        log.warn("{}; reading the {} samples that are there", what, frames);
    }

    // ------------------------------------------------------------------ writing

    /** Writes {@code audio} as a canonical PCM16 mono WAV file (44-byte header), replacing any existing file. */
    public static void write(Path file, PcmAudio audio) throws IOException {
        Files.write(file, toWavBytes(audio));
    }

    /** The bytes of a canonical PCM16 mono WAV file holding {@code audio}. */
    public static byte[] toWavBytes(PcmAudio audio) {
        short[] s = audio.samples();
        if (s.length > (Integer.MAX_VALUE - HEADER_BYTES) / 2) {
            throw new IllegalArgumentException(audio + " is too long for one byte array; use WavWriter");
        }
        byte[] out = new byte[HEADER_BYTES + 2 * s.length];
        writeHeader(out, audio.sampleRate(), 2L * s.length);
        for (int i = 0, p = HEADER_BYTES; i < s.length; i++, p += 2) {
            out[p] = (byte) s[i];
            out[p + 1] = (byte) (s[i] >> 8);
        }
        return out;
    }

    /**
     * Fills the first 44 bytes of {@code out} with a PCM16 mono header. Sizes that do not fit RIFF's 32-bit fields
     * are written as 0xFFFFFFFF ("unknown, read to the end").
     */
    /**
     * The canonical 44-byte header of a PCM16 mono WAV file with {@code dataBytes} of audio at {@code sampleRate}, for
     * a file put together elsewhere (an upload whose audio follows it).
     */
    public static byte[] header(int sampleRate, long dataBytes) {
        byte[] out = new byte[HEADER_BYTES];
        writeHeader(out, sampleRate, dataBytes);
        return out;
    }

    static void writeHeader(byte[] out, int sampleRate, long dataBytes) {
        long riffSize = dataBytes + HEADER_BYTES - 8;
        putAscii(out, 0, "RIFF");
        putU32(out, 4, riffSize > UNKNOWN_SIZE ? UNKNOWN_SIZE : riffSize);
        putAscii(out, 8, "WAVE");
        putAscii(out, 12, "fmt ");
        putU32(out, 16, 16);
        putU16(out, 20, TAG_PCM);
        putU16(out, 22, 1);
        putU32(out, 24, sampleRate);
        putU32(out, 28, 2L * sampleRate);
        putU16(out, 32, 2);
        putU16(out, 34, 16);
        putAscii(out, 36, "data");
        putU32(out, 40, dataBytes >= UNKNOWN_SIZE ? UNKNOWN_SIZE : dataBytes);
    }

    // ------------------------------------------------------------------ format

    private enum Encoding { U8, S16, S24, S32, F32, F64, ALAW, MULAW }

    /** The parts of a fmt chunk the decoder needs. */
    private record Format(Encoding encoding, int channels, int sampleRate, int blockAlign) {

        static Format parse(byte[] b, String name) throws WavFormatException {
            int tag = u16(b, 0);
            int channels = u16(b, 2);
            long rate = u32(b, 4);
            int blockAlign = u16(b, 12);
            int bits = u16(b, 14);
            int effectiveTag = tag;
            if (tag == TAG_EXTENSIBLE) {
                // cbSize(2) validBits(2) channelMask(4) GUID(16): the GUID starts with the real format tag
                if (b.length < 40 || u16(b, 16) < 22) {
                    throw new WavFormatException(name + " has a damaged WAVE_FORMAT_EXTENSIBLE fmt chunk");
                }
                effectiveTag = u16(b, 24);
            }
            int sampleBytes = (bits + 7) / 8;
            Encoding encoding = switch (effectiveTag) {
                case TAG_PCM -> switch (sampleBytes) {
                    case 1 -> Encoding.U8;
                    case 2 -> Encoding.S16;
                    case 3 -> Encoding.S24;
                    case 4 -> Encoding.S32;
                    default -> throw unsupportedSize(name, "PCM", bits);
                };
                case TAG_FLOAT -> switch (bits) {
                    case 32 -> Encoding.F32;
                    case 64 -> Encoding.F64;
                    default -> throw unsupportedSize(name, "IEEE float", bits);
                };
                case TAG_ALAW -> Encoding.ALAW;
                case TAG_MULAW -> Encoding.MULAW;
                default -> throw new WavFormatException(name + " uses an unsupported encoding (format tag "
                        + hexTag(effectiveTag) + tagName(effectiveTag) + "); " + SUPPORTED);
            };
            if (encoding == Encoding.ALAW || encoding == Encoding.MULAW) sampleBytes = 1;
            if (channels == 0) throw new WavFormatException(name + " is damaged: its fmt chunk declares 0 channels");
            if (rate == 0) throw new WavFormatException(name + " is damaged: its fmt chunk declares a sample rate of 0 Hz");
            if (rate > Integer.MAX_VALUE) {
                throw new WavFormatException(name + " is damaged: its fmt chunk declares a sample rate of " + rate + " Hz");
            }
            if (blockAlign == 0) {
                throw new WavFormatException(name + " is damaged: its fmt chunk declares a block alignment of 0 bytes");
            }
            if (blockAlign < channels * sampleBytes) {
                throw new WavFormatException(name + " is damaged: its fmt chunk declares " + channels + " channels of "
                        + sampleBytes + "-byte samples but blocks of only " + blockAlign + " bytes");
            }
            return new Format(encoding, channels, (int) rate, blockAlign);
        }

        /** Decodes {@code frames} frames starting at {@code off} into mono samples at {@code out[pos..]}. */
        void decode(byte[] b, int off, int frames, short[] out, int pos) {
            if (channels == 1 && encoding == Encoding.S16) { // the common case, bit-exact and fast
                for (int f = 0, p = off; f < frames; f++, p += blockAlign) {
                    out[pos + f] = (short) ((b[p] & 0xff) | (b[p + 1] << 8));
                }
                return;
            }
            int width = switch (encoding) {
                case U8, ALAW, MULAW -> 1;
                case S16 -> 2;
                case S24 -> 3;
                case S32, F32 -> 4;
                case F64 -> 8;
            };
            for (int f = 0, frame = off; f < frames; f++, frame += blockAlign) {
                double sum = 0;
                for (int c = 0, p = frame; c < channels; c++, p += width) {
                    sum += switch (encoding) {
                        case U8 -> ((b[p] & 0xff) - 128) * 256.0;
                        case S16 -> (short) ((b[p] & 0xff) | (b[p + 1] << 8));
                        case S24 -> ((b[p] & 0xff) | (b[p + 1] & 0xff) << 8 | b[p + 2] << 16) / 256.0;
                        case S32 -> s32(b, p) / 65_536.0;
                        case F32 -> fromFloat(Float.intBitsToFloat(s32(b, p)));
                        case F64 -> fromFloat(Double.longBitsToDouble(u32(b, p) | (long) s32(b, p + 4) << 32));
                        case ALAW -> ALAW[b[p] & 0xff];
                        case MULAW -> MULAW[b[p] & 0xff];
                    };
                }
                out[pos + f] = roundClamp(channels == 1 ? sum : sum / channels);
            }
        }
    }

    private static double fromFloat(double v) {
        if (Double.isNaN(v)) return 0;
        return Math.max(-1.0, Math.min(1.0, v)) * 32767.0;
    }

    /** Rounds to nearest, ties away from zero, and clamps to the {@code short} range. */
    private static short roundClamp(double v) {
        long r = v >= 0 ? (long) (v + 0.5) : -(long) (-v + 0.5);
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, r));
    }

    private static WavFormatException unsupportedSize(String name, String kind, int bits) {
        return new WavFormatException(name + " uses an unsupported sample size (" + kind + " " + bits + "-bit); "
                + SUPPORTED);
    }

    private static String hexTag(int tag) {
        return String.format(Locale.ROOT, "0x%04X", tag);
    }

    private static String tagName(int tag) {
        String n = switch (tag) {
            case 0x0002 -> "Microsoft ADPCM";
            case 0x0011 -> "IMA ADPCM";
            case 0x0022 -> "DSP Group TrueSpeech";
            case 0x0031 -> "GSM 6.10";
            case 0x0040 -> "G.721 ADPCM";
            case 0x0050 -> "MPEG-1";
            case 0x0055 -> "MPEG";
            case 0x0092 -> "Dolby AC-3";
            case 0x00FF, 0x1610 -> "AAC";
            case 0x0161, 0x0162, 0x0163 -> "Windows Media Audio";
            case 0x6750 -> "Ogg Vorbis";
            case 0xF1AC -> "FLAC";
            default -> null;
        };
        return n == null ? "" : ", " + n;
    }

    // ------------------------------------------------------------------ G.711 (after the public-domain Sun g711.c)

    static short alawToLinear(int code) {
        int a = (code ^ 0x55) & 0xff;
        int t = (a & 0x0f) << 4;
        int seg = (a & 0x70) >> 4;
        switch (seg) {
            case 0 -> t += 8;
            case 1 -> t += 0x108;
            default -> t = (t + 0x108) << (seg - 1);
        }
        return (short) ((a & 0x80) != 0 ? t : -t);
    }

    static short mulawToLinear(int code) {
        int u = ~code & 0xff;
        int t = ((u & 0x0f) << 3) + 0x84;
        t <<= (u & 0x70) >> 4;
        return (short) ((u & 0x80) != 0 ? 0x84 - t : t - 0x84);
    }

    // ------------------------------------------------------------------ little-endian helpers

    private static long skip(InputStream in, long n) throws IOException {
        long done = 0;
        while (done < n) {
            long s = in.skip(n - done);
            if (s <= 0) {
                if (in.read() < 0) break; // end of stream
                s = 1;
            }
            done += s;
        }
        return done;
    }

    private static String ascii(byte[] b, int off) {
        return new String(b, off, 4, StandardCharsets.ISO_8859_1);
    }

    private static int u16(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
    }

    private static int s32(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | b[off + 3] << 24;
    }

    private static long u32(byte[] b, int off) {
        return s32(b, off) & 0xFFFF_FFFFL;
    }

    private static long u64(byte[] b, int off) {
        return u32(b, off) | (long) s32(b, off + 4) << 32;
    }

    private static void putAscii(byte[] b, int off, String s) {
        for (int i = 0; i < 4; i++) b[off + i] = (byte) s.charAt(i);
    }

    private static void putU16(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >> 8);
    }

    private static void putU32(byte[] b, int off, long v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >> 8);
        b[off + 2] = (byte) (v >> 16);
        b[off + 3] = (byte) (v >> 24);
    }
}

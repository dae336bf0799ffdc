package dev.parley.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavFileTest {

    @TempDir
    Path dir;

    // ------------------------------------------------------------------ a builder for RIFF bytes of any format

    /** Builds WAV files byte by byte, so every field (and every mistake) is under the test's control. */
    static final class Riff {
        static final int PCM = 1, FLOAT = 3, ALAW = 6, MULAW = 7, EXTENSIBLE = 0xFFFE;

        /** A plain fmt chunk; block alignment and byte rate are derived from the other fields. */
        static byte[] fmt(int tag, int channels, int rate, int bits) {
            int blockAlign = channels * ((bits + 7) / 8);
            return fmt(tag, channels, rate, blockAlign, bits);
        }

        static byte[] fmt(int tag, int channels, int rate, int blockAlign, int bits) {
            return chunk("fmt ", le().u16(tag).u16(channels).u32(rate).u32((long) rate * blockAlign)
                    .u16(blockAlign).u16(bits).bytes());
        }

        /** A WAVE_FORMAT_EXTENSIBLE fmt chunk whose sub-format GUID starts with {@code subTag}. */
        static byte[] fmtExtensible(int subTag, int channels, int rate, int containerBits, int validBits) {
            int blockAlign = channels * containerBits / 8;
            return chunk("fmt ", le().u16(EXTENSIBLE).u16(channels).u32(rate).u32((long) rate * blockAlign)
                    .u16(blockAlign).u16(containerBits).u16(22).u16(validBits).u32(channels == 2 ? 3 : 4)
                    // KSDATAFORMAT_SUBTYPE_xxx: {0000tttt-0000-0010-8000-00aa00389b71}
                    .u16(subTag).u16(0).u16(0).u16(0x10).raw(0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71).bytes());
        }

        /** A chunk with its real size, plus the pad byte after an odd-sized body. */
        static byte[] chunk(String id, byte[] body) {
            return chunk(id, body.length, body);
        }

        /** A chunk that declares {@code declaredSize} whatever its body holds (no pad byte added). */
        static byte[] chunk(String id, long declaredSize, byte[] body) {
            Le le = le().ascii(id).u32(declaredSize).raw(body);
            if (declaredSize == body.length && (body.length & 1) == 1) le.raw(0);
            return le.bytes();
        }

        static byte[] riff(byte[]... chunks) {
            return container("RIFF", chunks);
        }

        static byte[] container(String magic, byte[]... chunks) {
            Le body = le().ascii("WAVE");
            for (byte[] c : chunks) body.raw(c);
            byte[] b = body.bytes();
            return le().ascii(magic).u32(b.length).raw(b).bytes();
        }

        static Le le() {
            return new Le();
        }
    }

    /** Little-endian byte writer. */
    static final class Le {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Le raw(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        Le raw(int... bytes) {
            for (int b : bytes) out.write(b);
            return this;
        }

        Le ascii(String s) {
            return raw(s.getBytes(StandardCharsets.ISO_8859_1));
        }

        Le u16(int v) {
            return raw(v & 0xff, (v >> 8) & 0xff);
        }

        Le s16(int... vs) {
            for (int v : vs) u16(v);
            return this;
        }

        Le s24(int... vs) {
            for (int v : vs) raw(v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff);
            return this;
        }

        Le u32(long v) {
            return raw((int) v & 0xff, (int) (v >> 8) & 0xff, (int) (v >> 16) & 0xff, (int) (v >> 24) & 0xff);
        }

        Le s32(int... vs) {
            for (int v : vs) u32(v);
            return this;
        }

        Le u64(long v) {
            return u32(v).u32(v >>> 32);
        }

        Le f32(float... vs) {
            for (float v : vs) s32(Float.floatToRawIntBits(v));
            return this;
        }

        Le f64(double... vs) {
            for (double v : vs) u64(Double.doubleToRawLongBits(v));
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    private static PcmAudio read(byte[] wav) throws IOException {
        return WavFile.read(new ByteArrayInputStream(wav), "test.wav");
    }

    private Path file(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    // ------------------------------------------------------------------ encodings

    @Test
    void pcm16MonoIsReadBitExact() throws IOException {
        short[] s = {0, 1, -1, 32767, -32768, 12345, -12345};
        PcmAudio a = read(Riff.riff(Riff.fmt(Riff.PCM, 1, 16000, 16), Riff.chunk("data", Riff.le().s16(
                0, 1, -1, 32767, -32768, 12345, -12345).bytes())));
        assertThat(a).isEqualTo(new PcmAudio(s, 16000));
    }

    @Test
    void pcm8IsUnsignedAroundMidScale() throws IOException {
        PcmAudio a = read(Riff.riff(Riff.fmt(Riff.PCM, 1, 8000, 8),
                Riff.chunk("data", Riff.le().raw(128, 0, 255, 129, 127).bytes())));
        assertThat(a.samples()).containsExactly(0, -32768, 32512, 256, -256);
        assertThat(a.sampleRate()).isEqualTo(8000);
    }

    @Test
    void pcm24IsRoundedToSixteenBits() throws IOException {
        PcmAudio a = read(Riff.riff(Riff.fmt(Riff.PCM, 1, 16000, 24), Riff.chunk("data", Riff.le().s24(
                0, 0x7FFFFF, -0x800000, 0x000100, 0x000080, -0x80, 0x123456, -0x123456, 0x00007F).bytes())));
        // 0x123456 / 256 = 4660.34; 0x80 / 256 = 0.5 rounds away from zero
        assertThat(a.samples()).containsExactly(0, 32767, -32768, 1, 1, -1, 4660, -4660, 0);
    }

    @Test
    void pcm32IsRoundedToSixteenBits() throws IOException {
        PcmAudio a = read(Riff.riff(Riff.fmt(Riff.PCM, 1, 16000, 32), Riff.chunk("data", Riff.le().s32(
                0, Integer.MAX_VALUE, Integer.MIN_VALUE, 0x10000, 0x8000, -0x8000, 0x12345678).bytes())));
        assertThat(a.samples()).containsExactly(0, 32767, -32768, 1, 1, -1, 0x1234); // 0x12345678 / 65536 = 4660.34
    }

    @Test
    void float32IsClippedScaledAndRounded() throws IOException {
        PcmAudio a = read(Riff.riff(Riff.fmt(Riff.FLOAT, 1, 48000, 32), Riff.chunk("fact", Riff.le().u32(9).bytes()),
                Riff.chunk("data", Riff.le().f32(0f, 0.5f, -0.5f, 1f, -1f, 2.5f, -3f, 0.25f, Float.NaN).bytes())));
        // 0.5 · 32767 = 16383.5 → 16384 (ties away from zero), symmetric for negative values
        assertThat(a.samples()).containsExactly(0, 16384, -16384, 32767, -32767, 32767, -32767, 8192, 0);
    }

    @Test
    void float64IsClippedScaledAndRounded() throws IOException {
        PcmAudio a = read(Riff.riff(Riff.fmt(Riff.FLOAT, 1, 44100, 64),
                Riff.chunk("data", Riff.le().f64(0, 0.5, -0.5, 1, -1, 1e9, -1e9, 1.0 / 32767).bytes())));
        assertThat(a.samples()).containsExactly(0, 16384, -16384, 32767, -32767, 32767, -32767, 1);
        assertThat(a.sampleRate()).isEqualTo(44100);
    }

    @Test
    void aLawUsesTheG711Table() throws IOException {
        PcmAudio a = read(Riff.riff(Riff.fmt(Riff.ALAW, 1, 8000, 8),
                Riff.chunk("data", Riff.le().raw(0xD5, 0x55, 0xAA, 0x2A, 0xD4).bytes())));
        assertThat(a.samples()).containsExactly(8, -8, 32256, -32256, 24);
        // the table is odd-symmetric (sign bit 0x80) and monotonic within each sign
        for (int code = 0; code < 128; code++) {
            assertThat(WavFile.alawToLinear(code ^ 0x80)).isEqualTo((short) -WavFile.alawToLinear(code));
        }
    }

    @Test
    void muLawUsesTheG711Table() throws IOException {
        PcmAudio a = read(Riff.riff(Riff.fmt(Riff.MULAW, 1, 8000, 8),
                Riff.chunk("data", Riff.le().raw(0xFF, 0x7F, 0x00, 0x80, 0xFE, 0xF0).bytes())));
        assertThat(a.samples()).containsExactly(0, 0, -32124, 32124, 8, 120);
        for (int code = 0x80; code < 0xFF; code++) {
            assertThat(WavFile.mulawToLinear(code)).isGreaterThan(WavFile.mulawToLinear(code + 1));
        }
    }

    @Test
    void stereoIsAveragedToMono() throws IOException {
        PcmAudio a = read(Riff.riff(Riff.fmt(Riff.PCM, 2, 16000, 16), Riff.chunk("data", Riff.le().s16(
                100, 300, 1, 2, -1, -2, 32767, 32767, -32768, -32768, 32767, -32768, 1000, -1000).bytes())));
        assertThat(a.samples()).containsExactly(200, 2, -2, 32767, -32768, -1, 0);
    }

    @Test
    void eightKilohertzStereo() throws IOException {
        short[] left = new short[8000], right = new short[8000];
        Le data = Riff.le();
        for (int i = 0; i < 8000; i++) {
            left[i] = (short) (10_000 * Math.sin(2 * Math.PI * 440 * i / 8000.0));
            right[i] = (short) (i % 200 - 100);
            data.s16(left[i], right[i]);
        }
        PcmAudio a = read(Riff.riff(Riff.fmt(Riff.PCM, 2, 8000, 16), Riff.chunk("data", data.bytes())));
        assertThat(a.sampleRate()).isEqualTo(8000);
        assertThat(a.length()).isEqualTo(8000);
        assertThat(a.durationSeconds()).isEqualTo(1.0);
        for (int i = 0; i < 8000; i++) {
            double mean = (left[i] + right[i]) / 2.0;
            assertThat((double) a.samples()[i]).isCloseTo(mean, org.assertj.core.data.Offset.offset(0.5));
        }
    }

    @Test
    void sixChannelsAreAveraged() throws IOException {
        PcmAudio a = read(Riff.riff(Riff.fmt(Riff.PCM, 6, 48000, 24),
                Riff.chunk("data", Riff.le().s24(600 << 8, 0, 0, 0, 0, 0, 60 << 8, 60 << 8, 60 << 8, 60 << 8, 60 << 8, 60 << 8)
                        .bytes())));
        assertThat(a.samples()).containsExactly(100, 60);
    }

    @Test
    void fortyEightKilohertzFloat() throws IOException {
        float[] f = new float[4800];
        Le data = Riff.le();
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) (0.8 * Math.sin(2 * Math.PI * 1000 * i / 48000.0));
            data.f32(f[i]);
        }
        PcmAudio a = WavFile.read(file("float48k.wav",
                Riff.riff(Riff.fmt(Riff.FLOAT, 1, 48000, 32), Riff.chunk("data", data.bytes()))));
        assertThat(a.sampleRate()).isEqualTo(48000);
        assertThat(a.length()).isEqualTo(4800);
        for (int i = 0; i < f.length; i++) assertThat(a.samples()[i]).isEqualTo((short) Math.round(f[i] * 32767.0));
    }

    @Test
    void extensibleFormatsUseTheSubFormat() throws IOException {
        PcmAudio pcm24 = read(Riff.riff(Riff.fmtExtensible(Riff.PCM, 2, 96000, 24, 24),
                Riff.chunk("data", Riff.le().s24(1000 << 8, 3000 << 8, -5 << 8, -7 << 8).bytes())));
        assertThat(pcm24).isEqualTo(new PcmAudio(new short[] {2000, -6}, 96000));

        PcmAudio float32 = read(Riff.riff(Riff.fmtExtensible(Riff.FLOAT, 1, 48000, 32, 32),
                Riff.chunk("data", Riff.le().f32(0.5f, -0.25f).bytes())));
        assertThat(float32.samples()).containsExactly(16384, -8192);

        // 24 valid bits, left-justified in a 32-bit container
        PcmAudio pcm24in32 = read(Riff.riff(Riff.fmtExtensible(Riff.PCM, 1, 48000, 32, 24),
                Riff.chunk("data", Riff.le().s32(0x12345600, -0x100).bytes())));
        assertThat(pcm24in32.samples()).containsExactly(0x1234, 0);

        PcmAudio mulaw = read(Riff.riff(Riff.fmtExtensible(Riff.MULAW, 1, 8000, 8, 8),
                Riff.chunk("data", Riff.le().raw(0x80).bytes())));
        assertThat(mulaw.samples()).containsExactly(32124);
    }

    // ------------------------------------------------------------------ structure

    @Test
    void unknownChunksAreSkippedRespectingThePadByte() throws IOException {
        byte[] odd = "abc".getBytes(StandardCharsets.US_ASCII); // 3 bytes + 1 pad byte
        PcmAudio a = read(Riff.riff(
                Riff.chunk("JUNK", new byte[5]),
                Riff.fmt(Riff.PCM, 1, 16000, 16),
                Riff.chunk("LIST", odd),
                Riff.chunk("fact", Riff.le().u32(3).bytes()),
                Riff.chunk("data", Riff.le().s16(7, 8, 9).bytes()),
                Riff.chunk("LIST", Riff.le().s16(1111, 2222, 3333).bytes())));
        assertThat(a.samples()).containsExactly(7, 8, 9);
    }

    @Test
    void dataBeforeFmtIsStillDecoded() throws IOException {
        PcmAudio a = read(Riff.riff(Riff.chunk("data", Riff.le().raw(128, 255, 0).bytes()), Riff.fmt(Riff.PCM, 1, 11025, 8)));
        assertThat(a).isEqualTo(new PcmAudio(new short[] {0, 32512, -32768}, 11025));
    }

    @Test
    void streamedDataSizeMeansToTheEndOfTheFile() throws IOException {
        byte[] samples = Riff.le().s16(1, 2, 3, 4, 5).bytes();
        for (long declared : new long[] {0xFFFF_FFFFL, 0}) {
            byte[] wav = Riff.riff(Riff.fmt(Riff.PCM, 1, 16000, 16), Riff.chunk("data", declared, samples));
            // streaming writers also leave the RIFF size unknown
            wav[4] = wav[5] = wav[6] = wav[7] = (byte) 0xFF;
            assertThat(read(wav).samples()).as("declared %x", declared).containsExactly(1, 2, 3, 4, 5);
            assertThat(WavFile.read(file("streamed.wav", wav)).samples()).containsExactly(1, 2, 3, 4, 5);
        }
    }

    @Test
    void rf64TakesTheDataSizeFromDs64() throws IOException {
        byte[] samples = Riff.le().s16(10, 20, 30).bytes();
        byte[] wav = Riff.container("RF64",
                Riff.chunk("ds64", Riff.le().u64(0).u64(samples.length).u64(3).u32(0).bytes()),
                Riff.fmt(Riff.PCM, 1, 16000, 16),
                Riff.chunk("data", 0xFFFF_FFFFL, samples),
                Riff.chunk("LIST", Riff.le().s16(99, 99).bytes()));
        assertThat(read(wav).samples()).containsExactly(10, 20, 30);
    }

    @Test
    void truncatedDataIsReadAsFarAsItGoes() throws IOException {
        byte[] present = Riff.le().s16(new int[600]).bytes();
        byte[] wav = Riff.riff(Riff.fmt(Riff.PCM, 1, 16000, 16), Riff.chunk("data", 32000, present));
        assertThat(WavFile.read(file("cut.wav", wav)).length()).isEqualTo(600);
        assertThat(read(wav).length()).isEqualTo(600);

        // a half frame at the end is dropped
        byte[] odd = Riff.riff(Riff.fmt(Riff.PCM, 2, 16000, 16), Riff.chunk("data", 32000, Riff.le().s16(4, 6, 8).bytes()));
        assertThat(read(odd).samples()).containsExactly(5);
    }

    @Test
    void truncatedWithoutAnyAudioIsAnError() throws IOException {
        Path p = file("in.wav", Riff.riff(Riff.fmt(Riff.PCM, 1, 16000, 16), Riff.chunk("data", 32000, new byte[0])));
        assertThatThrownBy(() -> WavFile.read(p))
                .isInstanceOf(WavFormatException.class)
                .hasMessage(p + " is truncated: the data chunk declares 32000 bytes but only 0 are present");

        byte[] oneByte = Riff.riff(Riff.fmt(Riff.PCM, 1, 16000, 16), Riff.chunk("data", 32000, new byte[] {1}));
        assertThatThrownBy(() -> read(oneByte))
                .isInstanceOf(WavFormatException.class)
                .hasMessage("test.wav is truncated: the data chunk declares 32000 bytes but only 1 are present");
    }

    @Test
    void aTextFileIsNotAWavFile() throws IOException {
        Path p = file("notes.txt", "hello, this is not audio\n".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> WavFile.read(p))
                .isInstanceOf(WavFormatException.class)
                .hasMessage(p + " is not a WAV file (no RIFF/WAVE header)");
        assertThatThrownBy(() -> read("RIFF".getBytes(StandardCharsets.US_ASCII)))
                .hasMessage("test.wav is not a WAV file (no RIFF/WAVE header)");
        assertThatThrownBy(() -> read(Riff.container("RIFF")).length())
                .isInstanceOf(WavFormatException.class)
                .hasMessage("test.wav has no audio (neither a fmt nor a data chunk)");
    }

    @Test
    void anEmptyFileSaysSo() throws IOException {
        Path p = file("in.wav", new byte[0]);
        assertThatThrownBy(() -> WavFile.read(p)).isInstanceOf(WavFormatException.class).hasMessage(p + " is empty");
    }

    @Test
    void aHeaderWithoutDataChunkHasNoAudio() throws IOException {
        byte[] wav = Riff.riff(Riff.fmt(Riff.PCM, 1, 16000, 16), Riff.chunk("LIST", new byte[10]));
        assertThatThrownBy(() -> read(wav))
                .isInstanceOf(WavFormatException.class)
                .hasMessage("test.wav has no audio (no data chunk)");
        byte[] noFmt = Riff.riff(Riff.chunk("data", Riff.le().s16(1, 2).bytes()));
        assertThatThrownBy(() -> read(noFmt)).hasMessage("test.wav has no fmt chunk, so its encoding is unknown");
    }

    @Test
    void anEmptyDataChunkIsAnEmptyClip() throws IOException {
        PcmAudio a = read(Riff.riff(Riff.fmt(Riff.PCM, 1, 22050, 16), Riff.chunk("data", new byte[0])));
        assertThat(a.isEmpty()).isTrue();
        assertThat(a.sampleRate()).isEqualTo(22050);
    }

    @Test
    void unsupportedEncodingsAreNamed() {
        byte[] mp3 = Riff.riff(Riff.fmt(0x0055, 2, 44100, 4, 0), Riff.chunk("data", new byte[100]));
        assertThatThrownBy(() -> WavFile.read(new ByteArrayInputStream(mp3), "in.wav"))
                .isInstanceOf(WavFormatException.class)
                .hasMessage("in.wav uses an unsupported encoding (format tag 0x0055, MPEG); "
                        + "Parley reads PCM 8/16/24/32-bit, IEEE float 32/64-bit, A-law and mu-law");
        byte[] adpcm = Riff.riff(Riff.fmtExtensible(0x0002, 1, 8000, 4, 4), Riff.chunk("data", new byte[100]));
        assertThatThrownBy(() -> read(adpcm)).hasMessageStartingWith(
                "test.wav uses an unsupported encoding (format tag 0x0002, Microsoft ADPCM)");
        byte[] unknown = Riff.riff(Riff.fmt(0x4321, 1, 8000, 16), Riff.chunk("data", new byte[100]));
        assertThatThrownBy(() -> read(unknown)).hasMessageStartingWith(
                "test.wav uses an unsupported encoding (format tag 0x4321); Parley reads");
        byte[] float16 = Riff.riff(Riff.fmt(Riff.FLOAT, 1, 8000, 16), Riff.chunk("data", new byte[100]));
        assertThatThrownBy(() -> read(float16)).hasMessageStartingWith(
                "test.wav uses an unsupported sample size (IEEE float 16-bit)");
        byte[] pcm48 = Riff.riff(Riff.fmt(Riff.PCM, 1, 8000, 48), Riff.chunk("data", new byte[96]));
        assertThatThrownBy(() -> read(pcm48)).hasMessageStartingWith("test.wav uses an unsupported sample size (PCM 48-bit)");
        byte[] rifx = Riff.container("RIFX", Riff.fmt(Riff.PCM, 1, 8000, 16));
        assertThatThrownBy(() -> read(rifx)).hasMessageContaining("big-endian");
    }

    @Test
    void impossibleFormatsAreRejected() {
        byte[] noChannels = Riff.riff(Riff.fmt(Riff.PCM, 0, 16000, 2, 16), Riff.chunk("data", new byte[4]));
        byte[] noRate = Riff.riff(Riff.fmt(Riff.PCM, 1, 0, 2, 16), Riff.chunk("data", new byte[4]));
        byte[] noBlock = Riff.riff(Riff.fmt(Riff.PCM, 1, 16000, 0, 16), Riff.chunk("data", new byte[4]));
        byte[] smallBlock = Riff.riff(Riff.fmt(Riff.PCM, 2, 16000, 2, 16), Riff.chunk("data", new byte[4]));
        byte[] shortFmt = Riff.riff(Riff.chunk("fmt ", new byte[8]), Riff.chunk("data", new byte[4]));
        assertThatThrownBy(() -> read(noChannels)).isInstanceOf(WavFormatException.class).hasMessageContaining("0 channels");
        assertThatThrownBy(() -> read(noRate)).isInstanceOf(WavFormatException.class).hasMessageContaining("0 Hz");
        assertThatThrownBy(() -> read(noBlock)).isInstanceOf(WavFormatException.class).hasMessageContaining("block alignment of 0");
        assertThatThrownBy(() -> read(smallBlock)).isInstanceOf(WavFormatException.class).hasMessageContaining("blocks of only 2 bytes");
        assertThatThrownBy(() -> read(shortFmt)).isInstanceOf(WavFormatException.class).hasMessageContaining("damaged fmt chunk");
        for (byte[] bad : new byte[][] {noChannels, noRate, noBlock, smallBlock, shortFmt}) {
            assertThatThrownBy(() -> read(bad)).satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
    }

    // ------------------------------------------------------------------ writing and real files

    @Test
    void writeThenReadRoundTrips() throws IOException {
        Random random = new Random(42);
        short[] s = new short[12_345];
        for (int i = 0; i < s.length; i++) s[i] = (short) random.nextInt();
        s[0] = Short.MIN_VALUE;
        s[1] = Short.MAX_VALUE;
        PcmAudio audio = new PcmAudio(s, 24000);
        Path p = dir.resolve("round.wav");
        WavFile.write(p, audio);
        assertThat(WavFile.read(p)).isEqualTo(audio);
        assertThat(Files.size(p)).isEqualTo(44 + 2L * s.length);
    }

    @Test
    void toWavBytesWritesTheCanonicalHeader() {
        byte[] b = WavFile.toWavBytes(new PcmAudio(new short[] {1, -2, 3}, 16000));
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b).hasSize(50);
        assertThat(new String(b, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
        assertThat(bb.getInt(4)).isEqualTo(42);
        assertThat(new String(b, 8, 8, StandardCharsets.US_ASCII)).isEqualTo("WAVEfmt ");
        assertThat(bb.getInt(16)).isEqualTo(16);
        assertThat(bb.getShort(20)).isEqualTo((short) 1);   // PCM
        assertThat(bb.getShort(22)).isEqualTo((short) 1);   // mono
        assertThat(bb.getInt(24)).isEqualTo(16000);
        assertThat(bb.getInt(28)).isEqualTo(32000);         // byte rate
        assertThat(bb.getShort(32)).isEqualTo((short) 2);   // block align
        assertThat(bb.getShort(34)).isEqualTo((short) 16);
        assertThat(new String(b, 36, 4, StandardCharsets.US_ASCII)).isEqualTo("data");
        assertThat(bb.getInt(40)).isEqualTo(6);
        assertThat(bb.getShort(44)).isEqualTo((short) 1);
        assertThat(bb.getShort(46)).isEqualTo((short) -2);
    }

    @Test
    void tenMinutesOfSilenceAreWrittenAndReadBack() throws IOException {
        PcmAudio silence = PcmAudio.silence(16000, 10 * 60 * 1000);
        Path p = dir.resolve("silence.wav");
        WavFile.write(p, silence);
        PcmAudio back = WavFile.read(p);
        assertThat(back.sampleRate()).isEqualTo(16000);
        assertThat(back.length()).isEqualTo(9_600_000);
        assertThat(back.durationSeconds()).isEqualTo(600.0);
        for (short v : back.samples()) {
            if (v != 0) throw new AssertionError("non-zero sample " + v);
        }
    }

    @Test
    void readsTheRealCorpusClip() throws IOException {
        String shared = System.getProperty("parley.shared");
        assertThat(shared).as("system property parley.shared (set by surefire)").isNotNull();
        Path clip = Path.of(shared, "corpus", "dev", "clips", "speech2phrase__what_time_is_it.wav");
        PcmAudio a = WavFile.read(clip);
        assertThat(a.sampleRate()).isEqualTo(16000);

        // find the data chunk's declared size independently
        byte[] bytes = Files.readAllBytes(clip);
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int pos = 12;
        long dataBytes = -1;
        while (pos + 8 <= bytes.length) {
            String id = new String(bytes, pos, 4, StandardCharsets.US_ASCII);
            long size = bb.getInt(pos + 4) & 0xFFFF_FFFFL;
            if (id.equals("fmt ")) {
                assertThat(bb.getShort(pos + 10)).as("channels").isEqualTo((short) 1);
                assertThat(bb.getShort(pos + 22)).as("bits").isEqualTo((short) 16);
            }
            if (id.equals("data")) {
                dataBytes = size;
                assertThat(a.samples()[0]).isEqualTo(bb.getShort(pos + 8));
                break;
            }
            pos += 8 + (int) size + (int) (size & 1);
        }
        assertThat(dataBytes).isPositive();
        assertThat((long) a.length()).isEqualTo(dataBytes / 2);
        assertThat(a.durationSeconds()).isBetween(0.5, 10.0);
    }
}

package dev.parley.audio;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class G711Test {
    @Test
    void knownCodesOfBothLaws() {
        // silence, and the loudest codes, as the standard's tables give them
        assertThat(G711.ulaw((short) 0) & 0xFF).isEqualTo(0xFF);
        assertThat(G711.decode(G711.Law.ULAW, (byte) 0xFF)).isEqualTo((short) 0);
        assertThat(G711.decode(G711.Law.ULAW, (byte) 0x80)).isEqualTo((short) 32124);
        assertThat(G711.decode(G711.Law.ULAW, (byte) 0x00)).isEqualTo((short) -32124);
        assertThat(G711.alaw((short) 0) & 0xFF).isEqualTo(0xD5);
        assertThat(G711.decode(G711.Law.ALAW, (byte) 0xD5)).isEqualTo((short) 8);
        assertThat(G711.decode(G711.Law.ALAW, (byte) 0x55)).isEqualTo((short) -8);
        assertThat(G711.decode(G711.Law.ALAW, (byte) 0xAA)).isEqualTo((short) 32256);
        assertThat(G711.decode(G711.Law.ALAW, (byte) 0x2A)).isEqualTo((short) -32256);
    }

    @Test
    void everyCodeSurvivesADecodeAndEncode() {
        for (G711.Law law : G711.Law.values()) {
            for (int c = 0; c < 256; c++) {
                short linear = G711.decode(law, (byte) c);
                int back = G711.encode(law, linear) & 0xFF;
                if (law == G711.Law.ULAW && c == 0x7F) assertThat(back).as("μ-law's negative zero").isEqualTo(0xFF);
                else assertThat(back).as("%s code %02x (%d)", law, c, linear).isEqualTo(c);
            }
        }
    }

    @Test
    void theErrorGrowsWithTheLevelAsCompandingPromises() {
        for (G711.Law law : G711.Law.values()) {
            int previous = Integer.MIN_VALUE;
            for (int s = Short.MIN_VALUE; s <= Short.MAX_VALUE; s++) {
                short back = G711.decode(law, G711.encode(law, (short) s));
                assertThat(back).as("monotonic, %s at %d", law, s).isGreaterThanOrEqualTo((short) Math.max(previous, Short.MIN_VALUE));
                previous = back;
                // under 1/16 of the level (the 4-bit mantissa), and a few steps near zero
                assertThat(Math.abs(back - s)).as("%s at %d", law, s).isLessThanOrEqualTo(Math.max(Math.abs(s) / 16, 16) + (Math.abs(s) > 32_000 ? 800 : 0));
            }
        }
    }

    @Test
    void arraysRoundTripALoudTone() {
        short[] tone = new short[800];
        for (int i = 0; i < tone.length; i++) tone[i] = (short) (20_000 * Math.sin(2 * Math.PI * 440 * i / 8000.0));
        for (G711.Law law : G711.Law.values()) {
            short[] back = G711.decode(law, G711.encode(law, tone));
            double err = 0, sig = 0;
            for (int i = 0; i < tone.length; i++) {
                err += Math.pow(back[i] - tone[i], 2);
                sig += Math.pow(tone[i], 2);
            }
            assertThat(10 * Math.log10(sig / err)).as("%s signal to noise", law).isGreaterThan(30);
        }
    }
}

package dev.parley.reply;

import dev.parley.audio.PcmAudio;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ToSinkRateTest {
    private static PcmAudio tone(int rate, int ms) {
        short[] s = new short[rate * ms / 1000];
        for (int i = 0; i < s.length; i++) s[i] = (short) (8000 * Math.sin(2 * Math.PI * 300 * i / rate));
        return new PcmAudio(s, rate);
    }

    @Test
    void chunksAtTheSinksRatePassUntouched() {
        ToSinkRate t = new ToSinkRate(24_000);
        PcmAudio chunk = tone(24_000, 100);
        assertThat(t.convert(chunk)).isSameAs(chunk);
        assertThat(t.flush().isEmpty()).isTrue();
    }

    @Test
    void aVoiceOfAnotherRateMidReplyKeepsTheDurationAndTheSinksRate() {
        ToSinkRate t = new ToSinkRate(24_000);
        long samples = 0;
        // 200 ms from a 48 kHz voice, then the session's voice changes: 200 ms at 22.05 kHz, then 200 ms at 24 kHz
        for (PcmAudio chunk : new PcmAudio[]{tone(48_000, 100), tone(48_000, 100), tone(22_050, 100), tone(22_050, 100),
                tone(24_000, 200)}) {
            PcmAudio out = t.convert(chunk);
            assertThat(out.sampleRate()).isEqualTo(24_000);
            samples += out.length();
        }
        samples += t.flush().length();
        assertThat(samples).as("600 ms at 24 kHz, give or take a resampler's rounding").isBetween(14_390L, 14_410L);
    }
}

package dev.parley.bench.turns;

import dev.parley.audio.PcmAudio;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PauseSplicerTest {
    private static final int RATE = 16_000;

    /** 0.2 s of quiet room noise, 0.6 s of loud "speech", 0.2 s of room: a clip with a known quietest stretch. */
    private static PcmAudio clip() {
        Random r = new Random(1);
        short[] s = new short[RATE];
        for (int i = 0; i < s.length; i++) {
            boolean speech = i >= RATE / 5 && i < RATE * 4 / 5;
            s[i] = (short) (r.nextGaussian() * (speech ? 5000 : 30));
        }
        return new PcmAudio(s, RATE);
    }

    @Test
    void thePauseHasExactlyItsLengthAndSitsAtTheSample() {
        PcmAudio clip = clip();
        int at = 7_003;
        PauseSplicer.Spliced s = PauseSplicer.splice(clip, at, 500, RoomTone.of(clip));
        assertThat(s.pauseSamples()).isEqualTo(8_000);
        assertThat(s.audio().length()).isEqualTo(clip.length() + 8_000);
        assertThat(s.audio().sampleRate()).isEqualTo(RATE);
        short[] out = s.audio().samples();
        assertThat(Arrays.copyOfRange(out, 0, at)).isEqualTo(Arrays.copyOfRange(clip.samples(), 0, at));
        assertThat(Arrays.copyOfRange(out, at + 8_000, out.length)).isEqualTo(Arrays.copyOfRange(clip.samples(), at, clip.length()));
        assertThat(s.position(at - 1)).isEqualTo(at - 1);
        assertThat(s.position(at)).isEqualTo(at + 8_000);
        assertThat(s.positionMs(0.5)).isEqualTo(1000.0);
    }

    @Test
    void thePauseIsTheClipsOwnBackgroundNotDigitalSilence() {
        PcmAudio clip = clip();
        RoomTone room = RoomTone.of(clip);
        PauseSplicer.Spliced s = PauseSplicer.splice(clip, 9_000, 1000, room);
        short[] pause = Arrays.copyOfRange(s.audio().samples(), 9_000, 9_000 + 16_000);
        assertThat(pause).isEqualTo(room.fill(16_000));
        double rms = rms(pause);
        assertThat(rms).as("room noise, not zeros, not speech").isBetween(15.0, 60.0);
        long zeros = 0;
        for (short v : pause) if (v == 0) zeros++;
        assertThat(zeros).isLessThan(pause.length / 10);
    }

    @Test
    void theBackgroundComesFromOutsideTheSpeechAndLoopsWithoutJumps() {
        PcmAudio clip = clip();
        RoomTone room = RoomTone.of(clip, RATE / 5, RATE * 4 / 5);
        short[] fill = room.fill(RATE);
        assertThat(rms(fill)).isBetween(15.0, 60.0);
        int loop = RATE * RoomTone.WINDOW_MS / 1000;
        // ping-pong: where the loop turns, the sample repeats instead of jumping back to the start
        assertThat(fill[loop]).isEqualTo(fill[loop - 1]);
        assertThat(fill[2 * loop]).isEqualTo(fill[0]);
    }

    @Test
    void theSameInputGivesTheSameRecording() {
        PauseSplicer.Spliced a = PauseSplicer.splice(clip(), 5_000, 700, RoomTone.of(clip()));
        PauseSplicer.Spliced b = PauseSplicer.splice(clip(), 5_000, 700, RoomTone.of(clip()));
        assertThat(a).isEqualTo(b);
    }

    @Test
    void refusesPausesAtTheVeryStartOrEndAndEmptyClips() {
        PcmAudio clip = clip();
        RoomTone room = RoomTone.of(clip);
        assertThatThrownBy(() -> PauseSplicer.splice(clip, 0, 500, room)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("inside the clip");
        assertThatThrownBy(() -> PauseSplicer.splice(clip, clip.length(), 500, room)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PauseSplicer.splice(clip, -3, 500, room)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PauseSplicer.splice(new PcmAudio(new short[0], RATE), 0, 500, room))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> PauseSplicer.splice(clip, 100, 0, room)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RoomTone.of(new PcmAudio(new short[0], RATE))).isInstanceOf(IllegalArgumentException.class);
    }

    private static double rms(short[] s) {
        double sum = 0;
        for (short v : s) sum += (double) v * v;
        return Math.sqrt(sum / s.length);
    }
}

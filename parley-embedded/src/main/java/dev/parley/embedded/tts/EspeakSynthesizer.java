package dev.parley.embedded.tts;

import dev.parley.audio.PcmAudio;
import dev.parley.failover.ProviderEvents;
import dev.parley.tts.SpeechSynthesizer;
import dev.parley.tts.TtsException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * eSpeak NG, Debian's {@code espeak-ng}: a formant voice for about a hundred languages, run as a process per phrase
 * (it starts in a few milliseconds and streams its WAV to stdout as it speaks, so the first audio comes before the
 * phrase is done). Robotic beside MaryTTS's HMM voice, but it speaks the languages MaryTTS lacks and costs little.
 * The text goes in on stdin, never on the command line.
 */
public final class EspeakSynthesizer implements SpeechSynthesizer {
    static final int RATE = 22_050;
    private static final int CHUNK_BYTES = RATE / 10 * 2; // 100 ms
    private static final long PHRASE_TIMEOUT_S = 20;

    private final String command;
    private final String voice;

    /** {@code voice} is an espeak-ng voice ({@code en-us}, {@code de}, {@code ru}, …), as {@code espeak-ng --voices} lists. */
    public EspeakSynthesizer(String command, String voice) {
        this.command = command;
        this.voice = voice;
    }

    public String voice() {
        return voice;
    }

    @Override
    public int sampleRate() {
        return RATE;
    }

    @Override
    public void synthesize(String text, Consumer<PcmAudio> out, BooleanSupplier cancelled, ProviderEvents events) throws TtsException {
        String clean = text.replaceAll("[\\p{Cntrl}&&[^\\n]]", " ").strip();
        if (clean.isEmpty()) return;
        Process p;
        try {
            p = new ProcessBuilder(command, "-v", voice, "-b", "1", "--stdout").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new TtsException("could not run " + command + " (" + e.getMessage() + "): install it with 'apt install espeak-ng'", e);
        }
        try {
            try (OutputStream in = p.getOutputStream()) {
                in.write(clean.getBytes(StandardCharsets.UTF_8));
            }
            stream(p.getInputStream(), out, cancelled);
            if (cancelled.getAsBoolean()) return;
            if (!p.waitFor(PHRASE_TIMEOUT_S, TimeUnit.SECONDS)) throw new TtsException("espeak-ng took over " + PHRASE_TIMEOUT_S + " s on a phrase", null);
            if (p.exitValue() != 0) throw new TtsException("espeak-ng failed (exit " + p.exitValue() + ") with voice " + voice, null);
        } catch (IOException e) {
            if (!cancelled.getAsBoolean()) throw new TtsException("espeak-ng failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            p.destroy();
        }
    }

    /** The WAV on stdout: its 44-byte header (sizes unknown while streaming), then 16-bit mono samples. */
    private static void stream(InputStream wav, Consumer<PcmAudio> out, BooleanSupplier cancelled) throws IOException, TtsException {
        byte[] header = wav.readNBytes(44);
        if (header.length < 44 || header[0] != 'R' || header[8] != 'W' || header[36] != 'd') {
            if (header.length == 0) throw new TtsException("espeak-ng gave no audio: is the voice installed?", null);
            throw new TtsException("espeak-ng's output is not the WAV it should be", null);
        }
        byte[] buf = new byte[CHUNK_BYTES];
        int filled = 0;
        for (int n; !cancelled.getAsBoolean() && (n = wav.read(buf, filled, buf.length - filled)) > 0; ) {
            filled += n;
            if (filled == buf.length) {
                out.accept(PcmAudio.fromLittleEndianBytes(buf, 0, filled, RATE));
                filled = 0;
            }
        }
        if (filled >= 2 && !cancelled.getAsBoolean()) out.accept(PcmAudio.fromLittleEndianBytes(buf, 0, filled & ~1, RATE));
    }

    /**
     * The voices an installed espeak-ng has ({@code espeak-ng --voices}: their language codes, MBROLA voices left out
     * as they need another package), or an empty list when it is not installed.
     */
    public static List<String> voices(String command) {
        List<String> voices = new ArrayList<>();
        try {
            Process p = new ProcessBuilder(command, "--voices").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String listing = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) return List.of();
            for (String line : listing.lines().skip(1).toList()) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 5 && !f[4].startsWith("mb/") && !voices.contains(f[1])) voices.add(f[1]);
            }
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
        return voices;
    }
}

package dev.parley.embedded.tts;

import dev.parley.tts.SpeechSynthesizer;
import dev.parley.tts.VoiceCatalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The embedded voices a session can pick: the MaryTTS voice the stack loaded (the default), and, when Debian's
 * {@code espeak-ng} is installed, each of its voices as {@code espeak-LANGUAGE} ({@code espeak-en-gb},
 * {@code espeak-de}, …). OpenAI's voice names ({@code alloy}, {@code marin}, …), which clients written for OpenAI send
 * as a matter of course, speak with the default voice; any other name is refused with the list.
 */
public final class EmbeddedVoices implements VoiceCatalog {
    /** OpenAI's Realtime voices: what an OpenAI client may ask for without knowing Parley's. */
    public static final Set<String> OPENAI_NAMES = Set.of("alloy", "ash", "ballad", "coral", "echo", "fable", "nova", "onyx",
            "sage", "shimmer", "verse", "marin", "cedar");
    public static final String ESPEAK_PREFIX = "espeak-";

    private final String defaultName;
    private final SpeechSynthesizer defaultVoice;
    private final String espeak;
    private final List<String> espeakVoices;
    private final Map<String, SpeechSynthesizer> made = new ConcurrentHashMap<>();

    /**
     * @param espeak       the espeak-ng command, or null
     * @param espeakVoices its voices ({@link EspeakSynthesizer#voices})
     */
    public EmbeddedVoices(String defaultName, SpeechSynthesizer defaultVoice, String espeak, List<String> espeakVoices) {
        this.defaultName = defaultName;
        this.defaultVoice = defaultVoice;
        this.espeak = espeak;
        this.espeakVoices = espeak == null ? List.of() : List.copyOf(espeakVoices);
    }

    /** The MaryTTS voice and, if {@code espeak-ng} is on the PATH, its voices. */
    public static EmbeddedVoices of(String defaultName, SpeechSynthesizer defaultVoice) {
        List<String> voices = EspeakSynthesizer.voices("espeak-ng");
        return new EmbeddedVoices(defaultName, defaultVoice, voices.isEmpty() ? null : "espeak-ng", voices);
    }

    @Override
    public SpeechSynthesizer voice(String name) {
        String n = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        if (n.equals(defaultName.toLowerCase(Locale.ROOT)) || OPENAI_NAMES.contains(n)) return defaultVoice;
        if (n.startsWith(ESPEAK_PREFIX) && espeakVoices.contains(n.substring(ESPEAK_PREFIX.length()))) {
            return made.computeIfAbsent(n, k -> new EspeakSynthesizer(espeak, k.substring(ESPEAK_PREFIX.length())));
        }
        throw new IllegalArgumentException("no voice \"" + name + "\": the voices are " + summary()
                + (espeak == null ? " (install espeak-ng for voices in other languages)" : ""));
    }

    @Override
    public List<String> names() {
        List<String> all = new ArrayList<>();
        all.add(defaultName);
        for (String v : espeakVoices) all.add(ESPEAK_PREFIX + v);
        return all;
    }

    private String summary() {
        List<String> names = names();
        return String.join(", ", names.subList(0, Math.min(8, names.size())))
                + (names.size() > 8 ? " and " + (names.size() - 8) + " more espeak- voices" : "")
                + ", or OpenAI's names for the default";
    }
}

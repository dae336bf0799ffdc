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
 * The embedded voices a session can pick: the MaryTTS voice the stack loaded (the default for English), and, when Debian's
 * {@code espeak-ng} is installed, each of its voices as {@code espeak-LANGUAGE} ({@code espeak-en-gb},
 * {@code espeak-de}, …), the default for the language MaryTTS lacks. OpenAI's voice names ({@code alloy}, {@code marin}, …), which clients written for OpenAI send
 * as a matter of course, speak with the default voice; any other name is refused with the list.
 */
public final class EmbeddedVoices implements VoiceCatalog {
    /** OpenAI's Realtime voices: what an OpenAI client may ask for without knowing Parley's. */
    public static final Set<String> OPENAI_NAMES = Set.of("alloy", "ash", "ballad", "coral", "echo", "fable", "nova", "onyx",
            "sage", "shimmer", "verse", "marin", "cedar");
    public static final String ESPEAK_PREFIX = "espeak-";

    private final String maryName;
    private final SpeechSynthesizer mary;
    private final String espeak;
    private final List<String> espeakVoices;
    private final String defaultName;
    private final Map<String, SpeechSynthesizer> made = new ConcurrentHashMap<>();

    /**
     * @param espeak       the espeak-ng command, or null
     * @param espeakVoices its voices ({@link EspeakSynthesizer#voices})
     * @param language     the language sessions speak by default ({@code en}, {@code ru}): MaryTTS for English,
     *                     else espeak-ng's voice of it when there is one
     */
    public EmbeddedVoices(String maryName, SpeechSynthesizer mary, String espeak, List<String> espeakVoices, String language) {
        this.maryName = maryName;
        this.mary = mary;
        this.espeak = espeak;
        this.espeakVoices = espeak == null ? List.of() : List.copyOf(espeakVoices);
        String own = language.equals("en") ? null : espeakVoice(language);
        this.defaultName = own == null ? maryName : ESPEAK_PREFIX + own;
    }

    public EmbeddedVoices(String maryName, SpeechSynthesizer mary, String espeak, List<String> espeakVoices) {
        this(maryName, mary, espeak, espeakVoices, "en");
    }

    /** The MaryTTS voice and, if {@code espeak-ng} is on the PATH, its voices; {@code language}'s first. */
    public static EmbeddedVoices of(String maryName, SpeechSynthesizer mary, String language) {
        List<String> voices = EspeakSynthesizer.voices("espeak-ng");
        return new EmbeddedVoices(maryName, mary, voices.isEmpty() ? null : "espeak-ng", voices, language);
    }

    /** Whether a voice here speaks {@code language} ({@code en}, {@code ru}). */
    public boolean speaks(String language) {
        return language.equals("en") || espeakVoice(language) != null;
    }

    /**
     * espeak-ng's voice of a language: the language itself ({@code ru}), else the voice of its home country
     * ({@code fr-fr}), else its first regional voice.
     */
    private String espeakVoice(String language) {
        if (espeakVoices.contains(language)) return language;
        if (espeakVoices.contains(language + "-" + language)) return language + "-" + language;
        return espeakVoices.stream().filter(v -> v.startsWith(language + "-")).findFirst().orElse(null);
    }

    @Override
    public String defaultName() {
        return defaultName;
    }

    @Override
    public SpeechSynthesizer voice(String name) {
        String n = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        if (n.equals(maryName.toLowerCase(Locale.ROOT))) return mary;
        if (OPENAI_NAMES.contains(n)) return voice(defaultName);
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
        if (!defaultName.equals(maryName)) all.add(maryName);
        for (String v : espeakVoices) if (!defaultName.equals(ESPEAK_PREFIX + v)) all.add(ESPEAK_PREFIX + v);
        return all;
    }

    private String summary() {
        List<String> names = names();
        return String.join(", ", names.subList(0, Math.min(8, names.size())))
                + (names.size() > 8 ? " and " + (names.size() - 8) + " more espeak- voices" : "")
                + ", or OpenAI's names for the default";
    }
}

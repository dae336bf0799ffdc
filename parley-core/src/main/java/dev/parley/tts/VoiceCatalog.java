package dev.parley.tts;

import java.util.List;

/**
 * The voices a server or a command can speak with, by name: what a client picks per session
 * ({@code session.audio.output.voice}). A name the catalog does not know is refused, with the names it knows.
 */
public interface VoiceCatalog {

    /**
     * The voice called {@code name} (case as listed, or an alias such as OpenAI's voice names).
     *
     * @throws IllegalArgumentException for a name the catalog does not know; the message lists the voices
     */
    SpeechSynthesizer voice(String name);

    /** The names of the voices, the default first. */
    List<String> names();

    /** The voice sessions start with. */
    default String defaultName() {
        return names().getFirst();
    }

    /** A catalog of one voice, whatever the name asked for: engines that have a single voice. */
    static VoiceCatalog single(String name, SpeechSynthesizer voice) {
        return new VoiceCatalog() {
            @Override
            public SpeechSynthesizer voice(String asked) {
                return voice;
            }

            @Override
            public List<String> names() {
                return List.of(name);
            }
        };
    }
}

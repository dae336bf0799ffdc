package dev.parley.stt;

/** One utterance being recognised: audio goes in as it arrives, partial hypotheses come out, then a final one. */
public interface RecognitionStream extends AutoCloseable {

    /** Feeds audio; returns the current partial hypothesis (possibly empty, never null). */
    String accept(short[] pcm, int offset, int length);

    /**
     * Whether the provider's own endpointing has declared the utterance over (Deepgram's {@code speech_final} or
     * {@code UtteranceEnd}). The session ends the turn on it only while its VAD hears a pause too, and never waits for
     * it: its own endpointer ends the turn when the provider's signal never comes.
     */
    default boolean endOfTurn() {
        return false;
    }

    /**
     * At a pause, the words heard so far as final as the recogniser can make them now, without ending the stream:
     * the user may go on. A streaming recogniser's partial trails the audio by a word or two (Vosk's by 300 to 500 ms:
     * "what time is" when "what time is it" has been said), and a judge of finished sentences needs the last word.
     * Empty when the recogniser cannot settle early; the partial then stands.
     */
    default java.util.Optional<String> settle() {
        return java.util.Optional.empty();
    }

    /** Ends the utterance and returns the final transcript. The stream is not usable afterwards. */
    Transcript finish();

    /** Abandons the utterance (barge-in, cancel); frees what the stream holds. Idempotent. */
    @Override
    void close();
}

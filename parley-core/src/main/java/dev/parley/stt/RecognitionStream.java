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

    /** Ends the utterance and returns the final transcript. The stream is not usable afterwards. */
    Transcript finish();

    /** Abandons the utterance (barge-in, cancel); frees what the stream holds. Idempotent. */
    @Override
    void close();
}

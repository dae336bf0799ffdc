package dev.parley.stt;

/** One utterance being recognised: audio goes in as it arrives, partial hypotheses come out, then a final one. */
public interface RecognitionStream extends AutoCloseable {

    /** Feeds audio; returns the current partial hypothesis (possibly empty, never null). */
    String accept(short[] pcm, int offset, int length);

    /** Ends the utterance and returns the final transcript. The stream is not usable afterwards. */
    Transcript finish();

    /** Abandons the utterance (barge-in, cancel); frees what the stream holds. Idempotent. */
    @Override
    void close();
}

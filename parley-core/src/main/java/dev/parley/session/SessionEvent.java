package dev.parley.session;

import dev.parley.latency.Waterfall;
import dev.parley.stt.Transcript;
import dev.parley.turn.TurnState;

/** What a session reports as a conversation goes on. Turns are numbered from 1 within a session. */
public sealed interface SessionEvent {

    record StateChanged(TurnState from, TurnState to) implements SessionEvent {}

    /**
     * A wake phrase was heard, ending at {@code atMs} of the session's input audio: the words after it, or the next
     * utterance, are a turn ({@link SessionConfig.WakeWords}).
     */
    record Woke(String phrase, long atMs) implements SessionEvent {}

    /** The user started speaking; {@code startMs} is the position in the session's input audio. */
    record SpeechStarted(int turn, long startMs) implements SessionEvent {}

    /** The endpointer ended the user's turn; {@code endMs} is where the speech ended in the input audio. */
    record SpeechStopped(int turn, long endMs) implements SessionEvent {}

    /**
     * The user's turn {@code turn} is over (the endpoint, or the client's commit): its transcript follows in
     * {@link FinalTranscript}. Comes after {@link SpeechStopped} when the VAD ended the turn.
     */
    record InputCommitted(int turn) implements SessionEvent {}

    /** A reply is being prepared for {@code turn}: its phrases, audio and {@link TurnCompleted} follow. */
    record ReplyStarted(int turn) implements SessionEvent {}

    record PartialTranscript(int turn, String text) implements SessionEvent {}

    record FinalTranscript(int turn, Transcript transcript) implements SessionEvent {}

    /** A phrase of the reply, sent to TTS. */
    record ReplyPhrase(int turn, String text) implements SessionEvent {}

    /**
     * The first audio of the reply of {@code turn} is going to the output; {@code waterfall} is its latency so far
     * (the same figures {@link TurnCompleted} reports at the end of the turn).
     */
    record ReplyAudioStarted(int turn, Waterfall waterfall) implements SessionEvent {}

    /** The user spoke over the reply of {@code turn}; the reply was stopped. */
    record Interrupted(int turn) implements SessionEvent {}

    /**
     * The user went on speaking after the end of turn {@code turn} (a pause, not the end of what they meant): its
     * words begin the next user turn, whose transcript replaces its own. Turn {@code turn} is void: nothing of it is
     * in the conversation, the brain takes back what it did, and its {@link TurnCompleted} is not a turn to show.
     * Comes before that {@link TurnCompleted}.
     */
    record Merged(int turn) implements SessionEvent {}

    /**
     * Sound over the reply of {@code turn} paused it, and was not an interruption (a backchannel such as "mm-hmm", or
     * a cough): the reply resumes from the start of the phrase it was in. {@code droppedTurn} is the user turn that
     * the sound had opened ({@link SpeechStarted}), now dropped without a transcript, or 0 when none was opened;
     * {@code turn} is 0 when the reply had ended meanwhile (a client's cancel) and only the sound's turn is dropped.
     */
    record ReplyResumed(int turn, int droppedTurn) implements SessionEvent {}

    /**
     * A turn is over. {@code replyText} holds what was spoken (all of it, or the phrases that had started playing
     * when it was interrupted); {@code waterfall} is null when no audio went out.
     */
    record TurnCompleted(int turn, String userText, String replyText, Waterfall waterfall, boolean interrupted)
            implements SessionEvent {}

    /** Something failed; {@code stage} is one of stt, dialog, tts, output. The session goes on. */
    record Error(int turn, String stage, String message) implements SessionEvent {}

    /**
     * A stage's provider failed and its fallback answered instead, within {@code turn} (0: between turns); the user
     * hears the failover's apology.
     */
    record ProviderFailedOver(int turn, dev.parley.failover.Failover failover) implements SessionEvent {}
}

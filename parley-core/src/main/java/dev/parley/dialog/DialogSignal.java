package dev.parley.dialog;

/** Events of the session that a brain may react to (see {@link Dialog#onSignal}). */
public sealed interface DialogSignal {

    /** The user began to speak (a turn started, whether or not it will be answered). */
    record UserSpeechStarted() implements DialogSignal {
    }

    /**
     * A reply (or an unprompted announcement) finished playing.
     *
     * @param heardText   what the user heard of it
     * @param interrupted the user cut it off (barge-in) or the client cancelled it
     */
    record ReplyPlayed(String heardText, boolean interrupted) implements DialogSignal {
    }
}

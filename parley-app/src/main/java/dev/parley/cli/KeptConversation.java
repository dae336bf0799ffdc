package dev.parley.cli;

import dev.parley.dialog.ConversationFile;
import dev.parley.dialog.Message;
import dev.parley.session.VoiceSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;

/** A user's conversation carried from one session to the next ({@code --user}); does nothing without a file. */
final class KeptConversation {
    private static final Logger log = LoggerFactory.getLogger(KeptConversation.class);
    static final int MAX_MESSAGES = 40;

    private final Path file;

    KeptConversation(Path file) {
        this.file = file;
    }

    /** Puts the saved messages into a new session's conversation. */
    void restore(VoiceSession session) {
        if (file == null) return;
        try {
            for (Message m : ConversationFile.load(file, MAX_MESSAGES)) session.addMessage(m);
        } catch (IOException e) {
            throw new UserError("cannot read the conversation " + file + ": " + e.getMessage(), e);
        }
    }

    /** Saves the session's conversation as the user heard it; a failure is logged, the conversation goes on. */
    void save(VoiceSession session) {
        if (file == null) return;
        try {
            ConversationFile.save(file, session.conversation());
        } catch (IOException e) {
            log.warn("cannot save the conversation {}: {}", file, e.getMessage());
        }
    }
}

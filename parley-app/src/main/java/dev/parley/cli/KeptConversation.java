package dev.parley.cli;

import dev.parley.dialog.ConversationFile;
import dev.parley.dialog.Message;
import dev.parley.session.VoiceSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A user's conversation carried from one session to the next ({@code --user}), at most its last
 * {@value #MAX_MESSAGES} messages; does nothing without a file.
 */
final class KeptConversation {
    private static final Logger log = LoggerFactory.getLogger(KeptConversation.class);
    static final int MAX_MESSAGES = 40;

    private final Path file;

    KeptConversation(Path file) {
        this.file = file;
    }

    /** The saved messages, oldest first (none without a file). */
    List<Message> load() {
        if (file == null) return List.of();
        try {
            return ConversationFile.load(file, MAX_MESSAGES);
        } catch (IOException e) {
            throw new UserError("cannot read the conversation " + file + ": " + e.getMessage(), e);
        }
    }

    /** Replaces the saved conversation with the last {@value #MAX_MESSAGES} of {@code messages}. */
    void write(List<Message> messages) throws IOException {
        if (file == null) return;
        int from = Math.max(0, messages.size() - MAX_MESSAGES);
        ConversationFile.save(file, messages.subList(from, messages.size()));
    }

    /** Puts the saved messages into a new session's conversation. */
    void restore(VoiceSession session) {
        for (Message m : load()) session.addMessage(m);
    }

    /** Saves the session's conversation as the user heard it; a failure is logged, the conversation goes on. */
    void save(VoiceSession session) {
        try {
            write(session.conversation());
        } catch (IOException e) {
            log.warn("cannot save the conversation {}: {}", file, e.getMessage());
        }
    }
}

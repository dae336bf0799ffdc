package dev.parley.dialog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A user's conversation kept between sessions: one message per line, {@code role<TAB>text}, with backslash, tab and
 * newline escaped ({@code \\ \t \n}). Written whole and atomically (a temporary file moved into place), so a crash
 * never leaves half a file; read leniently, skipping lines it does not understand.
 */
public final class ConversationFile {
    private ConversationFile() {
    }

    /** The messages in {@code file}, oldest first, at most the last {@code max}; none when the file does not exist. */
    public static List<Message> load(Path file, int max) throws IOException {
        if (!Files.exists(file)) return List.of();
        List<Message> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int tab = line.indexOf('\t');
            if (tab <= 0) continue;
            Message.Role role;
            try {
                role = Message.Role.valueOf(line.substring(0, tab).toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (role == Message.Role.SYSTEM) continue; // instructions come from the configuration, not the history
            out.add(new Message(role, unescape(line.substring(tab + 1))));
        }
        return out.size() <= max ? out : List.copyOf(out.subList(out.size() - max, out.size()));
    }

    /** Replaces {@code file} with {@code messages} (SYSTEM messages are not kept), creating its folder. */
    public static void save(Path file, List<Message> messages) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Message m : messages) {
            if (m.role() == Message.Role.SYSTEM) continue;
            sb.append(m.role().name().toLowerCase(Locale.ROOT)).append('\t').append(escape(m.text())).append('\n');
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            Files.writeString(tmp, sb, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    static String unescape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) {
                sb.append(c);
                continue;
            }
            char n = s.charAt(++i);
            sb.append(switch (n) {
                case 't' -> '\t';
                case 'n' -> '\n';
                case 'r' -> '\r';
                default -> n;
            });
        }
        return sb.toString();
    }
}

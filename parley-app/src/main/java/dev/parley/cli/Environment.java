package dev.parley.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The environment variables providers read ({@code OPENAI_API_KEY}, {@code DEEPGRAM_API_KEY},
 * {@code GOOGLE_APPLICATION_CREDENTIALS}, {@code OPENAI_BASE_URL}, …): the process's own, completed by a {@code .env}
 * file — {@code ./.env}, else {@code $PARLEY_HOME/.env} (default {@code ~/.config/parley/.env}) — as the dotenv
 * convention has it: a variable set in the process wins over the file. Values are never printed; a malformed line is
 * reported by its number only.
 *
 * <p>The parser is kept rather than dotenv-java (3.2.0): that one rejects {@code export} lines, leaves {@code \n}
 * escapes as they are, cuts an unquoted value at any {@code #} and puts the malformed line — a key's value — in its
 * exception; the file lookup and the precedence here would stay anyway.
 */
final class Environment {
    private final Map<String, String> values;
    private final Path file;

    private Environment(Map<String, String> values, Path file) {
        this.values = Map.copyOf(values);
        this.file = file;
    }

    /** The file named by {@code --env-file}, for this process (null: look for one). */
    private static volatile Path explicit;
    /** What {@link #load()} read for the command line being run; read once, however many stages ask. */
    private static volatile Environment loaded;

    /** {@code --env-file FILE}: read this file instead of looking for one; it must exist. Called once per command line. */
    static void useFile(Path file) {
        if (file != null && !Files.isRegularFile(file)) throw new UserError("env file " + file + " does not exist");
        explicit = file;
        loaded = null;
    }

    /** The process environment and the {@code .env} file in force, read once per command line. */
    static Environment load() {
        Environment e = loaded;
        if (e == null) {
            Path f = explicit;
            loaded = e = load(System.getenv(), f != null ? List.of(f) : candidates());
        }
        return e;
    }

    static Environment load(Map<String, String> process, List<Path> files) {
        for (Path f : files) {
            if (Files.isRegularFile(f)) {
                Map<String, String> merged = new HashMap<>(parse(f));
                merged.putAll(process);
                return new Environment(merged, f);
            }
        }
        return new Environment(process, null);
    }

    private static List<Path> candidates() {
        String home = System.getenv("PARLEY_HOME");
        Path global = home != null && !home.isBlank() ? Path.of(home, ".env")
                : Path.of(System.getProperty("user.home"), ".config", "parley", ".env");
        return List.of(Path.of(".env"), global);
    }

    Map<String, String> asMap() {
        return values;
    }

    Optional<String> get(String name) {
        String v = values.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
    }

    /** The {@code .env} file that was read, if any. */
    Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /**
     * Reads {@code KEY=value} lines: {@code export } prefixes, {@code #} comments, values in single quotes (taken as
     * they are) or double quotes ({@code \n}, {@code \"} and {@code \\} escapes), unquoted values end at {@code " #"}.
     */
    static Map<String, String> parse(Path f) {
        List<String> lines;
        try {
            lines = Files.readAllLines(f);
        } catch (IOException e) {
            throw new UserError("cannot read " + f + ": " + e.getMessage(), e);
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            if (line.startsWith("export ")) line = line.substring(7).strip();
            int eq = line.indexOf('=');
            String key = eq < 0 ? "" : line.substring(0, eq).strip();
            if (!key.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new UserError(f + " line " + (n + 1) + ": expected NAME=value");
            }
            m.put(key, value(line.substring(eq + 1).strip(), f, n + 1));
        }
        return m;
    }

    private static String value(String raw, Path f, int line) {
        if (raw.startsWith("'")) {
            int end = raw.indexOf('\'', 1);
            if (end < 0) throw new UserError(f + " line " + line + ": unterminated quote");
            return raw.substring(1, end);
        }
        if (raw.startsWith("\"")) {
            StringBuilder b = new StringBuilder();
            for (int i = 1; i < raw.length(); i++) {
                char c = raw.charAt(i);
                if (c == '"') return b.toString();
                if (c == '\\' && i + 1 < raw.length()) {
                    char e = raw.charAt(++i);
                    b.append(switch (e) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        default -> e;
                    });
                } else {
                    b.append(c);
                }
            }
            throw new UserError(f + " line " + line + ": unterminated quote");
        }
        int comment = raw.indexOf(" #");
        return (comment < 0 ? raw : raw.substring(0, comment)).strip();
    }
}

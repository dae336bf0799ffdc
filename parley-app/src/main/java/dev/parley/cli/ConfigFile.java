package dev.parley.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Settings from one YAML file, used as the defaults of the command-line options: each key is an option's long name
 * without its dashes ({@code endpoint-silence-ms: 400}), so a flag always wins over the file and {@code --help} shows
 * the values in force. The file is {@code --config FILE}, else {@code $PARLEY_CONFIG}, else {@code ./parley.yaml},
 * else {@code $PARLEY_HOME/parley.yaml} (default {@code ~/.config/parley/parley.yaml}), when it exists.
 */
final class ConfigFile implements CommandLine.IDefaultValueProvider {
    private final Path path;
    private final Map<String, String> values;
    private final Preset preset;

    private ConfigFile(Path path, Map<String, String> values, Preset preset) {
        this.path = path;
        this.values = values;
        this.preset = preset;
    }

    static ConfigFile none() {
        return new ConfigFile(null, Map.of(), null);
    }

    /**
     * This file with the preset in force: {@code --preset NAME} on the command line, else the file's own
     * {@code preset:} key. A preset's settings come under the file's and the flags'.
     */
    ConfigFile withPreset(String[] args) {
        String name = flag(args, "--preset").orElse(values.get("preset"));
        if (name == null || name.isBlank()) return this;
        return new ConfigFile(path, values, Preset.named(name));
    }

    Optional<Preset> preset() {
        return Optional.ofNullable(preset);
    }

    /** Finds and reads the config file for these arguments; a broken file is a {@link UserError}. */
    static ConfigFile locate(String[] args) {
        Optional<Path> explicit = explicitPath(args);
        Path p = explicit.orElseGet(ConfigFile::implicitPath);
        if (p == null) return none();
        if (!Files.isRegularFile(p)) {
            if (explicit.isPresent()) throw new UserError("config file " + p + " does not exist");
            return none();
        }
        return read(p);
    }

    static ConfigFile read(Path p) {
        try {
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(p.toFile());
            Map<String, String> m = new LinkedHashMap<>();
            if (root != null && !root.isMissingNode() && !root.isNull()) {
                if (!root.isObject()) throw new UserError(p + ": expected 'setting: value' lines");
                for (var e : root.properties()) {
                    JsonNode v = e.getValue();
                    if (v.isContainerNode()) throw new UserError(p + ": setting '" + e.getKey() + "' must be a single value");
                    m.put(e.getKey(), v.isNull() ? "" : v.asText());
                }
            }
            return new ConfigFile(p, m, null);
        } catch (IOException e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            throw new UserError("cannot read config file " + p + ": " + msg);
        }
    }

    Optional<Path> path() {
        return Optional.ofNullable(path);
    }

    /** Rejects keys that are no option of any command, so a typo does not go unnoticed. */
    void validate(CommandLine root) {
        Set<String> known = new TreeSet<>();
        collect(root, known);
        for (String key : values.keySet()) {
            if (!known.contains(key)) {
                throw new UserError(path + ": unknown setting '" + key + "'. Known settings: " + String.join(", ", known));
            }
        }
    }

    private static void collect(CommandLine cmd, Set<String> known) {
        for (CommandLine.Model.OptionSpec o : cmd.getCommandSpec().options()) {
            if (o.usageHelp() || o.versionHelp()) continue;
            for (String name : o.names()) { // every long name: an option's alias is a key too (stt-language, language)
                if (name.startsWith("--") && !name.equals("--config") && !name.equals("--env-file")) known.add(name.substring(2));
            }
        }
        cmd.getSubcommands().values().forEach(sub -> collect(sub, known));
    }

    @Override
    public String defaultValue(CommandLine.Model.ArgSpec arg) {
        if (!(arg instanceof CommandLine.Model.OptionSpec o)) return null;
        for (String name : o.names()) { // the file's key first, then the preset's, under any of the option's long names
            if (name.startsWith("--") && values.containsKey(name.substring(2))) return values.get(name.substring(2));
        }
        for (String name : o.names()) {
            if (name.startsWith("--") && preset != null && preset.settings().containsKey(name.substring(2))) {
                return preset.settings().get(name.substring(2));
            }
        }
        return null;
    }

    private static Optional<Path> explicitPath(String[] args) {
        return flag(args, "--config").map(Path::of);
    }

    static Optional<String> flag(String[] args, String name) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(name) && i + 1 < args.length) return Optional.of(args[i + 1]);
            if (args[i].startsWith(name + "=")) return Optional.of(args[i].substring(name.length() + 1));
        }
        return Optional.empty();
    }

    private static Path implicitPath() {
        String env = System.getenv("PARLEY_CONFIG");
        if (env != null && !env.isBlank()) return Path.of(env);
        Path local = Path.of("parley.yaml");
        if (Files.isRegularFile(local)) return local;
        String home = System.getenv("PARLEY_HOME");
        return home != null && !home.isBlank() ? Path.of(home, "parley.yaml")
                : Path.of(System.getProperty("user.home"), ".config", "parley", "parley.yaml");
    }
}

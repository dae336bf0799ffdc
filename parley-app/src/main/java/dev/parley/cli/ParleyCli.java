package dev.parley.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;

@Command(name = "parley", mixinStandardHelpOptions = true, versionProvider = ParleyCli.Version.class,
        subcommands = {ServeCommand.class, TalkCommand.class, ReplyCommand.class, AskCommand.class, BenchCommand.class,
                LoadtestCommand.class, SoakCommand.class, ProvidersCommand.class, CommandLine.HelpCommand.class},
        description = {"Parley: a speech-to-speech voice assistant.",
                "With no command, 'serve' starts the server and its browser client on http://127.0.0.1:8080;",
                "'talk' holds a conversation through this machine's microphone and speaker.",
                "Settings come from flags and one YAML file (--config, $PARLEY_CONFIG, ./parley.yaml or",
                "$PARLEY_HOME/parley.yaml) whose keys are the long option names, e.g. 'endpoint-silence-ms: 400'.",
                "Models are cached in $PARLEY_HOME/models (default ~/.cache/parley/models)."})
public final class ParleyCli implements Runnable {

    @Option(names = "--config", paramLabel = "FILE", scope = CommandLine.ScopeType.INHERIT,
            description = "YAML file of settings (keys are long option names).")
    Path config;

    @Option(names = "--env-file", paramLabel = "FILE", scope = CommandLine.ScopeType.INHERIT,
            description = "Read provider keys (OPENAI_API_KEY, DEEPGRAM_API_KEY, …) from this file instead of ./.env or "
                    + "$PARLEY_HOME/.env; variables set in the environment still win.")
    Path envFile;

    @Override
    public void run() {
        // no subcommand: handled in run() by defaulting to serve
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs a command line; returns the exit code (0 ok, 1 failure, 2 bad usage or input). */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        if (args.length == 0) args = new String[]{"serve"};
        CommandLine cmd = new CommandLine(new ParleyCli());
        cmd.setOut(out).setErr(err);
        try {
            Environment.useFile(ConfigFile.flag(args, "--env-file").map(Path::of).orElse(null));
            ConfigFile config = ConfigFile.locate(args).withPreset(args);
            config.validate(cmd);
            cmd.setDefaultValueProvider(config);
        } catch (UserError e) {
            err.println("parley: " + e.getMessage());
            return 2;
        }
        cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof UserError) {
                commandLine.getErr().println("parley: " + e.getMessage());
                if (Boolean.getBoolean("parley.debug")) e.printStackTrace(commandLine.getErr());
                return 2;
            }
            commandLine.getErr().println("parley: unexpected error: " + e + " (run with -Dparley.debug=true for details)");
            if (Boolean.getBoolean("parley.debug")) e.printStackTrace(commandLine.getErr());
            return 1;
        });
        return cmd.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = ParleyCli.class.getPackage().getImplementationVersion();
            return new String[]{"parley " + (v == null ? "dev" : v), "Java " + Runtime.version()};
        }
    }
}

package dev.parley.embedded.models;

import java.io.Console;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.file.Path;

/**
 * Observes model downloads. {@link #progress} may be called from a background thread, but calls for
 * one download never overlap and {@code bytes} never decreases.
 */
public interface ProgressListener {

    /** Ignores everything. */
    ProgressListener NONE = new ProgressListener() {};

    /** A download of {@code totalBytes} is about to start. */
    default void started(ModelSpec spec, long totalBytes) {}

    /** {@code bytes} of {@code totalBytes} have arrived so far. */
    default void progress(ModelSpec spec, long bytes, long totalBytes) {}

    /** The downloaded model has been installed at {@code installed}. */
    default void finished(ModelSpec spec, Path installed) {}

    /**
     * Reports to a console stream (typically {@code System.err}). When {@code interactive}, keeps one
     * self-updating line ({@code Fetching Vosk English model (39.3 MB) … 42%}) using carriage returns;
     * otherwise prints one line when a download starts and one when it is installed.
     */
    static ProgressListener console(PrintStream out, boolean interactive) {
        return new ConsoleProgress(out, interactive);
    }

    /** Like {@link #console(PrintStream, boolean)}, guessing interactivity from whether a terminal is attached. */
    static ProgressListener console(PrintStream out) {
        return console(out, ConsoleProgress.looksLikeTerminal());
    }

    /** The console implementation. */
    final class ConsoleProgress implements ProgressListener {
        private final PrintStream out;
        private final boolean interactive;
        private int lastPercent = -1;
        private long total = -1;

        private ConsoleProgress(PrintStream out, boolean interactive) {
            this.out = out;
            this.interactive = interactive;
        }

        @Override
        public synchronized void started(ModelSpec spec, long totalBytes) {
            lastPercent = -1;
            total = totalBytes > 0 ? totalBytes : spec.size();
            if (interactive) {
                line(spec, 0);
            } else {
                out.println(head(spec, total));
                out.flush();
            }
        }

        @Override
        public synchronized void progress(ModelSpec spec, long bytes, long totalBytes) {
            if (!interactive || totalBytes <= 0) {
                return;
            }
            total = totalBytes; // a download of unknown size learns it from the server
            int percent = (int) Math.min(100, bytes * 100 / totalBytes);
            if (percent != lastPercent) {
                line(spec, percent);
            }
        }

        @Override
        public synchronized void finished(ModelSpec spec, Path installed) {
            if (interactive) {
                out.print("\r" + head(spec, total > 0 ? total : spec.size()) + " done\n");
            } else {
                out.println("Installed " + spec.name() + " in " + installed);
            }
            out.flush();
        }

        private void line(ModelSpec spec, int percent) {
            lastPercent = percent;
            out.print("\r" + head(spec, total > 0 ? total : spec.size()) + " " + percent + "%");
            out.flush();
        }

        private static String head(ModelSpec spec, long totalBytes) {
            return totalBytes > 0
                    ? "Fetching " + spec.name() + " (" + ModelSpec.formatBytes(totalBytes) + ") …"
                    : "Fetching " + spec.name() + " …";
        }

        static boolean looksLikeTerminal() {
            if ("dumb".equals(System.getenv("TERM"))) {
                return false;
            }
            Console console = System.console();
            if (console == null) {
                return false;
            }
            try { // Console.isTerminal() exists from JDK 22; before that a non-null console means a terminal
                Method isTerminal = Console.class.getMethod("isTerminal");
                return (Boolean) isTerminal.invoke(console);
            } catch (ReflectiveOperationException e) {
                return true;
            }
        }
    }
}

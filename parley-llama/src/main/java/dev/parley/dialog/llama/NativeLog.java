package dev.parley.dialog.llama;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.LogLevel;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.args.LogFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes llama.cpp's own log to SLF4J (logger {@code llama.cpp}) instead of stderr.
 *
 * <p>llama.cpp prints a few hundred lines while loading a model. Its common logger writes straight to stderr and
 * replaces any callback while a model loads, so {@link #quiet} switches it off for the load unless the {@code llama.cpp}
 * logger is at DEBUG; {@link #install} then routes what the library logs afterwards (its warnings and errors) to
 * SLF4J. llama.cpp's INFO is chatty, so it becomes DEBUG here and its DEBUG becomes TRACE.
 */
final class NativeLog {

    private static final Logger log = LoggerFactory.getLogger("llama.cpp");

    private NativeLog() {
    }

    /** {@code params} with llama.cpp's load-time log off, unless the {@code llama.cpp} logger wants DEBUG. */
    static ModelParameters quiet(ModelParameters params) {
        return log.isDebugEnabled() ? params : params.disableLog();
    }

    /** Sends llama.cpp's log to SLF4J from now on (a process-wide setting of the library). */
    static void install() {
        LlamaModel.setLogger(LogFormat.TEXT, NativeLog::accept);
    }

    static void accept(LogLevel level, String message) {
        if (message == null) {
            return;
        }
        String text = message.strip();
        if (text.isEmpty() || text.chars().allMatch(c -> c == '.')) { // progress dots
            return;
        }
        switch (level) {
            case ERROR -> log.error(text);
            case WARN -> log.warn(text);
            case INFO -> log.debug(text);
            default -> log.trace(text);
        }
    }
}

package dev.parley.cli;

import dev.parley.embedded.EmbeddedStack;
import dev.parley.embedded.models.ModelCache;
import dev.parley.embedded.models.ProgressListener;
import dev.parley.startup.LoadProgress;
import dev.parley.startup.ParallelLoader;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The embedded stacks of this process, by voice. A stack is loaded once per process and voice and lives as long as
 * the process (the engines hold native memory that only process exit needs to free); a stack of more engines
 * replaces one of fewer. {@link StartupLoader} loads a command's stack alongside its brain.
 */
final class Startup {
    private static final Map<String, EmbeddedStack> STACKS = new HashMap<>();

    private Startup() {
    }

    /** Every engine of the stack of this voice. */
    static EmbeddedStack embedded(String voice) {
        return embedded(voice, EmbeddedStack.Parts.ALL);
    }

    /** The stack of this voice with at least these engines, loaded now (with progress on stderr) if not yet. */
    static synchronized EmbeddedStack embedded(String voice, EmbeddedStack.Parts parts) {
        EmbeddedStack stack = cached(voice, parts);
        if (stack != null) return stack;
        ParallelLoader loader = new ParallelLoader(LoadProgress.console(System.err));
        EmbeddedStack.Pending pending = EmbeddedStack.submit(loader, cache(), voice, parts);
        StartupLoader.run(loader);
        return keep(voice, pending.stack());
    }

    /** The loaded stack of this voice if it has these engines, else null. */
    static synchronized EmbeddedStack cached(String voice, EmbeddedStack.Parts parts) {
        EmbeddedStack stack = STACKS.get(voice);
        return stack != null && stack.parts().covers(parts) ? stack : null;
    }

    /** Keeps a stack loaded elsewhere, unless one with more engines is kept already; returns the kept one. */
    static synchronized EmbeddedStack keep(String voice, EmbeddedStack stack) {
        EmbeddedStack kept = STACKS.get(voice);
        if (kept != null && kept.parts().covers(stack.parts())) return kept;
        STACKS.put(voice, stack);
        return stack;
    }

    /** The model cache, reporting downloads on stderr. */
    static ModelCache cache() {
        return ModelCache.createDefault(ProgressListener.console(System.err, System.console() != null));
    }

    /** The voices whose stack this process has loaded (for tests: a command that must not load one). */
    static synchronized Set<String> loadedVoices() {
        return Set.copyOf(STACKS.keySet());
    }
}

package dev.parley.cli;

import dev.parley.embedded.models.ModelCache;
import dev.parley.embedded.models.ProgressListener;
import dev.parley.embedded.EmbeddedStack;

import java.util.HashMap;
import java.util.Map;

/**
 * Brings up the engines, with progress on stderr. The stack is loaded once per process and voice and lives as long
 * as the process (the engines hold native memory that only process exit needs to free).
 */
final class Startup {
    private static final Map<String, EmbeddedStack> STACKS = new HashMap<>();

    private Startup() {
    }

    static synchronized EmbeddedStack embedded(String voice) {
        EmbeddedStack stack = STACKS.get(voice);
        if (stack != null) return stack;
        ProgressListener progress = ProgressListener.console(System.err, System.console() != null);
        try {
            stack = EmbeddedStack.load(ModelCache.createDefault(progress), voice);
        } catch (EmbeddedStack.LoadException e) {
            throw new UserError(e.getMessage(), e);
        }
        STACKS.put(voice, stack);
        return stack;
    }

    /** The voices whose stack this process has loaded (for tests: a command that must not load one). */
    static synchronized java.util.Set<String> loadedVoices() {
        return java.util.Set.copyOf(STACKS.keySet());
    }
}

package dev.parley.cli;

import dev.parley.models.ModelCache;
import dev.parley.models.ProgressListener;
import dev.parley.providers.EmbeddedStack;

/** Brings up the engines, with progress on stderr. */
final class Startup {
    private Startup() {
    }

    static EmbeddedStack embedded(String voice) {
        ProgressListener progress = ProgressListener.console(System.err, System.console() != null);
        try {
            return EmbeddedStack.load(ModelCache.createDefault(progress), voice);
        } catch (EmbeddedStack.LoadException e) {
            throw new UserError(e.getMessage(), e);
        }
    }
}

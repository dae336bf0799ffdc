package dev.parley.cli;

import dev.parley.embedded.EmbeddedStack;
import dev.parley.startup.LoadProgress;
import dev.parley.startup.ParallelLoader;

/**
 * Brings up what a command needs at once: the embedded engines its settings use (the VAD always; Vosk and MaryTTS
 * unless a cloud provider replaces them without the embedded fallback) and its brain, all loaded in parallel by a
 * {@link ParallelLoader}, with a progress line on stderr (what is loading, then how long it took). A failure is a
 * {@link UserError} naming the part that failed.
 */
final class StartupLoader {
    private StartupLoader() {
    }

    /** The stages and brain of a command that talks (serve, talk, reply). */
    record Loaded(Stages stages, Brains brains) {
    }

    /** The embedded stack and brain of a command that runs the embedded engines only (bench, loadtest). */
    record Embedded(EmbeddedStack stack, Brains brains) {
    }

    static Loaded open(ProviderOptions p, String voice, boolean wake, BrainOptions b) {
        return open(p, voice, wake, b, LoadProgress.console(System.err));
    }

    /** {@code wake}: the stages hear wake phrases (Vosk is loaded for them whatever the recogniser). */
    static Loaded open(ProviderOptions p, String voice, boolean wake, BrainOptions b, LoadProgress progress) {
        p.validate();
        load(voice, Stages.embeddedParts(p, wake), b, p, progress);
        // both are made now from what was just loaded: Stages takes the kept stack, Brains its cached skills
        return new Loaded(Stages.open(p, voice, wake), Brains.open(b, p));
    }

    static Embedded embedded(String voice, BrainOptions b) {
        Brains brains = load(voice, EmbeddedStack.Parts.ALL, b, null, LoadProgress.console(System.err));
        return new Embedded(Startup.embedded(voice), brains);
    }

    private static Brains load(String voice, EmbeddedStack.Parts parts, BrainOptions b, ProviderOptions p, LoadProgress progress) {
        boolean cached = Startup.cached(voice, parts) != null;
        // a second command line in one process (tests) finds its engines loaded: no progress lines for it
        ParallelLoader loader = new ParallelLoader(cached ? LoadProgress.NONE : progress);
        EmbeddedStack.Pending stack = cached ? null : EmbeddedStack.submit(loader, Startup.cache(), voice, parts);
        ParallelLoader.Part<Brains> brains = loader.add(b.llamaModel == null ? "skills" : "skills, " + b.llamaModel,
                () -> Brains.open(b, p));
        run(loader);
        if (stack != null) Startup.keep(voice, stack.stack());
        return brains.get();
    }

    /** Runs a loader; its failure as a one-line {@link UserError} (a part's own UserError as it is). */
    static void run(ParallelLoader loader) {
        try {
            loader.run();
        } catch (ParallelLoader.LoadFailure e) {
            if (e.getCause() instanceof UserError u) throw u;
            throw new UserError(EmbeddedStack.failure(e).getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("loading was interrupted", e);
        }
    }
}

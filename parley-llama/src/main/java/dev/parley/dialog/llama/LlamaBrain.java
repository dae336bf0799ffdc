package dev.parley.dialog.llama;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import dev.parley.dialog.DialogException;
import dev.parley.dialog.Message;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A GGUF model run in this process by llama.cpp (through {@code de.kherud:llama}): the shared, heavy part of the
 * local LLM brain. Create one per process with {@link #open}, give each session its own {@link #newDialog()}, and
 * close it when the application stops.
 *
 * <p><b>One reply at a time.</b> The model has one llama.cpp context with one sequence slot, so replies are
 * generated one after another: a session whose reply is asked for while another session's is being generated waits
 * its turn (first come, first served) and then runs. Closing a waiting reply takes it out of the queue; closing a
 * running one cancels it after the token being computed, and the next reply starts. This keeps memory at one
 * context (a second slot would halve every session's context or double the memory) and suits a CPU, where two
 * generations at once would each run at half speed anyway.
 *
 * <p><b>Prompts.</b> Each reply is generated from the whole conversation, rendered with the model's own chat
 * template when the GGUF file has one ({@link PromptFormat.ChatTemplate}) and as a plain transcript otherwise
 * ({@link PromptFormat.Plain}). llama.cpp keeps the previous prompt's evaluation and reuses its common prefix, so a
 * growing conversation of one session is not evaluated again from the start. When the conversation and the reply
 * would not fit the context, the oldest exchanges are left out.
 *
 * <p><b>Tools.</b> This brain offers no function calling: llama.cpp 4.2.0's Java binding has no tool-call API, and
 * parsing each model family's own tool-call syntax out of free text would be unreliable.
 *
 * <p>Thread-safe. Errors while loading are {@link LlamaModelException}s with a one-line message; errors while
 * replying come out of the reply stream as {@link DialogException}s.
 */
public final class LlamaBrain implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LlamaBrain.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final LlamaSettings settings;
    private final GgufHeader header;
    private final LlamaModel model;
    private final int contextSize;
    private final int maxTokens;
    private final Semaphore turn = new Semaphore(1, true);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger generating = new AtomicInteger();
    private final AtomicInteger peakGenerating = new AtomicInteger();
    private final AtomicLong sequence = new AtomicLong();
    private volatile PromptFormat format;

    private LlamaBrain(LlamaSettings settings, GgufHeader header, LlamaModel model, int contextSize) {
        this.settings = settings;
        this.header = header;
        this.model = model;
        this.contextSize = contextSize;
        this.maxTokens = Math.min(settings.maxTokens(), contextSize / 2);
        this.format = header.chatTemplate().isPresent() ? new PromptFormat.ChatTemplate(model) : new PromptFormat.Plain();
    }

    /**
     * Checks the GGUF file ({@link GgufHeader#read}) and loads it. The context is capped at the model's trained
     * length.
     *
     * @throws LlamaModelException with a one-line message if the file is missing, not a usable GGUF model, or
     *                             llama.cpp cannot load it
     */
    public static LlamaBrain open(LlamaSettings settings) throws LlamaModelException {
        Objects.requireNonNull(settings, "settings");
        GgufHeader header = GgufHeader.read(settings.model());
        int context = settings.contextSize();
        if (header.contextLength() > 0 && header.contextLength() < context) {
            log.info("{} was trained with a context of {} tokens: using that instead of {}", settings.model(),
                    header.contextLength(), context);
            context = (int) Math.max(LlamaSettings.MIN_CONTEXT_SIZE, header.contextLength());
        }
        NativeLibrary.prepare();
        ModelParameters params = NativeLog.quiet(new ModelParameters()
                .setModel(settings.model().toString())
                .setCtxSize(context)
                .setThreads(settings.threads())
                .setThreadsBatch(settings.threads())
                .setParallel(1));
        long start = System.nanoTime();
        LlamaModel model;
        try {
            model = new LlamaModel(params);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new LlamaModelException("The llama.cpp native library could not be loaded on this system ("
                    + System.getProperty("os.name") + " " + System.getProperty("os.arch") + "): " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new LlamaModelException("llama.cpp could not load " + settings.model() + " (architecture '"
                    + header.architecture() + "'): " + nativeMessage(e) + ". The architecture may be one this"
                    + " llama.cpp does not support, or the file is damaged; PARLEY_LOG=debug shows llama.cpp's own"
                    + " messages.", e);
        }
        NativeLog.install();
        LlamaBrain brain = new LlamaBrain(settings, header, model, context);
        log.info("Loaded {} ({}, {} tokens of context) in {} ms; prompts use {}", settings.model().getFileName(),
                header.name().orElse(header.architecture()), context, (System.nanoTime() - start) / 1_000_000,
                brain.format.describe());
        return brain;
    }

    /** A new session's brain: a {@link LlamaDialog} on this model. */
    public LlamaDialog newDialog() {
        return new LlamaDialog(this);
    }

    /** The settings it was opened with. */
    public LlamaSettings settings() {
        return settings;
    }

    /** What the model file says about itself. */
    public GgufHeader header() {
        return header;
    }

    /** The context size in use, in tokens (the settings', capped at the model's trained length). */
    public int contextSize() {
        return contextSize;
    }

    /** Whether prompts use the model's own chat template (else a plain transcript). */
    public boolean usesChatTemplate() {
        return format instanceof PromptFormat.ChatTemplate;
    }

    /**
     * Cancels what is being generated, waits for it to stop and frees the model. Replies asked for afterwards fail
     * with a {@link DialogException}.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        turn.acquireUninterruptibly(); // the running reply sees `closed` after its next token and lets go
        try {
            model.close();
        } finally {
            turn.release(); // whoever takes the turn from now on sees `closed` and passes it on
        }
        log.info("Closed the local model {}", settings.model().getFileName());
    }

    boolean isClosed() {
        return closed.get();
    }

    /** A reply to {@code conversation}, generated when first pulled. */
    LlamaReply reply(Conversation conversation, Runnable onFinish) {
        return new LlamaReply(this, conversation, onFinish);
    }

    /** Starts {@code reply}'s generation on its own thread (native calls block, so not a virtual one). */
    void start(LlamaReply reply) {
        Thread.ofPlatform().daemon(true).name("parley-llama-reply-" + THREADS.incrementAndGet())
                .start(() -> generate(reply));
    }

    /** The most replies that were ever generated at the same time (one, unless the queue is broken). */
    int peakGenerations() {
        return peakGenerating.get();
    }

    /** The prompt that {@code history} and {@code userText} become, for tests and diagnostics. */
    String prompt(List<Message> history, String userText) throws DialogException {
        turn.acquireUninterruptibly();
        if (closed.get()) {
            turn.release();
            throw shutDown();
        }
        try {
            return fit(Conversation.of(settings.systemPrompt(), history, userText)).prompt();
        } finally {
            turn.release();
        }
    }

    // ------------------------------------------------------------------------------------------ generation

    private void generate(LlamaReply reply) {
        long start = System.nanoTime();
        int promptTokens = 0;
        boolean ours = false;
        try {
            ours = awaitTurn(reply);
            if (!ours) {
                if (closed.get() && !reply.isClosed()) {
                    reply.fail(shutDown());
                }
                return;
            }
            peakGenerating.accumulateAndGet(generating.incrementAndGet(), Math::max);
            reply.started(sequence.incrementAndGet());
            Prompt prompt = fit(reply.conversation());
            promptTokens = prompt.tokens();
            LlamaIterator tokens = model.generate(parameters(prompt.prompt())).iterator();
            while (tokens.hasNext()) {
                LlamaOutput output = tokens.next();
                reply.generated(output.text);
                if ((reply.isClosed() || closed.get()) && tokens.hasNext()) {
                    // only here, between tokens: cancelling while another thread waits in next() would leave it
                    // waiting forever for a result llama.cpp no longer sends
                    tokens.cancel();
                    reply.cancelled();
                    break;
                }
            }
        } catch (DialogException e) {
            reply.fail(e);
        } catch (RuntimeException e) {
            log.warn("The local model failed while replying: {}", nativeMessage(e), e);
            reply.fail(new DialogException("The local model failed while replying: " + nativeMessage(e) + ".", e));
        } finally {
            if (ours) {
                generating.decrementAndGet();
                turn.release();
            }
            reply.finish();
            log.debug("Reply: {} prompt tokens, {} pieces generated{} in {} ms", promptTokens, reply.tokens(),
                    reply.wasCancelled() ? " (cancelled)" : "", (System.nanoTime() - start) / 1_000_000);
        }
    }

    /**
     * Waits for the model, first come first served (a fair semaphore), until the reply is closed (which interrupts
     * the wait) or the brain closes (waiters then get the turn in order, see it and pass it on). Returns whether the
     * turn was taken and is still wanted; then the caller releases it.
     */
    private boolean awaitTurn(LlamaReply reply) {
        boolean taken = false;
        try {
            if (reply.beginWait()) {
                turn.acquire();
                taken = true;
            }
        } catch (InterruptedException e) {
            // closed while waiting
        } finally {
            reply.endWait(); // also clears an interrupt that came too late
        }
        if (taken && (reply.isClosed() || closed.get())) {
            turn.release();
            return false;
        }
        return taken;
    }

    private InferenceParameters parameters(String prompt) {
        InferenceParameters p = new InferenceParameters(prompt)
                .setNPredict(maxTokens)
                .setTemperature((float) settings.temperature())
                // a cached prefix is evaluated in other batch shapes than a fresh prompt, and the sums round apart:
                // a fixed seed promises the same reply, so it evaluates the whole prompt every time
                .setCachePrompt(settings.seed() == LlamaSettings.RANDOM_SEED);
        if (settings.seed() != LlamaSettings.RANDOM_SEED) {
            p.setSeed(settings.seed());
        }
        List<String> stops = format.stopStrings();
        if (!stops.isEmpty()) {
            p.setStopStrings(stops.toArray(String[]::new));
        }
        return p;
    }

    /** A rendered prompt and its length in tokens. */
    record Prompt(String prompt, int tokens) {
    }

    /** Renders the conversation, leaving out the oldest exchanges until it and a full reply fit the context. */
    private Prompt fit(Conversation conversation) throws DialogException {
        Conversation c = conversation;
        int dropped = 0;
        while (true) {
            String prompt = render(c);
            int tokens = model.encode(prompt).length + 1; // + the BOS token llama.cpp adds
            if (tokens + maxTokens <= contextSize) {
                if (dropped > 0) {
                    log.debug("Left out the {} oldest turns so the conversation fits {} tokens", dropped, contextSize);
                }
                return new Prompt(prompt, tokens);
            }
            if (!c.canShorten()) {
                throw new DialogException("That is too long for the local model: the instructions and your message"
                        + " take " + tokens + " tokens, and its context holds " + contextSize + " with " + maxTokens
                        + " kept for the reply.");
            }
            int before = c.turns().size();
            c = c.withoutOldest();
            dropped += before - c.turns().size();
        }
    }

    private String render(Conversation conversation) {
        PromptFormat f = format;
        try {
            return f.render(conversation);
        } catch (RuntimeException e) {
            if (!(f instanceof PromptFormat.ChatTemplate)) {
                throw e;
            }
            log.warn("The chat template of {} failed ({}); using a plain transcript instead",
                    settings.model().getFileName(), nativeMessage(e));
            format = new PromptFormat.Plain();
            return format.render(conversation);
        }
    }

    private static DialogException shutDown() {
        return new DialogException("The local model has been shut down.");
    }

    private static final Pattern JSON_MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** The library's error text, one line, without the JSON wrapping llama.cpp's server code gives it. */
    static String nativeMessage(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        Matcher json = JSON_MESSAGE.matcher(m);
        if (json.find()) {
            m = json.group(1).replace("\\\"", "\"").replace("\\n", " ");
        }
        m = LlamaModelException.oneLine(m);
        while (m.endsWith(".")) {
            m = m.substring(0, m.length() - 1);
        }
        return m;
    }
}

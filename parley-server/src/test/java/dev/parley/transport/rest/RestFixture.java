package dev.parley.transport.rest;

import dev.parley.audio.PcmAudio;
import dev.parley.dialog.Dialog;
import dev.parley.dialog.DialogException;
import dev.parley.dialog.Message;
import dev.parley.dialog.TextStream;
import dev.parley.failover.ProviderEvents;
import dev.parley.session.SessionConfig;
import dev.parley.session.VoiceSession;
import dev.parley.stt.RecognitionStream;
import dev.parley.stt.SpeechRecognizer;
import dev.parley.stt.Transcript;
import dev.parley.testing.Fakes.LoudnessVad;
import dev.parley.transport.server.ParleyServer;
import dev.parley.transport.server.ServerConfig;
import dev.parley.tts.SpeechSynthesizer;
import dev.parley.tts.TtsException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * An in-process server with fake engines of known behaviour, and the requests the tests send it over real HTTP.
 */
final class RestFixture implements AutoCloseable {
    final FakeStt stt = new FakeStt();
    final FakeTts tts = new FakeTts();
    final FakeBrain brain = new FakeBrain();
    final AtomicInteger brainsClosed = new AtomicInteger();
    final ParleyServer server;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    RestFixture() {
        this(null, RestLimits.DEFAULT);
    }

    RestFixture(String token, RestLimits limits) {
        ServerConfig config = ServerConfig.local(0, SessionConfig.DEFAULT, "tone").withAuthToken(token).withRest(limits);
        server = ParleyServer.start(config, () -> new VoiceSession.Engines(new LoudnessVad(), stt, brain.forRequest(brainsClosed), tts));
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    /** The server's OpenAI-style base URL. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.port() + "/v1";
    }

    HttpRequest.Builder post(String path, String contentType, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) b.header("Content-Type", contentType);
        return b;
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> sendBytes(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<String> json(String path, String json) throws IOException, InterruptedException {
        return send(post(path, "application/json", json.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void close() {
        server.close();
    }

    // ---------------------------------------------------------------- request bodies

    /** A PCM16 WAV file of {@code frames} frames of a tone, {@code channels} interleaved. */
    static byte[] wav(int rate, int channels, int frames) {
        int dataBytes = frames * channels * 2;
        ByteBuffer b = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + dataBytes).put("WAVE".getBytes(StandardCharsets.US_ASCII));
        b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) channels)
                .putInt(rate).putInt(rate * channels * 2).putShort((short) (channels * 2)).putShort((short) 16);
        b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(dataBytes);
        for (int i = 0; i < frames; i++) {
            short s = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / rate));
            for (int c = 0; c < channels; c++) b.putShort(s);
        }
        return b.array();
    }

    /** A multipart/form-data body: text fields, then optionally a file part named {@code file}. */
    static final class Form {
        final String boundary = "----parleytest7d3f";
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Form field(String name, String value) {
            write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n");
            return this;
        }

        Form file(String name, String filename, String type, byte[] bytes) {
            write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename
                    + "\"\r\nContent-Type: " + type + "\r\n\r\n");
            out.writeBytes(bytes);
            write("\r\n");
            return this;
        }

        String contentType() {
            return "multipart/form-data; boundary=" + boundary;
        }

        byte[] build() {
            write("--" + boundary + "--\r\n");
            return out.toByteArray();
        }

        private void write(String s) {
            out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        }
    }

    // ---------------------------------------------------------------- fake engines

    /** Hears {@link #text}; records the samples of each utterance; fails when {@link #failure} is set. */
    static final class FakeStt implements SpeechRecognizer {
        volatile String text = "what time is it";
        volatile RuntimeException failure;
        final List<Long> samples = new CopyOnWriteArrayList<>();

        @Override
        public RecognitionStream open(ProviderEvents events) {
            long[] n = new long[1];
            return new RecognitionStream() {
                @Override
                public String accept(short[] pcm, int offset, int length) {
                    n[0] += length;
                    return "";
                }

                @Override
                public Transcript finish() {
                    samples.add(n[0]);
                    if (failure != null) throw failure;
                    return new Transcript(text, 0.8);
                }

                @Override
                public void close() {
                }
            };
        }
    }

    /**
     * Speaks 100 ms (1600 samples at 16 kHz) of value 1000 per word. {@link #failAfterChunks} &gt;= 0 makes it fail
     * after that many chunks; {@link #holdAfterFirst} makes it wait after its first chunk until released.
     */
    static final class FakeTts implements SpeechSynthesizer {
        final List<String> phrases = new CopyOnWriteArrayList<>();
        volatile int failAfterChunks = -1;
        volatile CountDownLatch holdAfterFirst;
        volatile boolean sawCancel;

        @Override
        public int sampleRate() {
            return 16_000;
        }

        @Override
        public void synthesize(String text, Consumer<PcmAudio> out, BooleanSupplier cancelled, ProviderEvents events)
                throws TtsException {
            phrases.add(text);
            int words = text.strip().split("\\s+").length;
            for (int w = 0; w < words; w++) {
                if (w == failAfterChunks) throw new TtsException("the fake voice broke", null);
                if (cancelled.getAsBoolean()) {
                    sawCancel = true;
                    return;
                }
                short[] s = new short[1600];
                java.util.Arrays.fill(s, (short) 1000);
                out.accept(new PcmAudio(s, 16_000));
                CountDownLatch hold = holdAfterFirst;
                if (w == 0 && hold != null) {
                    try {
                        if (!hold.await(30, TimeUnit.SECONDS)) throw new TtsException("never released", null);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    /** Answers with {@link #pieces}; records what each request gave it; fails at piece {@link #failAt} if &gt;= 0. */
    static final class FakeBrain {
        volatile List<String> pieces = List.of("It's ", "six ", "o'clock.");
        volatile int failAt = -1;
        final List<List<Message>> histories = new CopyOnWriteArrayList<>();
        final List<String> turns = new CopyOnWriteArrayList<>();

        Dialog forRequest(AtomicInteger closed) {
            return new Dialog() {
                @Override
                public TextStream respond(List<Message> history, Transcript userTurn) {
                    histories.add(new ArrayList<>(history));
                    turns.add(userTurn.text());
                    List<String> p = pieces;
                    int fail = failAt;
                    return new TextStream() {
                        int i;

                        @Override
                        public String next() throws DialogException {
                            if (i == fail) throw new DialogException("the fake brain broke", null);
                            return i < p.size() ? p.get(i++) : null;
                        }

                        @Override
                        public void close() {
                        }
                    };
                }

                @Override
                public void close() {
                    closed.incrementAndGet();
                }
            };
        }
    }
}

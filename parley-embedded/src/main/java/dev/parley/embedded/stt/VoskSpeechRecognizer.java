package dev.parley.embedded.stt;

import dev.parley.failover.ProviderEvents;
import dev.parley.stt.RecognitionStream;
import dev.parley.stt.SpeechRecognizer;
import dev.parley.stt.Transcript;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.vosk.LibVosk;
import org.vosk.LogLevel;
import org.vosk.Model;
import org.vosk.Recognizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Vosk (Kaldi) streaming recognition. The model is loaded once and shared by every session; each utterance has a
 * recognizer to itself while it is heard. Vosk segments long audio by itself: the segments it closes are kept and
 * joined, so the partial and final results always cover the whole utterance.
 *
 * <p>Recognizers are kept and reused ({@link RecognizerPool}): the small models compose their decoding graph while
 * they decode and cache what they composed in the recognizer, so a new recognizer per utterance pays for composing
 * again. Reused, a second of speech costs about a fifth of the CPU (0.04 s instead of 0.22 s on the corpus, same word
 * error rate). Between utterances a recognizer keeps only that cache: its final result resets its features and
 * speaker adaptation.
 */
public final class VoskSpeechRecognizer implements SpeechRecognizer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final float RATE = 16_000f;

    private final Model model;
    private final RecognizerPool<Recognizer> pool;

    private VoskSpeechRecognizer(Model model) {
        this.model = model;
        this.pool = new RecognizerPool<>(() -> {
            Recognizer r = new Recognizer(model, RATE);
            r.setWords(true);
            return r;
        }, Recognizer::close, RecognizerPool.DEFAULT_IDLE, RecognizerPool.DEFAULT_KEEP_FOR, System::nanoTime);
    }

    /** Loads a Vosk model directory (the one holding am/, conf/, graph/). */
    public static VoskSpeechRecognizer load(Path modelDir) throws IOException {
        LibVosk.setLogLevel(LogLevel.WARNINGS);
        return new VoskSpeechRecognizer(new Model(modelDir.toString()));
    }

    @Override
    public RecognitionStream open(ProviderEvents events) {
        try {
            return new Stream(pool.take(), pool);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a Vosk recognizer", e);
        }
    }

    /** Recognizers kept for reuse now (for tests). */
    int idleRecognizers() {
        return pool.idle();
    }

    @Override
    public void close() {
        pool.close();
        model.close();
    }

    /** A recognised word and where it lies in the recording given to {@link #words}, in seconds from its start. */
    public record Word(String text, double startS, double endS) {}

    /**
     * The words of a whole 16 kHz recording with their times (Vosk's own alignment), for tools that need to know
     * where words begin and end, such as a benchmark that splices pauses between them. Not for live use: it decodes
     * the whole recording at once on a recognizer of its own.
     */
    public List<Word> words(short[] pcm16k) {
        List<Word> words = new ArrayList<>();
        try (Recognizer recognizer = new Recognizer(model, RATE)) {
            recognizer.setWords(true);
            int step = (int) RATE / 10;
            for (int i = 0; i < pcm16k.length; i += step) {
                short[] piece = java.util.Arrays.copyOfRange(pcm16k, i, Math.min(pcm16k.length, i + step));
                if (recognizer.acceptWaveForm(piece, piece.length)) timedWords(recognizer.getResult(), words);
            }
            timedWords(recognizer.getFinalResult(), words);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a Vosk recognizer", e);
        }
        return words;
    }

    private static void timedWords(String json, List<Word> into) {
        try {
            for (JsonNode w : JSON.readTree(json).path("result")) {
                into.add(new Word(w.path("word").asText(), w.path("start").asDouble(), w.path("end").asDouble()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Vosk returned malformed JSON", e);
        }
    }

    private static final class Stream implements RecognitionStream {
        private final Recognizer recognizer;
        private final RecognizerPool<Recognizer> pool;
        private final StringBuilder closedSegments = new StringBuilder();
        private double confidenceSum;
        private int words;
        private short[] scratch = new short[0];
        private boolean closed;
        /** The recognizer's last call was its final result: it holds nothing of this utterance. */
        private boolean flushed = true;

        Stream(Recognizer recognizer, RecognizerPool<Recognizer> pool) {
            this.recognizer = recognizer;
            this.pool = pool;
        }

        @Override
        public String accept(short[] pcm, int offset, int length) {
            if (closed) throw new IllegalStateException("stream closed");
            short[] data = pcm;
            if (offset != 0) {
                if (scratch.length < length) scratch = new short[length];
                System.arraycopy(pcm, offset, scratch, 0, length);
                data = scratch;
            }
            flushed = false;
            if (recognizer.acceptWaveForm(data, length)) {
                addSegment(recognizer.getResult());
                return closedSegments.toString().strip();
            }
            String partial = field(recognizer.getPartialResult(), "partial");
            return (closedSegments + partial).strip();
        }

        /**
         * Flushes the decoder as at the end of an utterance; Vosk starts a new segment with the next audio, as it
         * does after its own endpoint, so the stream goes on and the final transcript joins the segments.
         */
        @Override
        public java.util.Optional<String> settle() {
            if (closed) throw new IllegalStateException("stream closed");
            addSegment(recognizer.getFinalResult());
            flushed = true;
            return java.util.Optional.of(closedSegments.toString().strip());
        }

        @Override
        public Transcript finish() {
            if (closed) throw new IllegalStateException("stream closed");
            addSegment(recognizer.getFinalResult());
            flushed = true;
            Transcript t = new Transcript(closedSegments.toString(), words == 0 ? 1.0 : confidenceSum / words);
            close();
            return t;
        }

        /** Gives the recognizer back, reset by a final result when this utterance left anything in it. */
        @Override
        public void close() {
            if (closed) return;
            closed = true;
            try {
                if (!flushed) recognizer.getFinalResult();
            } catch (RuntimeException e) {
                recognizer.close();
                throw e;
            }
            pool.giveBack(recognizer);
        }

        private void addSegment(String json) {
            try {
                JsonNode node = JSON.readTree(json);
                String text = node.path("text").asText("").strip();
                if (!text.isEmpty()) closedSegments.append(text).append(' ');
                for (JsonNode w : node.path("result")) {
                    confidenceSum += w.path("conf").asDouble(1.0);
                    words++;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Vosk returned malformed JSON", e);
            }
        }

        private static String field(String json, String name) {
            try {
                return JSON.readTree(json).path(name).asText("");
            } catch (IOException e) {
                throw new UncheckedIOException("Vosk returned malformed JSON", e);
            }
        }
    }
}

package dev.parley.providers.deepgram;

import java.util.Locale;

/**
 * Deepgram's server messages as its references document them, for the fake: live transcription ({@code Results}
 * with {@code channel_index}, {@code duration}, {@code start}, {@code is_final}, {@code speech_final},
 * {@code channel.alternatives[].transcript/confidence/words[]}, {@code metadata.request_id/model_info/model_uuid},
 * {@code from_finalize}; {@code SpeechStarted} with {@code channel} and {@code timestamp}; {@code UtteranceEnd} with
 * {@code channel} and {@code last_word_end}; the {@code Metadata} sent after {@code CloseStream}) and streaming
 * speech ({@code Metadata}, {@code Flushed} and {@code Cleared} with {@code sequence_id}, {@code Warning} and
 * {@code Error}).
 */
final class DeepgramWire {
    private DeepgramWire() {
    }

    /** One word: text, start, end, confidence. */
    record Word(String word, double start, double end, double confidence) {
    }

    static String results(String transcript, boolean isFinal, boolean speechFinal, boolean fromFinalize,
                          double start, double duration, Word... words) {
        StringBuilder w = new StringBuilder();
        double confidence = 0;
        for (Word x : words) {
            if (!w.isEmpty()) {
                w.append(',');
            }
            w.append(String.format(Locale.ROOT, "{\"word\":\"%s\",\"start\":%.3f,\"end\":%.3f,\"confidence\":%.4f,"
                    + "\"punctuated_word\":\"%s\"}", x.word().toLowerCase(Locale.ROOT).replaceAll("[^a-z']", ""),
                    x.start(), x.end(), x.confidence(), x.word()));
            confidence += x.confidence();
        }
        confidence = words.length == 0 ? 0 : confidence / words.length;
        return String.format(Locale.ROOT, "{\"type\":\"Results\",\"channel_index\":[0,1],\"duration\":%.3f,"
                        + "\"start\":%.3f,\"is_final\":%s,\"speech_final\":%s,\"channel\":{\"alternatives\":[{"
                        + "\"transcript\":\"%s\",\"confidence\":%.4f,\"words\":[%s]}]},\"metadata\":{"
                        + "\"request_id\":\"8c8ebea9-dbec-45fa-a035-e4632cb05b5f\",\"model_info\":{\"name\":"
                        + "\"general-nova-3\",\"version\":\"2024-12-20.0\",\"arch\":\"nova-3\"},\"model_uuid\":"
                        + "\"40bd3654-e622-47c4-a111-63a61b23bfe5\"},\"from_finalize\":%s}",
                duration, start, isFinal, speechFinal, transcript, confidence, w, fromFinalize);
    }

    static String interim(String transcript, double start, Word... words) {
        return results(transcript, false, false, false, start, 1.0, words);
    }

    static String speechStarted(double timestamp) {
        return String.format(Locale.ROOT, "{\"type\":\"SpeechStarted\",\"channel\":[0,1],\"timestamp\":%.2f}",
                timestamp);
    }

    static String utteranceEnd(double lastWordEnd) {
        return String.format(Locale.ROOT, "{\"type\":\"UtteranceEnd\",\"channel\":[0,1],\"last_word_end\":%.3f}",
                lastWordEnd);
    }

    /** The summary Deepgram sends after CloseStream, just before it closes. */
    static String listenMetadata(double duration) {
        return String.format(Locale.ROOT, "{\"type\":\"Metadata\",\"transaction_key\":\"deprecated\","
                + "\"request_id\":\"8c8ebea9-dbec-45fa-a035-e4632cb05b5f\",\"sha256\":"
                + "\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\","
                + "\"created\":\"2024-08-29T22:37:55.202Z\",\"duration\":%.3f,\"channels\":1}", duration);
    }

    static String speakMetadata() {
        return "{\"type\":\"Metadata\",\"request_id\":\"3c9e7a31-9f5a-4ec5-a5f4-1d0a9bb2c1de\","
                + "\"model_name\":\"aura-2-thalia-en\",\"model_version\":\"2025-04-07.0\","
                + "\"model_uuid\":\"ecb76e9d-f2db-4127-8060-79b05590d22f\"}";
    }

    static String flushed(int sequenceId) {
        return "{\"type\":\"Flushed\",\"sequence_id\":" + sequenceId + "}";
    }

    static String cleared(int sequenceId) {
        return "{\"type\":\"Cleared\",\"sequence_id\":" + sequenceId + "}";
    }

    static String warning(String description, String code) {
        return "{\"type\":\"Warning\",\"description\":\"" + description + "\",\"code\":\"" + code + "\"}";
    }

    static String error(String description, String code) {
        return "{\"type\":\"Error\",\"description\":\"" + description + "\",\"code\":\"" + code + "\"}";
    }
}

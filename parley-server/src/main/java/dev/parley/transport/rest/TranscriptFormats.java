package dev.parley.transport.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.stt.Transcript;

import java.util.Locale;

/**
 * A transcript in OpenAI's response formats: {@code json} ({@code {"text": …}}), {@code text} (the text and a line
 * break), {@code verbose_json} ({@code task}, {@code language}, {@code duration}, {@code text} and one segment
 * spanning the audio, whose {@code avg_logprob} is the log of the recogniser's confidence), {@code srt} and
 * {@code vtt} (one cue over the audio); and, for {@code stream=true}, the events {@code transcript.text.delta} and
 * {@code transcript.text.done}.
 */
final class TranscriptFormats {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TranscriptFormats() {
    }

    /** The content type of a response in {@code format}. */
    static String contentType(TranscriptionForm.Format format) {
        return switch (format) {
            case JSON, VERBOSE_JSON -> "application/json";
            case TEXT, SRT -> "text/plain; charset=utf-8";
            case VTT -> "text/vtt; charset=utf-8";
        };
    }

    /** The body of a response in {@code format}. */
    static String body(TranscriptionForm.Format format, Transcript t, double seconds, String language) {
        return switch (format) {
            case JSON -> JSON.createObjectNode().put("text", t.text()).toString();
            case TEXT -> t.text() + "\n";
            case VERBOSE_JSON -> verbose(t, seconds, language).toString();
            case SRT -> t.isEmpty() ? "" : "1\n" + time(0, ',') + " --> " + time(seconds, ',') + "\n" + t.text() + "\n\n";
            case VTT -> "WEBVTT\n\n" + (t.isEmpty() ? "" : time(0, '.') + " --> " + time(seconds, '.') + "\n" + t.text() + "\n\n");
        };
    }

    private static ObjectNode verbose(Transcript t, double seconds, String language) {
        double duration = Math.round(seconds * 100) / 100.0;
        ObjectNode root = JSON.createObjectNode();
        root.put("task", "transcribe");
        root.put("language", language);
        root.put("duration", duration);
        root.put("text", t.text());
        var segments = root.putArray("segments");
        if (!t.isEmpty()) {
            ObjectNode s = segments.addObject();
            s.put("id", 0);
            s.put("seek", 0);
            s.put("start", 0.0);
            s.put("end", duration);
            s.put("text", " " + t.text());
            s.putArray("tokens");
            s.put("temperature", 0.0);
            s.put("avg_logprob", Math.log(Math.max(1e-6, t.confidence())));
            s.put("compression_ratio", 1.0);
            s.put("no_speech_prob", 0.0);
        }
        root.putObject("usage").put("type", "duration").put("seconds", (long) Math.ceil(seconds));
        return root;
    }

    /** {@code transcript.text.delta} carrying {@code text}. */
    static String deltaEvent(String text) {
        return JSON.createObjectNode().put("type", "transcript.text.delta").put("delta", text).toString();
    }

    /** {@code transcript.text.done} with the whole text. */
    static String doneEvent(Transcript t) {
        return JSON.createObjectNode().put("type", "transcript.text.done").put("text", t.text()).toString();
    }

    /** {@code hh:mm:ss,mmm} (SRT) or {@code hh:mm:ss.mmm} (WebVTT). */
    static String time(double seconds, char separator) {
        long ms = Math.round(seconds * 1000);
        return String.format(Locale.ROOT, "%02d:%02d:%02d%c%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60,
                separator, ms % 1000);
    }
}

package dev.parley.transport.twilio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Twilio's side of a Media Stream, for the tests: the messages it sends, written from its documentation, and its
 * playback of what Parley sends, on the audio clock of the caller's frames: each 20 ms frame the caller sends plays
 * 20 ms of Parley's audio; a mark comes back once the audio before it has played; a clear drops the audio not yet
 * played, and its marks come back at once.
 */
class TwilioPlayback {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String STREAM = "MZ0001";

    final List<JsonNode> sent = new ArrayList<>();
    /** Audio bytes queued for playback, and marks' names after the audio they follow. */
    private final List<Object> playback = new ArrayList<>();
    final List<String> echoed = new ArrayList<>();
    int clears;

    /** A message Parley sent. */
    synchronized void onSent(String json) {
        try {
            JsonNode m = JSON.readTree(json);
            sent.add(m);
            switch (m.path("event").asText()) {
                case "media" -> playback.add(Base64.getDecoder().decode(m.at("/media/payload").asText()).length);
                case "mark" -> playback.add(m.at("/mark/name").asText());
                case "clear" -> {
                    clears++;
                    playback.removeIf(Integer.class::isInstance);
                }
                default -> throw new AssertionError("Parley sent " + json);
            }
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        notifyAll();
    }

    /** Plays {@code bytes} of the queue; returns the marks reached, as the messages Twilio sends back. */
    synchronized List<String> play(int bytes) {
        List<String> marks = new ArrayList<>();
        while (!playback.isEmpty()) {
            Object head = playback.getFirst();
            if (head instanceof String mark) {
                marks.add(mark);
                playback.removeFirst();
            } else if (bytes > 0) {
                int n = (Integer) head;
                int take = Math.min(n, bytes);
                bytes -= take;
                if (take == n) playback.removeFirst();
                else playback.set(0, n - take);
            } else {
                break;
            }
        }
        echoed.addAll(marks);
        return marks.stream().map(TwilioPlayback::mark).toList();
    }

    synchronized long queuedBytes() {
        return playback.stream().filter(Integer.class::isInstance).mapToLong(o -> (Integer) o).sum();
    }

    synchronized List<String> events() {
        return sent.stream().map(m -> m.path("event").asText()).toList();
    }

    synchronized List<JsonNode> sent(String event) {
        return sent.stream().filter(m -> m.path("event").asText().equals(event)).toList();
    }

    synchronized long mediaBytes() {
        return sent("media").stream().mapToLong(m -> Base64.getDecoder().decode(m.at("/media/payload").asText()).length).sum();
    }

    /** The μ-law bytes Parley sent after its last clear. */
    synchronized long bytesAfterClear() {
        long bytes = 0;
        for (JsonNode m : sent) {
            switch (m.path("event").asText()) {
                case "clear" -> bytes = 0;
                case "media" -> bytes += Base64.getDecoder().decode(m.at("/media/payload").asText()).length;
                default -> {
                }
            }
        }
        return bytes;
    }

    /** Whether Parley sent audio after its first clear. */
    synchronized boolean answeredAfterClear() {
        List<String> events = events();
        int clear = events.indexOf("clear");
        return clear >= 0 && events.subList(clear, events.size()).contains("media");
    }

    // ---------------------------------------------------------------- Twilio's messages

    static String connected() {
        return "{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}";
    }

    static String start(Map<String, String> parameters) {
        var m = JSON.createObjectNode().put("event", "start").put("sequenceNumber", "1").put("streamSid", STREAM);
        var s = m.putObject("start").put("streamSid", STREAM).put("accountSid", "AC0001").put("callSid", "CA0001");
        s.putArray("tracks").add("inbound");
        var custom = s.putObject("customParameters");
        parameters.forEach(custom::put);
        s.putObject("mediaFormat").put("encoding", "audio/x-mulaw").put("sampleRate", 8000).put("channels", 1);
        return m.toString();
    }

    static String media(byte[] ulaw, int chunk) {
        var m = JSON.createObjectNode().put("event", "media").put("sequenceNumber", String.valueOf(chunk + 2)).put("streamSid", STREAM);
        m.putObject("media").put("track", "inbound").put("chunk", String.valueOf(chunk)).put("timestamp", String.valueOf(chunk * 20))
                .put("payload", Base64.getEncoder().encodeToString(ulaw));
        return m.toString();
    }

    static String mark(String name) {
        var m = JSON.createObjectNode().put("event", "mark").put("sequenceNumber", "9").put("streamSid", STREAM);
        m.putObject("mark").put("name", name);
        return m.toString();
    }

    static String stop() {
        return "{\"event\":\"stop\",\"sequenceNumber\":\"99\",\"streamSid\":\"" + STREAM + "\",\"stop\":{\"accountSid\":\"AC0001\",\"callSid\":\"CA0001\"}}";
    }
}

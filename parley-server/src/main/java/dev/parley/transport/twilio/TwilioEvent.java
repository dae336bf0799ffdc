package dev.parley.transport.twilio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A message from Twilio on a Media Stream's WebSocket, as Twilio documents them: {@code connected}, {@code start}
 * (the stream's and call's ids, the audio format, the TwiML's custom parameters), {@code media} (base64 audio of the
 * caller), {@code mark} (audio sent before a mark of ours has played), {@code dtmf} (a key pressed), {@code stop}.
 */
sealed interface TwilioEvent {
    ObjectMapper JSON = new ObjectMapper();

    record Connected(String protocol, String version) implements TwilioEvent {}

    record Start(String streamSid, String callSid, String accountSid, String encoding, int sampleRate, int channels,
                 Map<String, String> parameters) implements TwilioEvent {}

    /** {@code track} is "inbound" for the caller's audio. */
    record Media(String track, long timestampMs, byte[] payload) implements TwilioEvent {}

    record Mark(String name) implements TwilioEvent {}

    record Dtmf(String digit) implements TwilioEvent {}

    record Stop(String callSid) implements TwilioEvent {}

    /** A message of another kind (Twilio may add some): ignored. */
    record Other(String event) implements TwilioEvent {}

    /** Thrown for a message that is not what Twilio sends; the message says what is wrong. */
    final class Malformed extends Exception {
        Malformed(String message) {
            super(message);
        }
    }

    static TwilioEvent parse(String text) throws Malformed {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new Malformed("not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) throw new Malformed("not a JSON object");
        String event = root.path("event").asText("");
        return switch (event) {
            case "connected" -> new Connected(root.path("protocol").asText(""), root.path("version").asText(""));
            case "start" -> start(root);
            case "media" -> media(root.path("media"));
            case "mark" -> new Mark(root.path("mark").path("name").asText(""));
            case "dtmf" -> new Dtmf(root.path("dtmf").path("digit").asText(""));
            case "stop" -> new Stop(root.path("stop").path("callSid").asText(""));
            case "" -> throw new Malformed("no \"event\"");
            default -> new Other(event);
        };
    }

    private static Start start(JsonNode root) throws Malformed {
        JsonNode s = root.path("start");
        if (!s.isObject()) throw new Malformed("a start message without \"start\"");
        String streamSid = s.path("streamSid").asText(root.path("streamSid").asText(""));
        if (streamSid.isEmpty()) throw new Malformed("a start message without a streamSid");
        JsonNode format = s.path("mediaFormat");
        Map<String, String> parameters = new LinkedHashMap<>();
        s.path("customParameters").properties().forEach(e -> parameters.put(e.getKey(), e.getValue().asText()));
        return new Start(streamSid, s.path("callSid").asText(""), s.path("accountSid").asText(""),
                format.path("encoding").asText("audio/x-mulaw"), format.path("sampleRate").asInt(8000),
                format.path("channels").asInt(1), parameters);
    }

    private static Media media(JsonNode m) throws Malformed {
        if (!m.path("payload").isTextual()) throw new Malformed("a media message without a payload");
        byte[] payload;
        try {
            payload = Base64.getDecoder().decode(m.get("payload").asText());
        } catch (IllegalArgumentException e) {
            throw new Malformed("a media payload that is not base64");
        }
        return new Media(m.path("track").asText("inbound"), m.path("timestamp").asLong(0), payload);
    }
}

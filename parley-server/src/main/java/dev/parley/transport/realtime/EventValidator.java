package dev.parley.transport.realtime;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a parsed client event against the session's {@link SessionBudget} and against the values OpenAI's Realtime
 * API allows, before the session acts on it: a client that sends too much, or a value Parley would take silently but
 * not honour (a voice that names a file, a negative temperature), gets an {@code error} event and the session's state
 * is left as it was.
 */
final class EventValidator {
    /** OpenAI's Realtime voices: every one speaks with the server's voice, but a client may name them. */
    static final Set<String> OPENAI_VOICES = Set.of("alloy", "ash", "ballad", "cedar", "coral", "echo", "fable", "marin",
            "nova", "onyx", "sage", "shimmer", "verse");
    private static final Pattern VOICE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final int MAX_OUTPUT_TOKENS = 4096;

    private final SessionBudget budget;
    private final String serverVoice;
    private final boolean catalog;

    /**
     * @param serverVoice the voice the server speaks with, which a client may also name
     * @param catalog     whether the session picks its voice from a catalog, which then judges the names
     */
    EventValidator(SessionBudget budget, String serverVoice, boolean catalog) {
        this.budget = budget;
        this.serverVoice = serverVoice;
        this.catalog = catalog;
    }

    int maxEventChars() {
        return budget.maxEventChars();
    }

    /** The error for a client event of {@code chars} characters, over the event limit, that is not parsed. */
    ProtocolException tooLarge(long chars) {
        return new ProtocolException("message_too_large", "the event has " + chars + " characters; the limit is "
                + budget.maxEventChars() + " (send audio in smaller appends)");
    }

    /**
     * @param conversationChars  the text the conversation's items hold now
     * @param bufferedInputBytes the PCM16 bytes appended since the last commit (push-to-talk), or 0 with turn detection
     */
    void check(ClientEvent event, long conversationChars, long bufferedInputBytes) throws ProtocolException {
        switch (event) {
            case ClientEvent.AudioAppend a -> {
                if (a.audio().length == 0) throw new ProtocolException("empty_audio", "\"audio\" holds no samples", "audio");
                if (bufferedInputBytes + a.audio().length > budget.maxInputAudioBytes()) {
                    throw new ProtocolException("input_audio_buffer_too_large", "the input audio buffer would hold "
                            + (bufferedInputBytes + a.audio().length) + " bytes; the limit is " + budget.maxInputAudioBytes()
                            + ": commit (or clear) the buffer first", "audio");
                }
            }
            case ClientEvent.ItemCreate c -> {
                int chars = c.message().text().length();
                if (chars > budget.maxItemChars()) {
                    throw new ProtocolException("item_too_large", "the item's text has " + chars + " characters; the limit is "
                            + budget.maxItemChars(), "item.content");
                }
                if (conversationChars + chars > budget.maxConversationChars()) {
                    throw new ProtocolException("conversation_too_large", "the conversation would hold " + (conversationChars + chars)
                            + " characters of text; the limit is " + budget.maxConversationChars(), "item");
                }
            }
            case ClientEvent.SessionUpdate u -> session(u.session());
            default -> {
            }
        }
    }

    private void session(JsonNode s) throws ProtocolException {
        JsonNode instructions = s.get("instructions");
        if (instructions != null && instructions.isTextual() && instructions.asText().length() > budget.maxItemChars()) {
            throw new ProtocolException("string_above_max_length", "the instructions have " + instructions.asText().length()
                    + " characters; the limit is " + budget.maxItemChars(), "session.instructions");
        }
        voice(s.get("voice"), "session.voice");
        voice(s.path("audio").path("output").get("voice"), "session.audio.output.voice");
        JsonNode t = s.get("temperature");
        if (t != null && !t.isNull() && (!t.isNumber() || !(t.asDouble() >= 0.6 && t.asDouble() <= 1.2))) {
            throw new ProtocolException("invalid_value", "temperature must be a number from 0.6 to 1.2", "session.temperature");
        }
        for (String key : new String[]{"max_response_output_tokens", "max_output_tokens"}) {
            JsonNode n = s.get(key);
            if (n == null || n.isNull() || (n.isTextual() && n.asText().equals("inf"))) continue;
            if (!n.isIntegralNumber() || n.asLong() < 1 || n.asLong() > MAX_OUTPUT_TOKENS) {
                throw new ProtocolException("invalid_value", key + " must be an integer from 1 to " + MAX_OUTPUT_TOKENS + " or \"inf\"",
                        "session." + key);
            }
        }
    }

    private void voice(JsonNode v, String param) throws ProtocolException {
        if (v == null || v.isMissingNode()) return;
        JsonNode name = v.isObject() ? v.get("id") : v;
        String text = name != null && name.isTextual() ? name.asText() : null;
        if (text == null || !VOICE_NAME.matcher(text).matches() || text.contains("..")) {
            throw new ProtocolException("invalid_value", "a voice is a name of letters, digits, '-', '_' and '.'", param);
        }
        if (!catalog && !OPENAI_VOICES.contains(text) && !text.equals(serverVoice)) {
            throw new ProtocolException("invalid_value", "unknown voice \"" + text + "\": use " + serverVoice + " or one of OpenAI's "
                    + new java.util.TreeSet<>(OPENAI_VOICES), param);
        }
    }
}

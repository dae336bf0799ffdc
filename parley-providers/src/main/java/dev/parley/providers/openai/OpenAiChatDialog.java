package dev.parley.providers.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.dialog.Dialog;
import dev.parley.dialog.DialogException;
import dev.parley.dialog.Message;
import dev.parley.dialog.SpokenStyle;
import dev.parley.dialog.TextStream;
import dev.parley.dialog.Tool;
import dev.parley.providers.http.ApiException;
import dev.parley.stt.Transcript;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An LLM brain for one session, on an OpenAI-compatible Chat Completions server.
 *
 * <p>Each turn sends: one system message ({@link SpokenStyle#SYSTEM_PROMPT}, then the session's instructions from a
 * leading SYSTEM message of the history, after a blank line), the rest of the history in order (blank messages
 * left out: an interrupted reply the user heard nothing of), and the user's turn. The reply's text is streamed as
 * it comes.
 *
 * <p>Tools: the given {@link Tool}s are offered as functions. When the model calls some, they are run on the reply
 * thread in the order given, and the conversation continues with the assistant message carrying the calls (and any
 * text said before them, which was already streamed and spoken) and one {@code tool} message per call; the
 * follow-up completion streams on. At most {@code maxToolRounds} rounds of calls: the request after the last round
 * says {@code tool_choice: "none"}, so the model has to answer in words. A tool that is unknown or throws gives the
 * model an error result rather than failing the turn.
 *
 * <p>Failures become {@link DialogException}s that say what to fix ({@link OpenAiErrors}); closing the reply
 * stream, or the dialog, cancels the upstream request for real.
 */
public final class OpenAiChatDialog implements Dialog {
    /** Rounds of tool calls in one turn before the model must answer. */
    public static final int DEFAULT_MAX_TOOL_ROUNDS = 4;

    private static final Logger log = LoggerFactory.getLogger(OpenAiChatDialog.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ChatCompletionsClient client;
    private final Map<String, Tool> tools = new LinkedHashMap<>();
    private final List<ToolSpec> specs = new ArrayList<>();
    private final int maxToolRounds;
    private final Set<Reply> replies = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** A dialog offering {@code tools}, with {@value #DEFAULT_MAX_TOOL_ROUNDS} rounds of tool calls per turn. */
    public OpenAiChatDialog(ChatCompletionsClient client, List<Tool> tools) {
        this(client, tools, DEFAULT_MAX_TOOL_ROUNDS);
    }

    /**
     * @throws IllegalArgumentException a tool has a bad name or schema, two tools share a name, or
     *                                  {@code maxToolRounds} is not 0 to 16
     */
    public OpenAiChatDialog(ChatCompletionsClient client, List<Tool> tools, int maxToolRounds) {
        this.client = Objects.requireNonNull(client, "client");
        if (maxToolRounds < 0 || maxToolRounds > 16) {
            throw new IllegalArgumentException("maxToolRounds must be 0 to 16, not " + maxToolRounds);
        }
        this.maxToolRounds = maxToolRounds;
        for (Tool tool : tools) {
            ToolSpec spec = ToolSpec.of(tool);
            if (this.tools.putIfAbsent(spec.name(), tool) != null) {
                throw new IllegalArgumentException("two tools are named '" + spec.name() + "'");
            }
            specs.add(spec);
        }
    }

    @Override
    public TextStream respond(List<Message> history, Transcript userTurn) {
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(userTurn, "userTurn");
        if (closed) {
            return TextStream.of();
        }
        Reply reply = new Reply(messages(history, userTurn, !tools.isEmpty()));
        replies.add(reply);
        if (closed) {
            reply.close();
        }
        return reply;
    }

    /** Cancels every reply still streaming; later turns get empty replies. */
    @Override
    public void close() {
        closed = true;
        for (Reply r : replies) {
            r.close();
        }
    }

    /** The conversation sent for a turn (see the class comment). */
    static List<ChatMessage> messages(List<Message> history, Transcript userTurn, boolean withTools) {
        List<ChatMessage> out = new ArrayList<>();
        String system = withTools ? SpokenStyle.WITH_TOOLS : SpokenStyle.SYSTEM_PROMPT;
        int start = 0;
        if (!history.isEmpty() && history.get(0).role() == Message.Role.SYSTEM) {
            String instructions = text(history.get(0));
            if (!instructions.isBlank()) {
                system = system + "\n\n" + instructions.strip();
            }
            start = 1;
        }
        out.add(new ChatMessage.SystemMessage(system));
        for (Message m : history.subList(start, history.size())) {
            String text = text(m);
            if (text.isBlank()) {
                continue;
            }
            out.add(switch (m.role()) {
                case SYSTEM -> new ChatMessage.SystemMessage(text);
                case USER -> new ChatMessage.UserMessage(text);
                case ASSISTANT -> new ChatMessage.AssistantMessage(text, List.of());
            });
        }
        out.add(new ChatMessage.UserMessage(userTurn.text()));
        return out;
    }

    private static String text(Message m) {
        return m.text() == null ? "" : m.text();
    }

    /** Runs one call; whatever happens, the model gets a result to read. */
    private String run(ToolCall call) {
        Tool tool = tools.get(call.name());
        if (tool == null) {
            log.warn("the model called an unknown tool '{}'", call.name());
            return error("there is no tool named " + call.name());
        }
        try {
            String result = tool.call(call.arguments());
            return result == null ? "" : result;
        } catch (RuntimeException e) {
            log.warn("tool '{}' failed", call.name(), e);
            return error("the tool failed: " + (e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage()));
        }
    }

    private static String error(String message) {
        return JSON.createObjectNode().put("error", message).toString();
    }

    /** One turn's reply: the streamed completions of the turn and its tool rounds, as one text stream. */
    private final class Reply implements TextStream {
        private final List<ChatMessage> messages;
        private final Object lock = new Object();
        private final StringBuilder said = new StringBuilder();
        private final List<ToolCall> calls = new ArrayList<>();
        private volatile boolean closed;
        private volatile ChatStream stream;
        private int rounds;
        private boolean toolsAllowed;

        Reply(List<ChatMessage> messages) {
            this.messages = new ArrayList<>(messages);
        }

        @Override
        public String next() throws DialogException {
            while (!closed) {
                ChatStream s = stream;
                if (s == null) {
                    s = open();
                    if (s == null) {
                        break;
                    }
                }
                ChatDelta delta;
                try {
                    delta = s.next();
                } catch (ApiException e) {
                    end();
                    if (closed) {
                        return null;
                    }
                    throw OpenAiErrors.toDialogException(e, client.config(), s.attempts());
                }
                switch (delta) {
                    case null -> {
                        if (!nextRound()) {
                            end();
                            return null;
                        }
                    }
                    case ChatDelta.Content c -> {
                        said.append(c.text());
                        return c.text();
                    }
                    case ChatDelta.ToolCalls t -> calls.addAll(t.calls());
                    case ChatDelta.Finished f -> log.debug("completion finished: {}", f.reason());
                    case ChatDelta.Usage u -> log.debug("tokens: {} prompt, {} completion", u.promptTokens(),
                            u.completionTokens());
                }
            }
            end();
            return null;
        }

        @Override
        public void close() {
            ChatStream s;
            synchronized (lock) {
                closed = true;
                s = stream;
            }
            if (s != null) {
                s.close();
            }
            replies.remove(this);
        }

        private ChatStream open() {
            synchronized (lock) {
                if (closed) {
                    return null;
                }
                toolsAllowed = rounds < maxToolRounds;
                stream = client.stream(new ChatRequest(messages, specs, toolsAllowed));
                return stream;
            }
        }

        /** After a completion ended: runs its tool calls and returns true if another completion is needed. */
        private boolean nextRound() throws DialogException {
            if (calls.isEmpty()) {
                return false;
            }
            if (specs.isEmpty()) {
                log.warn("the model called tools though none were offered; ignoring {} call(s)", calls.size());
                return false;
            }
            if (!toolsAllowed) {
                throw new DialogException("The language model kept calling tools instead of answering (after "
                        + maxToolRounds + " rounds).");
            }
            messages.add(new ChatMessage.AssistantMessage(said.toString(), calls));
            for (ToolCall call : calls) {
                if (closed) {
                    return false;
                }
                log.debug("calling tool '{}'", call.name());
                messages.add(new ChatMessage.ToolMessage(call.id(), run(call)));
            }
            rounds++;
            said.setLength(0);
            calls.clear();
            stream = null;
            return true;
        }

        /** The reply is over (its streams ended or failed, and failed ones cancelled themselves). */
        private void end() {
            replies.remove(this);
        }
    }
}

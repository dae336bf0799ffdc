package dev.parley.dialog.llama;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.Pair;
import dev.parley.dialog.Message;
import dev.parley.dialog.Message.Role;

import java.util.List;

/**
 * Turns a {@link Conversation} into the text the model continues. An instruction-tuned model answers well only in
 * the format it was trained on, which a GGUF file carries as its chat template: {@link ChatTemplate} uses it through
 * llama.cpp. A model without one gets {@link Plain}, a neutral "User: / Assistant:" transcript.
 */
sealed interface PromptFormat permits PromptFormat.ChatTemplate, PromptFormat.Plain {

    /** The prompt, ending where the assistant's reply begins. */
    String render(Conversation conversation);

    /** Texts that end the reply when the model starts writing the next turn itself. */
    List<String> stopStrings();

    /** A short name for logs. */
    String describe();

    /**
     * The model's own chat template, applied by llama.cpp (its built-in implementations of the common templates,
     * recognised from the GGUF's {@code tokenizer.chat_template}; an unrecognised one falls back to ChatML). The
     * template's end-of-turn token ends the reply.
     */
    record ChatTemplate(LlamaModel model) implements PromptFormat {
        @Override
        public String render(Conversation conversation) {
            List<Pair<String, String>> messages = conversation.turns().stream()
                    .map(m -> new Pair<>(m.role() == Role.USER ? "user" : "assistant", m.text()))
                    .toList();
            return model.applyTemplate(new InferenceParameters("").setMessages(conversation.system(), messages));
        }

        @Override
        public List<String> stopStrings() {
            return List.of();
        }

        @Override
        public String describe() {
            return "the model's chat template";
        }
    }

    /**
     * For models without a chat template: the instructions, a blank line, then one line per turn
     * ({@code User: …}, {@code Assistant: …}), ending with {@code Assistant:}.
     */
    record Plain() implements PromptFormat {
        static final String USER = "User:", ASSISTANT = "Assistant:";

        @Override
        public String render(Conversation conversation) {
            StringBuilder sb = new StringBuilder();
            if (!conversation.system().isEmpty()) {
                sb.append(conversation.system()).append("\n\n");
            }
            for (Message m : conversation.turns()) {
                sb.append(m.role() == Role.USER ? USER : ASSISTANT).append(' ').append(m.text()).append('\n');
            }
            return sb.append(ASSISTANT).toString();
        }

        @Override
        public List<String> stopStrings() {
            return List.of("\n" + USER, "\n" + ASSISTANT, "\nSystem:");
        }

        @Override
        public String describe() {
            return "a plain User/Assistant transcript (the model has no chat template)";
        }
    }
}

package dev.parley.dialog;

import dev.parley.stt.Transcript;

import java.util.ArrayList;
import java.util.List;

/**
 * A brain with standing instructions of the deployment's ({@code --instructions}, the language to answer in): a
 * SYSTEM message before the conversation of every turn, ahead of the session's own instructions. Brains that read
 * no SYSTEM message (the skills) are unchanged by it.
 */
public final class InstructedDialog implements Dialog {
    private final Dialog inner;
    private final Message instructions;

    public InstructedDialog(Dialog inner, String instructions) {
        if (instructions == null || instructions.isBlank()) throw new IllegalArgumentException("no instructions");
        this.inner = inner;
        this.instructions = new Message(Message.Role.SYSTEM, instructions.strip());
    }

    @Override
    public TextStream respond(List<Message> history, Transcript userTurn) {
        List<Message> h = new ArrayList<>(history.size() + 1);
        h.add(instructions);
        h.addAll(history);
        return inner.respond(h, userTurn);
    }

    @Override
    public void attach(DialogContext context) {
        inner.attach(context);
    }

    @Override
    public void onSignal(DialogSignal signal) {
        inner.onSignal(signal);
    }

    @Override
    public void close() {
        inner.close();
    }
}

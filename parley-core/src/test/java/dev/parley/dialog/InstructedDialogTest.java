package dev.parley.dialog;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InstructedDialogTest {
    @Test
    void theInstructionsComeFirstEveryTurnAndTheRestPassesThrough() {
        List<List<Message>> seen = new ArrayList<>();
        List<String> calls = new ArrayList<>();
        Dialog inner = new Dialog() {
            @Override
            public TextStream respond(List<Message> history, dev.parley.stt.Transcript userTurn) {
                seen.add(history);
                return TextStream.of("ok");
            }

            @Override
            public void onSignal(DialogSignal signal) {
                calls.add("signal");
            }

            @Override
            public void close() {
                calls.add("close");
            }
        };
        Dialog d = new InstructedDialog(inner, " Answer in Russian. ");
        d.respond(List.of(new Message(Message.Role.SYSTEM, "Be brief."), Message.user("hi")), "what time is it");
        assertThat(seen.getFirst()).extracting(Message::text).containsExactly("Answer in Russian.", "Be brief.", "hi");
        assertThat(seen.getFirst().getFirst().role()).isEqualTo(Message.Role.SYSTEM);
        d.onSignal(new DialogSignal.UserSpeechStarted());
        d.close();
        assertThat(calls).containsExactly("signal", "close");
        assertThatThrownBy(() -> new InstructedDialog(inner, " ")).isInstanceOf(IllegalArgumentException.class);
    }
}

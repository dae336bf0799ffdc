package dev.parley.dialog.llama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.dialog.Message;
import dev.parley.dialog.Message.Role;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConversationTest {

    private static Message system(String text) {
        return new Message(Role.SYSTEM, text);
    }

    @Test
    void systemPromptComesFirstThenTheSessionsInstructions() {
        Conversation c = Conversation.of(" Be brief. ", List.of(system("Speak French."), Message.user("hi"),
                system("The user is Sam.")), "bonjour");

        assertThat(c.system()).isEqualTo("Be brief.\n\nSpeak French.\n\nThe user is Sam.");
        assertThat(c.turns()).containsExactly(Message.user("hi\nbonjour"));
    }

    @Test
    void turnsAlternateAndBlankMessagesAreDropped() {
        Conversation c = Conversation.of("", List.of(Message.assistant("Timer done."), Message.user("  "),
                Message.assistant("Anything else?"), Message.user("yes"), Message.user("the time")), "please");

        assertThat(c.system()).isEmpty();
        assertThat(c.turns()).containsExactly(Message.assistant("Timer done.\nAnything else?"),
                Message.user("yes\nthe time\nplease"));
    }

    @Test
    void shorteningDropsWholeExchangesFromTheStart() {
        Conversation c = Conversation.of("S", List.of(Message.user("a"), Message.assistant("b"), Message.user("c"),
                Message.assistant("d")), "e");

        Conversation once = c.withoutOldest();
        Conversation twice = once.withoutOldest();

        assertThat(once.turns()).containsExactly(Message.user("c"), Message.assistant("d"), Message.user("e"));
        assertThat(twice.turns()).containsExactly(Message.user("e"));
        assertThat(twice.system()).isEqualTo("S");
        assertThat(twice.canShorten()).isFalse();
        assertThatThrownBy(twice::withoutOldest).isInstanceOf(IllegalStateException.class);
        assertThat(Conversation.of("", List.of(Message.assistant("hi")), "yo").withoutOldest().turns())
                .containsExactly(Message.user("yo"));
    }

    @Test
    void mustEndWithTheUser() {
        assertThatThrownBy(() -> new Conversation("", List.of(Message.assistant("x"))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

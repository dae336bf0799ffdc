package dev.parley.dialog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ConversationFileTest {
    @TempDir
    Path dir;

    @Test
    void messagesSurviveARoundTripWithAwkwardCharacters() throws Exception {
        Path f = dir.resolve("users/ann/conversation.tsv");
        List<Message> messages = List.of(new Message(Message.Role.SYSTEM, "be brief"), Message.user("tab\there, newline\nthere"),
                Message.assistant("a back\\slash \\n literal, and émoji 🎉"), Message.user("\\"));
        ConversationFile.save(f, messages);
        assertThat(ConversationFile.load(f, 40)).containsExactlyElementsOf(messages.subList(1, 4));
        assertThat(Files.readAllLines(f)).hasSize(3).first().isEqualTo("user\ttab\\there, newline\\nthere");
        assertThat(Files.list(f.getParent())).as("no temporary file left").hasSize(1);
    }

    @Test
    void onlyTheLastMessagesAreLoadedAndAMissingFileIsEmpty() throws Exception {
        Path f = dir.resolve("c.tsv");
        assertThat(ConversationFile.load(f, 10)).isEmpty();
        List<Message> many = new ArrayList<>();
        for (int i = 0; i < 50; i++) many.add(i % 2 == 0 ? Message.user("q" + i) : Message.assistant("a" + i));
        ConversationFile.save(f, many);
        assertThat(ConversationFile.load(f, 4)).containsExactly(Message.user("q46"), Message.assistant("a47"),
                Message.user("q48"), Message.assistant("a49"));
    }

    @Test
    void brokenLinesAreSkipped() throws Exception {
        Path f = dir.resolve("c.tsv");
        Files.writeString(f, "user\thello\nnonsense\nrobot\tbeep\n\tno role\nassistant\thi\\\n");
        assertThat(ConversationFile.load(f, 10)).containsExactly(Message.user("hello"), Message.assistant("hi\\"));
    }

    @Test
    void randomTextRoundTrips() {
        Random random = new Random(11);
        String alphabet = "ab \\\t\n\rtn\u00e9";
        for (int i = 0; i < 500; i++) {
            StringBuilder sb = new StringBuilder();
            for (int j = random.nextInt(20); j > 0; j--) sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            String s = sb.toString();
            assertThat(ConversationFile.escape(s)).doesNotContain("\n", "\t", "\r");
            assertThat(ConversationFile.unescape(ConversationFile.escape(s))).isEqualTo(s);
        }
    }
}

package dev.parley.dialog.skills;

import dev.parley.dialog.DialogContext;
import dev.parley.dialog.DialogException;
import dev.parley.dialog.Message;
import dev.parley.dialog.TextStream;
import dev.parley.dialog.VoiceControls;
import dev.parley.stt.Transcript;
import dev.parley.testing.ManualScheduler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The offline assistant as it ships: the real all-MiniLM-L6-v2 classifier, the standard skills, a notes file. */
class SkillsBrainTest {
    private static SkillsBrain brain;

    @BeforeAll
    static void load() throws Exception {
        Path notes = Path.of(SkillsBrainTest.class.getResource("/notes/home.md").toURI());
        brain = SkillsBrain.load(new SkillsBrain.Settings(notes, null, SkillsDialog.Options.DEFAULT));
    }

    @AfterAll
    static void close() {
        brain.close();
    }

    private final ManualScheduler scheduler = new ManualScheduler(Instant.parse("2026-11-21T16:07:00Z"), ZoneId.of("Europe/London"));
    private final List<String> announced = new ArrayList<>();
    private final List<Message> history = new ArrayList<>();
    private final SkillsDialog dialog = brain.newDialog(scheduler, "test", null);

    {
        dialog.attach(new DialogContext() {
            @Override
            public void say(String text) {
                announced.add(text);
            }

            @Override
            public VoiceControls voice() {
                return VoiceControls.NONE;
            }
        });
    }

    private String ask(String text) throws DialogException {
        StringBuilder sb = new StringBuilder();
        try (TextStream s = dialog.respond(List.copyOf(history), new Transcript(text, 0.95))) {
            for (String p; (p = s.next()) != null; ) sb.append(p);
        }
        String reply = sb.toString().strip();
        history.add(Message.user(text));
        history.add(Message.assistant(reply));
        return reply;
    }

    @Test
    void theCorpusCommandsGetTheRightAnswers() throws Exception {
        assertThat(ask("what time is it")).isEqualTo("It's four oh seven PM.");
        assertThat(ask("what's the weather")).containsIgnoringCase("weather").containsIgnoringCase("offline");
        assertThat(ask("set a timer for 3 hours and 10 minutes")).containsPattern("(3|three) hours? and (10|ten) minutes?");
        assertThat(ask("timer status")).containsPattern("(3|three) hours? and (10|ten) minutes?");
        assertThat(ask("add apples to my Shopping List")).containsIgnoringCase("apples").containsIgnoringCase("shopping list");
        assertThat(ask("what's on my shopping list")).containsIgnoringCase("apples");
        scheduler.advance(Duration.ofHours(3).plusMinutes(10));
        assertThat(announced).singleElement().asString().containsIgnoringCase("timer").containsIgnoringCase("done");
    }

    @Test
    void nonCommandsGetAnHonestAnswer() throws Exception {
        for (String s : List.of("go forward ten meters", "ten of clubs", "the birch canoe slid on the smooth planks")) {
            assertThat(ask(s)).as(s).containsIgnoringCase("can't");
        }
    }

    @Test
    void arithmeticUnitsAndNotes() throws Exception {
        assertThat(ask("what is seventeen times twenty three")).contains("391");
        assertThat(ask("how many miles is 10 kilometres")).contains("6.2").containsIgnoringCase("miles");
        assertThat(ask("what's the wifi password")).contains("sunflower-42").doesNotContain("**", "`");
    }
}

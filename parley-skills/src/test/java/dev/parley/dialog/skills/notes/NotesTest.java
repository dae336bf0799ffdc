package dev.parley.dialog.skills.notes;

import dev.parley.dialog.skills.SkillsDialog;
import dev.parley.dialog.skills.builtin.StandardSkills;
import dev.parley.dialog.skills.testing.FakeClassifier;
import dev.parley.dialog.skills.testing.FakeEmbedder;
import dev.parley.dialog.skills.testing.Harness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NotesTest {

    private static Path sample() {
        try {
            return Path.of(NotesTest.class.getResource("/notes/home.md").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void splitsTheSampleIntoPassages() throws IOException {
        List<Passage> p = NotesParser.parse(Files.readString(sample()));
        assertThat(p).extracting(Passage::title).containsExactly(
                "What's the wifi password?", "How do I restart the router?", "Bins", "Bins",
                "When is the dentist appointment?", "Contacts", "Contacts", "Contacts", "Car",
                "When does Grandma take her pills?");
        assertThat(p.getFirst().body()).isEqualTo(
                "The wifi network is Maple-Home and the password is sunflower-42. The guest network has no password.");
        assertThat(p.get(4).body()).startsWith("The next dentist appointment is on Thursday 3 December at 2:30 pm "
                + "with Dr. Patel at Riverside Dental.");
        assertThat(p.get(5).body()).isEqualTo("Plumber: Joe Kowalski, 555 0142, available weekdays.");
        assertThat(p).noneMatch(x -> x.body().contains("code block") || x.body().contains("owner")
                || x.body().contains("Parley reads"));
    }

    @Test
    void readsQuestionAndAnswerFormsAndMarkdown() {
        String text = """
                Q: Where is the spare key?
                A: Under the blue flower pot,
                   by the back door.

                Question: Who feeds the cat on Sundays?
                Answer: Alex does.
                Q: An unanswered question
                # Heading only

                Just a paragraph with a [link](http://x.y) and **bold** and `code`.
                > a quote
                """;
        List<Passage> p = NotesParser.parse(text);
        assertThat(p).containsExactly(
                new Passage("Where is the spare key?", "Under the blue flower pot, by the back door."),
                new Passage("Who feeds the cat on Sundays?", "Alex does."),
                new Passage("Heading only", "Just a paragraph with a link and bold and code. a quote"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "The password is sunflower. The guest network is open. | The password is sunflower. The guest network is open.",
            "Ask Dr. Patel. Then wait.                              | Ask Dr. Patel. Then wait.",
            "No full stop at the end                               | No full stop at the end.",
    })
    void briefAnswers(String body, String expected) {
        assertThat(NotesSkill.brief(body)).isEqualTo(expected);
    }

    @Test
    void briefAnswersAreCut() {
        String longSentence = "word ".repeat(40).strip() + ".";
        assertThat(NotesSkill.brief(longSentence)).isEqualTo("word ".repeat(30).strip() + "...");
        String first = "This first sentence is already rather long at about fifteen words or so in total.";
        assertThat(NotesSkill.brief(first + " Second.")).isEqualTo(first);
    }

    @Test
    void searchesByMeaningAndEmbedsPassagesOnce() throws IOException {
        FakeEmbedder embedder = new FakeEmbedder();
        NotesIndex index = NotesIndex.load(sample(), embedder);
        int atStart = embedder.calls.get();
        assertThat(atStart).isEqualTo(10 + 10); // a title and a full text per passage
        NoteHit hit = index.best("what's the wifi password").orElseThrow();
        assertThat(hit.passage().title()).isEqualTo("What's the wifi password?");
        assertThat(hit.score()).isGreaterThan(0.99);
        assertThat(index.best("when is bin day").orElseThrow().passage().body()).startsWith("Bin day is Tuesday");
        assertThat(embedder.calls.get()).isEqualTo(atStart + 2);
        assertThat(index.search("anything", 3)).hasSize(3);
        assertThat(index.search(" ", 3)).isEmpty();
    }

    @Test
    void badFiles(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> NotesIndex.load(dir.resolve("missing.md"), new FakeEmbedder()))
                .isInstanceOf(IOException.class).hasMessageContaining("missing.md");
        Path empty = dir.resolve("empty.md");
        Files.writeString(empty, "");
        assertThat(NotesIndex.load(empty, new FakeEmbedder()).passages()).isEmpty();
        assertThat(NotesIndex.load(empty, new FakeEmbedder()).best("wifi")).isEmpty();
    }

    private static Harness withNotes(FakeEmbedder embedder) throws IOException {
        NotesIndex index = NotesIndex.load(sample(), embedder);
        return new Harness(StandardSkills.create(null, index, 0.5), FakeClassifier.standard(),
                Instant.parse("2026-11-21T16:07:00Z"), ZoneId.of("Europe/Paris"), SkillsDialog.Options.DEFAULT, null);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "What's the wifi password?           | The wifi network is Maple-Home and the password is sunflower-42. The guest network has no password.",
            "when do the bins go out             | Bin day is Tuesday morning. Put the recycling out on even weeks and the general waste on odd weeks; the green garden bin goes every other Friday.",
            "when is the dentist appointment     | The next dentist appointment is on Thursday 3 December at 2:30 pm with Dr. Patel at Riverside Dental.",
            "how do I restart the router         | Unplug the white box in the hall cupboard, wait ten seconds, and plug it back in.",
            "when are grandma's pills            | Grandma takes her blood pressure pills at eight in the morning and her vitamin D with dinner.",
    })
    void answersFromTheNotes(String question, String answer) throws IOException {
        try (Harness h = withNotes(new FakeEmbedder())) {
            assertThat(h.say(question)).isEqualTo(answer);
        }
    }

    @Test
    void notesOnlyWhenNothingElseFitsAndOnlyAboveTheThreshold() throws IOException {
        try (Harness h = withNotes(new FakeEmbedder())) {
            assertThat(h.say("what's the capital of france")).startsWith("Sorry, I can't do that yet.");
            assertThat(h.say("what time is it")).isEqualTo("It's five oh seven PM.");
            assertThat(h.say("what can you do")).contains("and answer questions from your notes.");
        }
    }

    @Test
    void searchNotesTool() throws IOException {
        try (Harness h = withNotes(new FakeEmbedder())) {
            Map<String, dev.parley.dialog.Tool> tools = h.dialog.tools().stream()
                    .collect(Collectors.toMap(dev.parley.dialog.Tool::name, Function.identity()));
            assertThat(tools.get("search_notes").call("{\"query\": \"wifi password\"}")).isEqualTo(
                    "- What's the wifi password?: The wifi network is Maple-Home and the password is sunflower-42. "
                            + "The guest network has no password.");
            assertThat(tools.get("search_notes").call("{\"query\": \"capital of france\"}"))
                    .isEqualTo("Nothing in the notes matches.");
            assertThat(tools.get("search_notes").call("{}")).isEqualTo("Error: query is required (a string).");
        }
    }

    @Test
    void examplesComeFromTheNotesQuestions() throws IOException {
        NotesSkill s = new NotesSkill(NotesIndex.load(sample(), new FakeEmbedder()));
        assertThat(s.examples()).containsExactly("what's the wifi password", "how do i restart the router",
                "when is the dentist appointment");
    }
}

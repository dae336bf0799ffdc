package dev.parley.dialog.skills.builtin;

import dev.parley.dialog.skills.SkillSet;
import dev.parley.dialog.skills.SkillsDialog;
import dev.parley.dialog.skills.testing.FakeClassifier;
import dev.parley.dialog.skills.testing.Harness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ListSkillTest {
    private final Harness h = new Harness();

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void addsRemovesAndReads() {
        assertThat(h.say("what's on my shopping list")).isEqualTo("Your shopping list is empty.");
        assertThat(h.say("add milk to my shopping list")).isEqualTo("I added milk to your shopping list.");
        assertThat(h.say("add eggs and bread")).isEqualTo("I added eggs and bread to your shopping list.");
        assertThat(h.say("put butter on the list")).isEqualTo("I added butter to your shopping list.");
        assertThat(h.say("add milk to the shopping list")).isEqualTo("Milk is already on your shopping list.");
        assertThat(h.say("what's on my shopping list")).isEqualTo(
                "Your shopping list has four items: milk, eggs, bread and butter.");
        assertThat(h.say("remove eggs from my shopping list")).isEqualTo("I removed eggs from your shopping list.");
        assertThat(h.say("take the bread off the list")).isEqualTo("I removed bread from your shopping list.");
        assertThat(h.say("remove bananas")).isEqualTo("I couldn't find bananas on your shopping list.");
        assertThat(h.say("read my shopping list")).isEqualTo("Your shopping list has two items: milk and butter.");
    }

    @Test
    void otherLists() {
        assertThat(h.say("add call the bank to my to do list")).isEqualTo("I added call the bank to your to do list.");
        assertThat(h.say("add pay rent to my todo list")).isEqualTo("I added pay rent to your to do list.");
        assertThat(h.say("add apples to the grocery list")).isEqualTo("I added apples to your shopping list.");
        assertThat(h.say("add sunscreen to my packing list")).isEqualTo("I added sunscreen to your packing list.");
        assertThat(h.say("what's on my to do list")).isEqualTo("Your to do list has two items: call the bank and pay rent.");
        assertThat(h.say("what lists do I have")).isEqualTo("You have three lists: to do, shopping and packing.");
    }

    @Test
    void removesByPositionMatchesPluralsAndClears() {
        h.say("add milk and eggs and apples");
        assertThat(h.say("remove the second item from my list")).isEqualTo("I removed eggs from your shopping list.");
        assertThat(h.say("remove apple")).isEqualTo("I removed apples from your shopping list.");
        assertThat(h.say("remove item number five")).isEqualTo("I couldn't find item five on your shopping list.");
        assertThat(h.say("clear the shopping list")).isEqualTo("OK, I cleared your shopping list.");
        assertThat(h.say("what's on the list")).isEqualTo("Your shopping list is empty.");
        assertThat(h.say("clear the shopping list")).isEqualTo("Your shopping list is already empty.");
    }

    @Test
    void asksWhatToAdd() {
        assertThat(h.say("add something to my shopping list")).isEqualTo("I added something to your shopping list.");
        assertThat(h.say("add to my to do list")).isEqualTo("What should I add to your to do list?");
        assertThat(h.say("water the plants")).isEqualTo("I added water the plants to your to do list.");
        assertThat(h.say("add to my shopping list")).isEqualTo("What should I add to your shopping list?");
        assertThat(h.say("what time is it")).isEqualTo("It's five oh seven PM.");
        assertThat(h.say("what's on my shopping list")).isEqualTo("Your shopping list has one item: something.");
    }

    @Test
    void readsTenItemsThenHowManyMore() {
        for (int i = 1; i <= 13; i++) {
            h.say("add item" + i);
        }
        assertThat(h.say("read my shopping list")).isEqualTo("Your shopping list has thirteen items: item 1, item 2, "
                + "item 3, item 4, item 5, item 6, item 7, item 8, item 9, item 10, and three more.");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "add milk to my shopping list           | list.add    | shopping | milk",
            "i need to buy milk                     | list.add    | shopping | milk",
            "add to my shopping list milk and eggs  | list.add    | shopping | milk;eggs",
            "shopping list add milk                 | list.add    | shopping | milk",
            "please add some oat milk to the list   | list.add    | shopping | oat milk",
            "put call the bank on my to do list     | list.add    | to do    | call the bank",
            "cross eggs off my shopping list        | list.remove | shopping | eggs",
            "whats on my packing list               | list.read   | packing  | ''",
    })
    void parses(String said, String intent, String list, String items) {
        ListSkill.Parsed p = ListSkill.parse(dev.parley.dialog.skills.slots.SpokenText.tokens(said), intent);
        assertThat(p.list()).isEqualTo(list);
        assertThat(p.items()).isEqualTo(items.isEmpty() ? List.of() : List.of(items.split(";")));
    }

    /** A session of the user "tester" whose lists are kept in {@code dir}. */
    private static Harness persisted(Path dir) {
        return new Harness(StandardSkills.create(dir, null), FakeClassifier.standard(),
                Instant.parse("2026-11-21T16:07:00Z"), ZoneId.of("Europe/Paris"), SkillsDialog.Options.DEFAULT,
                null);
    }

    @Test
    void persistsPerUserInTheDirectory(@TempDir Path dir) throws IOException {
        SkillSet skills = StandardSkills.create(dir, null);
        try (Harness a = new Harness(skills, FakeClassifier.standard(), Instant.parse("2026-11-21T16:07:00Z"),
                ZoneId.of("UTC"), SkillsDialog.Options.DEFAULT, null)) {
            a.say("add milk and eggs");
        }
        Path file = dir.resolve("tester.lists.json");
        assertThat(file).exists();
        assertThat(Files.readString(file)).contains("\"shopping\"").contains("\"milk\"").contains("\"eggs\"");
        // a later session of the same user, with skills made anew (as after a restart), sees them
        try (Harness b = new Harness(StandardSkills.create(dir, null), FakeClassifier.standard(),
                Instant.parse("2026-11-22T16:07:00Z"), ZoneId.of("UTC"), SkillsDialog.Options.DEFAULT, null)) {
            assertThat(b.say("what's on my shopping list")).isEqualTo(
                    "Your shopping list has two items: milk and eggs.");
            b.say("remove milk");
        }
        assertThat(Files.readString(file)).doesNotContain("milk").contains("eggs");
        assertThat(dir.resolve("tester.lists.json.tmp")).doesNotExist();
    }

    @Test
    void anUnreadableFileIsMovedAsideNotOverwritten(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("tester.lists.json");
        Files.writeString(file, "{ this is not json");
        try (Harness a = persisted(dir)) {
            assertThat(a.say("what's on my shopping list")).isEqualTo("Your shopping list is empty.");
            a.say("add milk");
        }
        assertThat(Files.readString(dir.resolve("tester.lists.json.unreadable"))).isEqualTo("{ this is not json");
        assertThat(Files.readString(file)).contains("milk");
    }

    @Test
    void userIdsBecomeSafeFileNames() {
        assertThat(ListSkill.fileName("alice")).isEqualTo("alice.lists.json");
        assertThat(ListSkill.fileName("../../etc/passwd")).matches("user-[0-9a-f]{32}\\.lists\\.json");
        assertThat(ListSkill.fileName("bob smith")).isNotEqualTo(ListSkill.fileName("bob_smith"));
    }
}

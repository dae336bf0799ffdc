package dev.parley.dialog;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ConversationTest {
    private final Conversation c = new Conversation();

    private static Message u(String text) {
        return Message.user(text);
    }

    private static Message a(String text) {
        return Message.assistant(text);
    }

    @Test
    void addsAtTheEndInOrder() {
        c.add(1, u("hi"));
        c.add(1, a("hello"));
        c.add(0, u("typed"));
        assertThat(c.messages()).containsExactly(u("hi"), a("hello"), u("typed"));
    }

    @Test
    void keepsTheNewestFortyMessages() {
        for (int i = 0; i < Conversation.MAX_MESSAGES; i++) c.add(i + 1, u("m" + i));
        assertThat(c.messages()).hasSize(40).first().isEqualTo(u("m0"));
        c.add(99, u("m40"));
        assertThat(c.messages()).hasSize(40);
        assertThat(c.messages().getFirst()).isEqualTo(u("m1"));
        assertThat(c.messages().getLast()).isEqualTo(u("m40"));
        // an insert over the limit trims too
        Conversation.Anchor anchor = new Conversation.Anchor();
        c.answering(anchor);
        c.insert(anchor, 100, List.of(u("q"), a("r")));
        assertThat(c.messages()).hasSize(40);
        assertThat(c.messages().getFirst()).isEqualTo(u("m3"));
        assertThat(c.messages().subList(38, 40)).containsExactly(u("q"), a("r"));
    }

    @Test
    void answeringReturnsTheConversationAsItIs() {
        c.add(1, u("hi"));
        c.add(1, a("hello"));
        assertThat(c.answering(new Conversation.Anchor())).containsExactly(u("hi"), a("hello"));
    }

    @Test
    void aReplysMessagesGoRightAfterWhatItAnsweredEvenWhenMoreWasAddedMeanwhile() {
        c.add(1, u("what time is it"));
        c.add(1, a("ten o'clock"));
        Conversation.Anchor anchor = new Conversation.Anchor();
        c.answering(anchor);
        // while reply 2 is produced and played, typed text and an earlier transcript arrive
        c.add(0, u("typed meanwhile"));
        c.add(3, u("said meanwhile"));
        c.insert(anchor, 2, List.of(u("and the date"), a("the fifth")));
        assertThat(c.messages()).containsExactly(u("what time is it"), a("ten o'clock"),
                u("and the date"), a("the fifth"), u("typed meanwhile"), u("said meanwhile"));
    }

    @Test
    void withoutAnsweringAReplyGoesAtTheEnd() {
        c.add(1, u("hi"));
        c.add(0, u("typed"));
        c.insert(new Conversation.Anchor(), 2, List.of(u("q"), a("r")));
        assertThat(c.messages()).containsExactly(u("hi"), u("typed"), u("q"), a("r"));
    }

    @Test
    void aReplyToTheEmptyConversationGoesFirst() {
        Conversation.Anchor anchor = new Conversation.Anchor();
        assertThat(c.answering(anchor)).isEmpty();
        c.add(0, u("typed meanwhile"));
        c.insert(anchor, 1, List.of(u("hi"), a("hello")));
        assertThat(c.messages()).containsExactly(u("hi"), a("hello"), u("typed meanwhile"));
    }

    @Test
    void whenWhatItAnsweredWasTrimmedAwayAReplyGoesAtTheEnd() {
        c.add(1, u("old"));
        Conversation.Anchor anchor = new Conversation.Anchor();
        c.answering(anchor);
        for (int i = 0; i < Conversation.MAX_MESSAGES; i++) c.add(0, u("m" + i)); // "old" is trimmed
        c.insert(anchor, 2, List.of(a("late")));
        assertThat(c.messages()).hasSize(40);
        assertThat(c.messages().getLast()).isEqualTo(a("late"));
        assertThat(c.messages().getFirst()).isEqualTo(u("m1"));
    }

    @Test
    void anEmptyInsertChangesNothing() {
        c.add(1, u("hi"));
        Conversation.Anchor anchor = new Conversation.Anchor();
        c.answering(anchor);
        c.insert(anchor, 2, List.of());
        assertThat(c.messages()).containsExactly(u("hi"));
    }

    @Test
    void truncateReplacesTheLatestReplyOfTheTurn() {
        c.add(1, u("tell me a story"));
        c.add(1, a("Once upon a time there was a fox."));
        c.add(2, u("go on"));
        c.add(2, a("The fox was hungry."));
        assertThat(c.truncate(1, "Once upon a time")).isTrue();
        assertThat(c.messages()).containsExactly(u("tell me a story"), a("Once upon a time"),
                u("go on"), a("The fox was hungry."));
    }

    @Test
    void truncateToNothingRemovesTheReplyButNotTheUserWords() {
        c.add(1, u("tell me a story"));
        c.add(1, a("Once upon a time."));
        assertThat(c.truncate(1, "  ")).isTrue();
        assertThat(c.messages()).containsExactly(u("tell me a story"));
        // the reply is gone now: nothing left to truncate
        assertThat(c.truncate(1, "")).isFalse();
    }

    @Test
    void truncateOfAnUnknownTurnOrOfUserWordsOnlyIsFalse() {
        c.add(1, u("hi"));
        assertThat(c.truncate(1, "x")).isFalse();
        assertThat(c.truncate(7, "x")).isFalse();
        assertThat(c.messages()).containsExactly(u("hi"));
    }

    @Test
    void aReplyStillGoesAfterWhatItAnsweredWhenThatWasTruncatedMeanwhile() {
        c.add(1, u("tell me a story"));
        c.add(1, a("Once upon a time there was a fox."));
        Conversation.Anchor anchor = new Conversation.Anchor();
        c.answering(anchor);
        c.truncate(1, "Once upon a time"); // the client says what was heard of reply 1, after reply 2 started
        c.add(0, u("typed meanwhile"));
        c.insert(anchor, 2, List.of(u("go on"), a("The fox was hungry.")));
        assertThat(c.messages()).containsExactly(u("tell me a story"), a("Once upon a time"),
                u("go on"), a("The fox was hungry."), u("typed meanwhile"));
    }
}

package dev.parley.session;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AnnouncementsTest {
    private final Announcements announcements = new Announcements();

    @Test
    void nothingWaitsAtFirst() {
        assertThat(announcements.waiting()).isFalse();
        assertThat(announcements.isEmpty()).isTrue();
        assertThat(announcements.next()).isNull();
        assertThat(announcements.waiting()).isFalse();
    }

    @Test
    void comeOutInTheOrderAskedAndWaitingFollowsTheQueue() {
        announcements.add("Your timer is done.");
        assertThat(announcements.waiting()).isTrue();
        announcements.add("It is noon.");
        announcements.add("Reminder: call mum.");
        assertThat(announcements.next()).isEqualTo("Your timer is done.");
        assertThat(announcements.waiting()).isTrue();
        assertThat(announcements.next()).isEqualTo("It is noon.");
        assertThat(announcements.waiting()).isTrue();
        assertThat(announcements.isEmpty()).isFalse();
        assertThat(announcements.next()).isEqualTo("Reminder: call mum.");
        assertThat(announcements.waiting()).isFalse();
        assertThat(announcements.isEmpty()).isTrue();
        assertThat(announcements.next()).isNull();
    }

    @Test
    void addingAfterEmptyingWaitsAgain() {
        announcements.add("one");
        announcements.next();
        announcements.add("two");
        assertThat(announcements.waiting()).isTrue();
        assertThat(announcements.next()).isEqualTo("two");
    }

    @Test
    void clearDropsEverything() {
        announcements.add("one");
        announcements.add("two");
        announcements.clear();
        assertThat(announcements.waiting()).isFalse();
        assertThat(announcements.isEmpty()).isTrue();
        assertThat(announcements.next()).isNull();
    }
}

package dev.parley.dialog.skills.builtin;

import dev.parley.dialog.skills.testing.Harness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The harness's clock starts on Saturday 21 November 2026 at 17:07 in Paris. */
class ReminderSkillTest {
    private final Harness h = new Harness();

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void remindsAfterADelay() {
        assertThat(h.say("remind me to call mom in ten minutes"))
                .isEqualTo("OK, I'll remind you to call mom in ten minutes.");
        assertThat(h.advance(Duration.ofSeconds(599))).isEmpty();
        assertThat(h.advance(Duration.ofSeconds(1))).containsExactly("Reminder: call mom.");
    }

    @Test
    void remindsAtAClockTime() {
        assertThat(h.say("remind me at six pm to take the bread out"))
                .isEqualTo("OK, I'll remind you to take the bread out at six PM.");
        assertThat(h.advance(Duration.ofMinutes(52).plusSeconds(59))).isEmpty();
        assertThat(h.advance(Duration.ofSeconds(1))).containsExactly("Reminder: take the bread out.");
    }

    @Test
    void aBareHourIsTheNextOneAhead() {
        // at 17:07, "at seven" is 19:00 today
        assertThat(h.say("remind me at seven to feed the cat"))
                .isEqualTo("OK, I'll remind you to feed the cat at seven PM.");
        assertThat(h.advance(Duration.ofMinutes(113))).containsExactly("Reminder: feed the cat.");
    }

    @Test
    void aPassedTimeIsTomorrow() {
        assertThat(h.say("remind me at 5 pm to water the plants"))
                .isEqualTo("OK, I'll remind you to water the plants tomorrow at five PM.");
        assertThat(h.advance(Duration.ofHours(23).plusMinutes(52))).isEmpty();
        assertThat(h.advance(Duration.ofMinutes(1))).containsExactly("Reminder: water the plants.");
    }

    @Test
    void tomorrowMorning() {
        assertThat(h.say("remind me tomorrow at nine to call the dentist"))
                .isEqualTo("OK, I'll remind you to call the dentist tomorrow at nine AM.");
    }

    @Test
    void myBecomesYour() {
        assertThat(h.say("remind me to take my pills at 9 pm"))
                .isEqualTo("OK, I'll remind you to take your pills at nine PM.");
        assertThat(h.advance(Duration.ofHours(4))).containsExactly("Reminder: take your pills.");
    }

    @Test
    void aboutSomething() {
        assertThat(h.say("remind me about the meeting in an hour"))
                .isEqualTo("OK, I'll remind you about the meeting in one hour.");
        assertThat(h.advance(Duration.ofHours(1))).containsExactly("Reminder: the meeting.");
    }

    @Test
    void setAReminderForAClockTime() {
        assertThat(h.say("set a reminder for 17:30 to leave for the station"))
                .isEqualTo("OK, I'll remind you to leave for the station at five thirty PM.");
    }

    @Test
    void asksWhen() {
        assertThat(h.say("remind me to call mom")).isEqualTo("When should I remind you?");
        assertThat(h.say("in five minutes")).isEqualTo("OK, I'll remind you to call mom in five minutes.");
        assertThat(h.advance(Duration.ofMinutes(5))).containsExactly("Reminder: call mom.");
    }

    @Test
    void aWholeReminderAfterTheQuestionKeepsItsOwnSubject() {
        assertThat(h.say("remind me to call mom")).isEqualTo("When should I remind you?");
        assertThat(h.say("remind me to feed the cat in five minutes"))
                .isEqualTo("OK, I'll remind you to feed the cat in five minutes.");
        assertThat(h.advance(Duration.ofMinutes(5))).containsExactly("Reminder: feed the cat.");
    }

    @Test
    void withoutSubject() {
        assertThat(h.say("remind me in twenty minutes")).isEqualTo("OK, I'll remind you in twenty minutes.");
        assertThat(h.advance(Duration.ofMinutes(20))).containsExactly("This is your reminder.");
    }

    @Test
    void statusAndCancel() {
        assertThat(h.say("what reminders do I have")).isEqualTo("You don't have any reminders.");
        h.say("remind me to call mom in ten minutes");
        h.say("remind me at eight pm to lock the door");
        assertThat(h.say("what reminders do I have")).isEqualTo(
                "You have two reminders: call mom in ten minutes and lock the door at eight PM.");
        assertThat(h.say("cancel the reminder to lock the door")).isEqualTo(
                "OK, I cancelled the reminder to lock the door.");
        assertThat(h.say("cancel my reminder")).isEqualTo("OK, I cancelled the reminder to call mom.");
        assertThat(h.advance(Duration.ofDays(1))).isEmpty();
    }

    @Test
    void refusesTooFarAhead() {
        assertThat(h.say("remind me in eight days to renew the passport"))
                .isEqualTo("I can only set reminders up to a week ahead.");
    }

    @Test
    void remindersAndTimersAreKeptApart() {
        h.say("set a timer for 3 minutes");
        h.say("remind me to call mom in ten minutes");
        assertThat(h.say("how much time is left")).isEqualTo("Your three minute timer has three minutes left.");
        assertThat(h.say("cancel the timer")).isEqualTo("OK, I cancelled the three minute timer.");
        assertThat(h.advance(Duration.ofMinutes(10))).containsExactly("Reminder: call mom.");
    }
}

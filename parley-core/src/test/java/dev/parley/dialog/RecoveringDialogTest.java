package dev.parley.dialog;

import dev.parley.stt.Transcript;
import dev.parley.testing.ManualScheduler;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RecoveringDialogTest {
    private final ManualScheduler scheduler = new ManualScheduler();
    private final List<String> asked = new ArrayList<>();
    private final List<String> said = new ArrayList<>();
    private final Dialog inner = (history, turn) -> {
        asked.add(turn.text());
        return TextStream.of("OK.");
    };
    private final RecoveringDialog dialog = new RecoveringDialog(inner, scheduler, Duration.ofSeconds(8));

    {
        dialog.attach(said::add);
    }

    private String reply(String text) throws DialogException {
        StringBuilder sb = new StringBuilder();
        try (TextStream s = dialog.respond(List.of(), new Transcript(text, 0.8))) {
            for (String p; (p = s.next()) != null; ) sb.append(p);
        }
        return sb.toString();
    }

    @Test
    void nothingIntelligibleIsAskedAgainThenTheUserIsAdvisedToMoveCloser() throws Exception {
        assertThat(reply("")).isEqualTo(RecoveringDialog.SAY_AGAIN);
        assertThat(reply("uh um")).isEqualTo(RecoveringDialog.MOVE_CLOSER);
        assertThat(reply("hmm")).isEqualTo(RecoveringDialog.MOVE_CLOSER);
        assertThat(reply("what time is it")).isEqualTo("OK.");
        assertThat(reply("the")).as("a good turn starts the count again").isEqualTo(RecoveringDialog.SAY_AGAIN);
        assertThat(asked).containsExactly("what time is it");
    }

    @Test
    void wordsAmongFillersAreAnsweredByTheBrain() throws Exception {
        assertThat(reply("um, timer status?")).isEqualTo("OK.");
        assertThat(RecoveringDialog.unintelligible("  ... ")).isTrue();
        assertThat(RecoveringDialog.unintelligible("uh, hmm.")).isTrue();
        assertThat(RecoveringDialog.unintelligible("a timer")).isFalse();
    }

    @Test
    void silenceAfterAQuestionGetsOneAreYouStillThere() {
        dialog.onSignal(new DialogSignal.ReplyPlayed("Did you say: cancel the timer?", false));
        scheduler.advance(Duration.ofMillis(7999));
        assertThat(said).isEmpty();
        scheduler.advance(Duration.ofMillis(1));
        assertThat(said).containsExactly(RecoveringDialog.STILL_THERE);
        // the prompt is a question too, but it is not asked again and again
        dialog.onSignal(new DialogSignal.ReplyPlayed(RecoveringDialog.STILL_THERE, false));
        scheduler.advance(Duration.ofMinutes(5));
        assertThat(said).containsExactly(RecoveringDialog.STILL_THERE);
    }

    @Test
    void theUserSpeakingOrATurnCancelsThePrompt() throws Exception {
        dialog.onSignal(new DialogSignal.ReplyPlayed("What should I call the timer?", false));
        scheduler.advance(Duration.ofSeconds(3));
        dialog.onSignal(new DialogSignal.UserSpeechStarted());
        scheduler.advance(Duration.ofSeconds(30));
        assertThat(said).isEmpty();

        dialog.onSignal(new DialogSignal.ReplyPlayed("Anything else?", false));
        reply("no thanks");
        scheduler.advance(Duration.ofSeconds(30));
        assertThat(said).isEmpty();
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void statementsAndInterruptedQuestionsAreNotFollowedUp() {
        dialog.onSignal(new DialogSignal.ReplyPlayed("It's five PM.", false));
        dialog.onSignal(new DialogSignal.ReplyPlayed("Would you like", true));
        dialog.onSignal(new DialogSignal.ReplyPlayed("Shall I set it?", true));
        scheduler.advance(Duration.ofMinutes(1));
        assertThat(said).isEmpty();
    }

    @Test
    void offWhenTheDelayIsZeroAndClosingCancels() {
        RecoveringDialog off = new RecoveringDialog(inner, scheduler, Duration.ZERO);
        off.attach(said::add);
        off.onSignal(new DialogSignal.ReplyPlayed("Anything else?", false));
        assertThat(scheduler.pending()).isZero();

        dialog.onSignal(new DialogSignal.ReplyPlayed("Anything else?", false));
        assertThat(scheduler.pending()).isOne();
        dialog.close();
        scheduler.advance(Duration.ofMinutes(1));
        assertThat(said).isEmpty();
    }
}

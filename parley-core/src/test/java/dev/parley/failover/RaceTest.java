package dev.parley.failover;

import dev.parley.testing.RecordingTimers;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A primary and its fallback racing within a turn's budget, on fake time: hedging, failures, the deadline. */
class RaceTest {
    private final RecordingTimers timers = new RecordingTimers();
    private final CountDownLatch never = new CountDownLatch(1);

    private TurnBudget budget(long ms) {
        return TurnBudget.starting(timers::nanoTime, timers.nanoTime(), ms);
    }

    /** An attempt that answers only when the test lets it (never, here). */
    private Race.Attempt<String> stalled() {
        return answer -> {
            never.await();
            answer.accept("too late");
        };
    }

    @Test
    void aPrimaryThatAnswersInTimeWinsAndTheFallbackNeverStarts() throws Exception {
        Race<String> race = Race.start(answer -> answer.accept("cloud"), answer -> answer.accept("local"), s -> { },
                budget(3000), timers);
        assertThat(race.await(true)).isEqualTo(new Race.Win<>(Race.Side.PRIMARY, "cloud"));
        assertThat(race.fallbackStarted()).isFalse();
        assertThat(timers.next()).as("the hedge: half the budget").isEqualTo(Duration.ofMillis(1500));
        assertThat(timers.next()).as("the deadline").isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void aStalledPrimaryIsHedgedAtAShareOfTheBudgetAndTheFallbackWins() throws Exception {
        Race<String> race = Race.start(stalled(), answer -> answer.accept("local"), s -> { }, budget(3000), timers);
        CompletableFuture<Race.Win<String>> win = CompletableFuture.supplyAsync(() -> {
            try {
                return race.await(true);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Duration hedge = timers.next();
        assertThat(race.fallbackStarted()).isFalse();
        timers.advance(hedge);
        assertThat(win.get(10, TimeUnit.SECONDS)).isEqualTo(new Race.Win<>(Race.Side.FALLBACK, "local"));
        assertThat(timers.nanoTime() - 1).as("answered half-way into the budget").isEqualTo(1_500_000_000L);
        assertThat(race.lost(Race.Side.PRIMARY)).isTrue();
        assertThat(race.lost(Race.Side.FALLBACK)).isFalse();
        never.countDown();
    }

    @Test
    void aFailingPrimaryStartsTheFallbackAtOnceWithoutWaitingForTheHedge() throws Exception {
        Race<String> race = Race.start(answer -> {
            throw new IllegalStateException("HTTP 503");
        }, answer -> answer.accept("local"), s -> { }, budget(3000), timers);
        assertThat(race.await(true)).isEqualTo(new Race.Win<>(Race.Side.FALLBACK, "local"));
        assertThat(race.primaryFailure()).hasMessage("HTTP 503");
        assertThat(timers.nanoTime()).as("no time passed").isEqualTo(1);
    }

    @Test
    void whenBothStallTheBudgetsDeadlineEndsTheWaitEmptyHanded() throws Exception {
        Race<String> race = Race.start(stalled(), stalled(), s -> { }, budget(3000), timers);
        CompletableFuture<Race.Win<String>> win = CompletableFuture.supplyAsync(() -> {
            try {
                return race.await(true);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        timers.next();
        timers.next();
        timers.advance(Duration.ofSeconds(3));
        assertThat(race.fallbackStarted()).isTrue();
        assertThat(win.get(10, TimeUnit.SECONDS)).as("the budget is spent").isNull();
        race.abandon();
        never.countDown();
    }

    @Test
    void whenBothFailTheFallbacksFailureIsThrownWithThePrimarysInIt() {
        Race<String> race = Race.start(answer -> {
            throw new IllegalStateException("cloud down");
        }, answer -> {
            throw new IllegalStateException("local broken");
        }, s -> { }, budget(3000), timers);
        assertThatThrownBy(() -> race.await(true)).hasMessage("local broken")
                .satisfies(e -> assertThat(e.getSuppressed()[0]).hasMessage("cloud down"));
    }

    @Test
    void aLateAnswerFromTheLoserIsDiscarded() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> discarded = new CompletableFuture<>();
        Race<String> race = Race.start(answer -> {
            release.await();
            answer.accept("late stream");
        }, answer -> answer.accept("local"), discarded::complete, budget(3000), timers);
        timers.advance(timers.next());
        assertThat(race.await(false).side()).isEqualTo(Race.Side.FALLBACK);
        release.countDown();
        assertThat(discarded.get(10, TimeUnit.SECONDS)).isEqualTo("late stream");
    }

    @Test
    void withoutABudgetThereIsNoHedgeAndNoDeadline() throws Exception {
        Race<String> race = Race.start(answer -> answer.accept("cloud"), answer -> answer.accept("local"), s -> { },
                TurnBudget.NONE, timers);
        assertThat(race.await(true).value()).isEqualTo("cloud");
        assertThat(timers.unseen()).isZero();
    }

    @Test
    void aSpentBudgetHedgesAtOnce() {
        TurnBudget b = budget(3000);
        timers.advance(Duration.ofSeconds(4));
        assertThat(b.remainingNanos()).isZero();
        assertThat(b.hedgeAfterNanos()).isZero();
        assertThat(TurnBudget.starting(timers::nanoTime, 0, 0)).isSameAs(TurnBudget.NONE);
    }
}

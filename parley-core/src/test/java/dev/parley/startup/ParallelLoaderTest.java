package dev.parley.startup;

import dev.parley.testing.Patience;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The loader with fake parts synchronised on latches: no sleeps, no timing assumptions beyond the 60 s ceiling. */
class ParallelLoaderTest {

    @Test
    void partsLoadAtTheSameTime() throws Exception {
        ParallelLoader loader = new ParallelLoader(LoadProgress.NONE);
        // each part returns only once all three have started: loaded one after the other, none would ever finish
        CountDownLatch allStarted = new CountDownLatch(3);
        List<ParallelLoader.Part<String>> parts = new ArrayList<>();
        for (String name : List.of("Silero VAD", "Vosk", "skills")) {
            parts.add(loader.add(name, () -> {
                allStarted.countDown();
                if (!allStarted.await(Patience.CEILING_SECONDS, TimeUnit.SECONDS)) throw new IllegalStateException("loaded one by one");
                return name + " loaded";
            }));
        }
        loader.run();
        assertThat(parts).extracting(ParallelLoader.Part::get).containsExactly("Silero VAD loaded", "Vosk loaded", "skills loaded");
    }

    @Test
    void aFailureNamesItsPartAndCancelsTheOthersWithoutWaitingForThem() throws Exception {
        ParallelLoader loader = new ParallelLoader(LoadProgress.NONE);
        CountDownLatch slowStarted = new CountDownLatch(1);
        CountDownLatch slowInterrupted = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        ParallelLoader.Part<String> slow = loader.add("MaryTTS", () -> {
            slowStarted.countDown();
            try {
                never.await(); // a load that would take forever
                return "voice";
            } catch (InterruptedException e) {
                slowInterrupted.countDown();
                throw e;
            }
        });
        loader.add("Vosk", () -> {
            slowStarted.await();
            throw new IOException("model folder /cache/vosk is damaged");
        });
        assertThatThrownBy(loader::run)
                .isInstanceOfSatisfying(ParallelLoader.LoadFailure.class, f -> {
                    assertThat(f.part()).isEqualTo("Vosk");
                    assertThat(f.getMessage()).isEqualTo("Vosk could not start: model folder /cache/vosk is damaged");
                    assertThat(f.getCause()).isInstanceOf(IOException.class);
                });
        assertThat(slowInterrupted.await(Patience.CEILING_SECONDS, TimeUnit.SECONDS)).as("the other part is interrupted").isTrue();
        assertThatThrownBy(slow::get).isInstanceOf(IllegalStateException.class).hasMessageContaining("MaryTTS");
    }

    @Test
    void aFailureWithoutMessageIsNamedByItsType() {
        ParallelLoader loader = new ParallelLoader(LoadProgress.NONE);
        loader.add("skills", () -> {
            throw new OutOfMemoryError();
        });
        assertThatThrownBy(loader::run).hasMessage("skills could not start: OutOfMemoryError");
    }

    @Test
    void progressNamesWhatLoadsThenEachPartAndTheTotal() throws Exception {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        ParallelLoader loader = new ParallelLoader(new LoadProgress() {
            @Override
            public void loading(List<String> parts) {
                events.add("loading " + parts);
            }

            @Override
            public void loaded(String part, long millis) {
                events.add("loaded " + part);
            }

            @Override
            public void ready(long millis, Map<String, Long> times) {
                events.add("ready " + times.keySet());
            }
        });
        CountDownLatch first = new CountDownLatch(1);
        loader.add("Silero VAD", () -> {
            first.countDown();
            return 1;
        });
        loader.add("skills", () -> {
            first.await(); // finishes second, whatever the scheduling
            return 2;
        });
        loader.run();
        assertThat(events).containsExactly("loading [Silero VAD, skills]", "loaded Silero VAD", "loaded skills",
                "ready [Silero VAD, skills]");
    }

    @Test
    void theConsoleSaysWhatLoadsAndWhenAllIsReady() throws Exception {
        var bytes = new java.io.ByteArrayOutputStream();
        ParallelLoader loader = new ParallelLoader(LoadProgress.console(new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8)));
        loader.add("Vosk", () -> 1);
        loader.run();
        assertThat(bytes.toString(java.nio.charset.StandardCharsets.UTF_8))
                .startsWith("Loading Vosk…" + System.lineSeparator() + "Loaded in ")
                .containsPattern("Loaded in \\d+ ms \\(Vosk \\d+\\)");
    }

    @Test
    void nothingToLoadIsReadyAtOnce() throws Exception {
        assertThat(new ParallelLoader(LoadProgress.NONE).run()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void aLoaderRunsOnce() throws Exception {
        ParallelLoader loader = new ParallelLoader(LoadProgress.NONE);
        loader.run();
        assertThatThrownBy(loader::run).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> loader.add("late", () -> 1)).isInstanceOf(IllegalStateException.class);
    }
}

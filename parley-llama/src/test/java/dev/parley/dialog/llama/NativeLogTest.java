package dev.parley.dialog.llama;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import de.kherud.llama.LogLevel;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** llama.cpp's log lines and errors, as Parley shows them. */
class NativeLogTest {

    @Test
    void levelsAreMappedAndNoiseDropped() {
        Logger logger = (Logger) LoggerFactory.getLogger("llama.cpp");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        Level before = logger.getLevel();
        logger.setLevel(Level.TRACE);
        try {
            NativeLog.accept(LogLevel.ERROR, "failed to load\n");
            NativeLog.accept(LogLevel.WARN, "  odd template  \n");
            NativeLog.accept(LogLevel.INFO, "loading\n");
            NativeLog.accept(LogLevel.DEBUG, "detail");
            NativeLog.accept(LogLevel.INFO, "...");
            NativeLog.accept(LogLevel.INFO, "\n");
            NativeLog.accept(LogLevel.INFO, null);
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(before);
        }

        assertThat(appender.list).extracting(e -> e.getLevel() + " " + e.getFormattedMessage())
                .containsExactly("ERROR failed to load", "WARN odd template", "DEBUG loading", "TRACE detail");
    }

    @Test
    void nativeErrorsBecomeOneLine() {
        assertThat(LlamaBrain.nativeMessage(new RuntimeException(
                "{\"code\":500,\"message\":\"the request \\\"exceeds\\\" the context.\",\"type\":\"server_error\"}")))
                .isEqualTo("the request \"exceeds\" the context");
        assertThat(LlamaBrain.nativeMessage(new RuntimeException("could not load model\nfrom given file path.")))
                .isEqualTo("could not load model from given file path");
        assertThat(LlamaBrain.nativeMessage(new IllegalStateException())).isEqualTo("IllegalStateException");
    }
}

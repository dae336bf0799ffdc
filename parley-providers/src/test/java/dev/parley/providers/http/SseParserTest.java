package dev.parley.providers.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SseParserTest {

    private final List<SseEvent> events = new ArrayList<>();
    private final List<String> comments = new ArrayList<>();
    private final SseParser parser = new SseParser(new SseParser.Listener() {
        @Override
        public void onEvent(SseEvent event) {
            events.add(event);
        }

        @Override
        public void onComment(String comment) {
            comments.add(comment);
        }
    });

    private void feed(String text) throws ProtocolException {
        parser.feed(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Streams that each show a rule of the format, and the events they hold. */
    static Stream<Arguments> streams() {
        return Stream.of(
                Arguments.of("data lines ended by a blank line are one message event",
                        "data: {\"a\":1}\n\ndata: [DONE]\n\n",
                        List.of(SseEvent.message("{\"a\":1}"), SseEvent.message("[DONE]"))),
                // one leading space is dropped, a second one kept; "data" without a colon adds an empty line
                Arguments.of("multi-line data is joined with line feeds",
                        "data: first\ndata:second\ndata:  third\ndata\n\n",
                        List.of(SseEvent.message("first\nsecond\n third\n"))),
                Arguments.of("event and id fields are kept, and the id persists",
                        "event: error\nid: 7\ndata: boom\n\ndata: next\n\n",
                        List.of(new SseEvent("error", "boom", "7"), new SseEvent("message", "next", "7"))),
                Arguments.of("an id with NUL is ignored, retry and unknown fields do nothing",
                        "id: 1\n\nid: bad\0id\nretry: 3000\nfoo: bar\ndata: x\n\n",
                        List.of(new SseEvent("message", "x", "1"))),
                Arguments.of("an event without data is not dispatched and its type does not leak",
                        "event: ping\n\ndata: x\n\n",
                        List.of(SseEvent.message("x"))),
                Arguments.of("a leading byte order mark is dropped",
                        "\uFEFFdata: x\n\n",
                        List.of(SseEvent.message("x"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void aStreamGivesItsEvents(String rule, String stream, List<SseEvent> expected) throws Exception {
        feed(stream);

        assertThat(events).containsExactlyElementsOf(expected);
    }

    @Test
    void crLfAndCrAndLfAllEndLines() throws Exception {
        feed("data: a\r\n\r\ndata: b\r\rdata: c\n\n");

        assertThat(events).extracting(SseEvent::data).containsExactly("a", "b", "c");
    }

    @Test
    void commentsAreReportedAndDoNotDispatch() throws Exception {
        feed(": OPENROUTER PROCESSING\n\n:keep-alive\ndata: x\n\n");

        assertThat(comments).containsExactly(" OPENROUTER PROCESSING", "keep-alive");
        assertThat(events).containsExactly(SseEvent.message("x"));
    }

    @Test
    void anUnfinishedEventAtTheEndIsDiscarded() throws Exception {
        feed("data: whole\n\ndata: half");
        parser.finish();
        feed("\n\n"); // even if fed afterwards, the half event is gone

        assertThat(events).containsExactly(SseEvent.message("whole"));
    }

    @Test
    void anyChunkingOfTheBytesGivesTheSameEvents() throws Exception {
        String stream = "data: héllo wörld – “quotes” 🎉\r\n\r\n: ping\r\nevent: e\rdata: a\rdata: b\r\r"
                + "data: 日本語のテキスト\n\ndata: [DONE]\r\n\r\n";
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        List<SseEvent> expected = List.of(SseEvent.message("héllo wörld – “quotes” 🎉"),
                new SseEvent("e", "a\nb", ""), SseEvent.message("日本語のテキスト"), SseEvent.message("[DONE]"));

        Random random = new Random(20251121);
        for (int round = 0; round < 300; round++) {
            List<SseEvent> got = new ArrayList<>();
            SseParser p = new SseParser(got::add);
            int i = 0;
            while (i < bytes.length) {
                // byte by byte in the first round, random pieces (splitting CRLF and UTF-8 sequences) after
                int n = round == 0 ? 1 : 1 + random.nextInt(12);
                n = Math.min(n, bytes.length - i);
                p.feed(bytes, i, n);
                i += n;
            }
            assertThat(got).as("round %d", round).isEqualTo(expected);
        }
    }

    @Test
    void aTooLongLineIsAProtocolError() {
        SseParser small = new SseParser(events::add, 16, 1000);

        assertThatThrownBy(() -> small.feed(ByteBuffer.wrap("data: 0123456789ABCDEF\n\n".getBytes())))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("longer than 16 bytes");
    }

    @Test
    void tooMuchDataInOneEventIsAProtocolError() {
        SseParser small = new SseParser(events::add, 100, 20);

        assertThatThrownBy(() -> small.feed(ByteBuffer.wrap("data: 0123456789\ndata: 0123456789\n".getBytes())))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("longer than 20 chars");
        assertThat(events).isEmpty();
    }

    @Test
    void aDirectBufferIsReadToItsEnd() throws Exception {
        byte[] bytes = "data: direct\n\n".getBytes(StandardCharsets.UTF_8);
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();

        parser.feed(direct);

        assertThat(direct.hasRemaining()).isFalse();
        assertThat(events).containsExactly(SseEvent.message("direct"));
    }
}

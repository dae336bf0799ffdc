package dev.parley.transport.rest;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The streaming multipart reader: parts found whatever the reads' sizes, bytes that resemble a boundary kept. */
class MultipartReaderTest {
    private static final String B = "XyZ123";

    /** A stream that gives at most one byte per read, as a slow network might. */
    private static InputStream trickle(byte[] bytes) {
        return new FilterInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 1));
            }
        };
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void readsFieldsAndAFileAtAnyReadSize() throws IOException {
        byte[] file = new byte[200_000];
        new Random(7).nextBytes(file);
        // bytes that start like the delimiter but are not one
        System.arraycopy(bytes("\r\n--XyZ12"), 0, file, 1000, 9);
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.writeBytes(bytes("preamble\r\n--" + B + "\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper-1\r\n"));
        body.writeBytes(bytes("--" + B + "  \r\ncontent-disposition: form-data; name=file; filename=\"a.wav\"\r\n"
                + "Content-Type: audio/wav\r\n\r\n"));
        body.writeBytes(file);
        body.writeBytes(bytes("\r\n--" + B + "--\r\nepilogue"));

        for (InputStream in : new InputStream[]{new ByteArrayInputStream(body.toByteArray()), trickle(body.toByteArray())}) {
            MultipartReader reader = new MultipartReader(in, B);
            MultipartReader.Part model = reader.next();
            assertThat(model.name()).isEqualTo("model");
            assertThat(model.filename()).isNull();
            assertThat(new String(model.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("whisper-1");
            MultipartReader.Part f = reader.next();
            assertThat(f.name()).isEqualTo("file");
            assertThat(f.filename()).isEqualTo("a.wav");
            assertThat(f.contentType()).isEqualTo("audio/wav");
            assertThat(f.body().readAllBytes()).isEqualTo(file);
            assertThat(reader.next()).isNull();
        }
    }

    @Test
    void aPartLeftUnreadIsSkipped() throws IOException {
        byte[] body = bytes("--" + B + "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nfirst\r\n--" + B
                + "\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\nsecond\r\n--" + B + "--\r\n");
        MultipartReader reader = new MultipartReader(new ByteArrayInputStream(body), B);
        assertThat(reader.next().name()).isEqualTo("a");
        MultipartReader.Part b = reader.next();
        assertThat(new String(b.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("second");
        assertThat(reader.next()).isNull();
    }

    @Test
    void malformedBodiesAre400() {
        assertThatThrownBy(() -> new MultipartReader(new ByteArrayInputStream(bytes("no boundary at all")), B).next())
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(400));
        assertThatThrownBy(() -> {
            MultipartReader r = new MultipartReader(new ByteArrayInputStream(bytes("--" + B
                    + "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nnever closed")), B);
            r.next().body().readAllBytes();
        }).isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.getMessage()).contains("closing boundary"));
        assertThatThrownBy(() -> new MultipartReader(new ByteArrayInputStream(bytes("--" + B
                + "\r\nContent-Type: text/plain\r\n\r\nx\r\n--" + B + "--")), B).next())
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.getMessage()).contains("no name"));
    }

    @Test
    void theBoundaryComesFromTheContentType() {
        assertThat(MultipartReader.boundaryOf("multipart/form-data; boundary=abc")).isEqualTo("abc");
        assertThat(MultipartReader.boundaryOf("Multipart/Form-Data; charset=utf-8; boundary=\"a b\"")).isEqualTo("a b");
        assertThat(MultipartReader.boundaryOf("multipart/form-data")).isNull();
        assertThat(MultipartReader.boundaryOf("application/json")).isNull();
        assertThat(MultipartReader.boundaryOf(null)).isNull();
    }

    @Test
    void aServerWithoutEnginesAnswers503() {
        assertThatThrownBy(() -> EngineLease.open(null))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(503));
        assertThatThrownBy(() -> EngineLease.open(() -> {
            throw new IllegalStateException("no models");
        })).isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo("engines_unavailable"));
    }
}

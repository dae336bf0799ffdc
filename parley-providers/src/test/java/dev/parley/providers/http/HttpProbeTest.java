package dev.parley.providers.http;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The outage probe: any HTTP answer means the provider is back; a refused or silent connection means it is not. */
class HttpProbeTest {

    @Test
    void anyHttpAnswerEvenAnErrorMeansTheServerIsBack() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.start();
            server.enqueue(new MockResponse.Builder().code(401).build());
            assertThat(HttpProbe.of(URI.create(server.url("/v1").toString())).up()).isTrue();
            assertThat(server.takeRequest().getHeaders().get("Authorization")).as("no key is sent").isNull();
        }
    }

    @Test
    void aConnectionAcceptedAndNeverAnsweredIsDown() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try (Socket s = silent.accept()) {
                    s.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
                } catch (Exception e) {
                    // closed
                }
            });
            URI uri = URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/v1");
            assertThat(new HttpProbe(uri, Duration.ofMillis(200)).up()).isFalse();
        }
    }

    @Test
    void aRefusedConnectionIsDown() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertThat(HttpProbe.of(URI.create("http://127.0.0.1:" + port + "/")).up()).isFalse();
    }
}

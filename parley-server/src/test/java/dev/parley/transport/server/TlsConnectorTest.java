package dev.parley.transport.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real handshakes against a bare Jetty 12 server with a {@link TlsConnector#https} connector. */
class TlsConnectorTest {

    @TempDir
    Path dir;

    private Server server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) server.stop();
    }

    /** Starts a server on {@code host}, any free port, that answers every request with its scheme and host. */
    private int start(TlsMaterial tls, String host) throws Exception {
        server = new Server();
        server.addConnector(TlsConnector.https(server, new HttpConfiguration(), tls, host, 0));
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
                String body = request.getHttpURI().getScheme() + " " + request.isSecure() + " "
                        + Request.getServerName(request);
                Content.Sink.write(response, true, body, callback);
                return true;
            }
        });
        server.start();
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    private static HttpResponse<String> get(SSLContext trust, String url) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().sslContext(trust).connectTimeout(Duration.ofSeconds(10)).build();
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A client context that trusts exactly the given certificates (none: trusts nothing at all). */
    private static SSLContext trusting(X509Certificate... certs) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (int i = 0; i < certs.length; i++) store.setCertificateEntry("ca" + i, certs[i]);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    @Test
    void servesTheSelfSignedCertificateToAClientThatTrustsIt() throws Exception {
        TlsMaterial tls = TlsMaterial.selfSigned(dir, Clock.systemUTC());
        int port = start(tls, "127.0.0.1");

        HttpResponse<String> byName = get(tls.clientSslContext(), "https://localhost:" + port + "/");
        HttpResponse<String> byAddress = get(trusting(tls.certificate()), "https://127.0.0.1:" + port + "/");

        assertThat(byName.statusCode()).isEqualTo(200);
        assertThat(byName.body()).isEqualTo("https true localhost");
        assertThat(byName.sslSession()).get().satisfies(session -> {
            assertThat(session.getProtocol()).isEqualTo("TLSv1.3");
            assertThat(session.getPeerCertificates()).containsExactly(tls.certificate());
        });
        assertThat(byAddress.statusCode()).isEqualTo(200);
        assertThat(byAddress.body()).isEqualTo("https true 127.0.0.1");
    }

    @Test
    void servesIpv6Loopback() throws Exception {
        TlsMaterial tls = TlsMaterial.selfSigned(dir, Clock.systemUTC());
        int port = 0;
        try {
            port = start(tls, "::1");
        } catch (IOException e) {
            Assumptions.abort("no IPv6 loopback here: " + e);
        }

        assertThat(get(tls.clientSslContext(), "https://[::1]:" + port + "/").body()).isEqualTo("https true [::1]");
    }

    @Test
    void speaksTls12ToAClientThatOffersNothingNewer() throws Exception {
        TlsMaterial tls = TlsMaterial.selfSigned(dir, Clock.systemUTC());
        int port = start(tls, "127.0.0.1");
        var parameters = tls.clientSslContext().getDefaultSSLParameters();
        parameters.setProtocols(new String[] {"TLSv1.2"});
        HttpClient client = HttpClient.newBuilder().sslContext(tls.clientSslContext()).sslParameters(parameters)
                .build();

        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.sslSession()).get().extracting(s -> s.getProtocol()).isEqualTo("TLSv1.2");
        var factory = ((SslConnectionFactory) server.getConnectors()[0].getConnectionFactory("SSL"))
                .getSslContextFactory();
        assertThat(factory.getSelectedProtocols()).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
    }

    @Test
    void clientsThatDoNotTrustTheCertificateFailTheHandshake() throws Exception {
        TlsMaterial tls = TlsMaterial.selfSigned(dir, Clock.systemUTC());
        int port = start(tls, "127.0.0.1");
        String url = "https://localhost:" + port + "/";
        X509Certificate unrelated = TlsTestCerts.selfSigned(TlsTestCerts.ec(), "localhost");

        assertThatThrownBy(() -> get(trusting(), url)).as("trusts nothing at all").isInstanceOf(SSLException.class);
        assertThatThrownBy(() -> get(trusting(unrelated), url)).as("trusts another certificate for localhost")
                .isInstanceOf(SSLHandshakeException.class);
        assertThatThrownBy(() -> get(SSLContext.getDefault(), url)).as("trusts the JDK's public CAs")
                .isInstanceOf(SSLHandshakeException.class);
        assertThat(get(tls.clientSslContext(), url).statusCode()).as("still serving").isEqualTo(200);
    }

    @Test
    void aCertificateForAnotherNameFailsHostVerification() throws Exception {
        KeyPair keys = TlsTestCerts.ec();
        X509Certificate other = TlsTestCerts.selfSigned(keys, "intranet.example");
        TlsMaterial tls = TlsMaterial.fromPem(TlsTestCerts.write(dir, "cert.pem", TlsTestCerts.pem(other)),
                TlsTestCerts.write(dir, "key.pem", TlsTestCerts.pkcs8(keys.getPrivate())));
        int port = start(tls, "127.0.0.1");

        assertThatThrownBy(() -> get(tls.clientSslContext(), "https://localhost:" + port + "/"))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("localhost");
    }

    @Test
    void servesAnRsaCertificateWithItsIntermediateToAClientThatTrustsOnlyTheRoot() throws Exception {
        KeyPair rootKeys = TlsTestCerts.ec();
        KeyPair intermediateKeys = TlsTestCerts.ec();
        KeyPair serverKeys = TlsTestCerts.rsa();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        X509Certificate root = TlsTestCerts.rootCa(rootKeys, "Parley Test Root");
        X509Certificate intermediate = TlsTestCerts.issue(intermediateKeys.getPublic(), "Parley Test Intermediate",
                true, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(20)), rootKeys, "Parley Test Root");
        X509Certificate leaf = TlsTestCerts.issue(serverKeys.getPublic(), "localhost", false,
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(10)), intermediateKeys,
                "Parley Test Intermediate");
        Path certFile = TlsTestCerts.write(dir, "fullchain.pem", TlsTestCerts.pem(leaf),
                TlsTestCerts.pem(intermediate));
        Path keyFile = TlsTestCerts.write(dir, "key.pem", TlsTestCerts.pkcs1(serverKeys.getPrivate()));
        int port = start(TlsMaterial.fromPem(certFile, keyFile), "127.0.0.1");

        HttpResponse<String> response = get(trusting(root), "https://localhost:" + port + "/");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.sslSession().orElseThrow().getPeerCertificates()).containsExactly(leaf, intermediate);
    }
}

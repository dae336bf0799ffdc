package dev.parley.transport.server;

import java.security.SecureRandom;
import java.util.HexFormat;

import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Jetty 12 pieces that serve HTTPS and WSS with a {@link TlsMaterial}. With Javalin, in place of its plain
 * connector (Javalin adds that only when no connector has been configured):
 *
 * <pre>{@code
 * config.jetty.addConnector((server, httpConfig) -> TlsConnector.https(server, httpConfig, tls, host, port));
 * }</pre>
 */
public final class TlsConnector {

    /** The protocol versions offered: TLS 1.3 and 1.2, nothing older. */
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private static final SecureRandom RANDOM = new SecureRandom();

    private TlsConnector() {
    }

    /**
     * A server SSL context factory for {@code tls}: TLS 1.2 and 1.3 only, Jetty's default exclusion of weak cipher
     * suites, no renegotiation, no client certificates, and any SNI name (or none, as when a client dials an IP
     * address) accepted. The key store lives in memory under a random password.
     */
    public static SslContextFactory.Server sslContextFactory(TlsMaterial tls) {
        String password = HexFormat.of().formatHex(randomBytes());
        SslContextFactory.Server factory = new SslContextFactory.Server();
        factory.setKeyStore(tls.keyStore(password.toCharArray()));
        factory.setKeyStorePassword(password);
        factory.setKeyManagerPassword(password);
        factory.setCertAlias(TlsMaterial.KEY_ALIAS);
        factory.setIncludeProtocols(PROTOCOLS);
        factory.setRenegotiationAllowed(false);
        factory.setSniRequired(false);
        return factory;
    }

    /**
     * An HTTPS connector (HTTP/1.1 over TLS, which carries WebSocket upgrades too) on {@code host}:{@code port}.
     * Its HTTP configuration is a copy of {@code httpConfig} plus a {@link SecureRequestCustomizer} whose SNI host
     * check is off, so requests for {@code localhost} and {@code 127.0.0.1} are both served; {@code httpConfig}
     * itself is left unchanged.
     *
     * @param host the address to bind, or null for all interfaces
     * @param port the port, or 0 for any free one ({@link ServerConnector#getLocalPort()} tells which, once started)
     */
    public static ServerConnector https(Server server, HttpConfiguration httpConfig, TlsMaterial tls, String host,
            int port) {
        HttpConfiguration secure = new HttpConfiguration(httpConfig);
        secure.setSecureScheme("https");
        if (port > 0) secure.setSecurePort(port);
        if (secure.getCustomizer(SecureRequestCustomizer.class) == null) {
            secure.addCustomizer(new SecureRequestCustomizer(false));
        }
        ServerConnector connector = new ServerConnector(server,
                new SslConnectionFactory(sslContextFactory(tls), HttpVersion.HTTP_1_1.asString()),
                new HttpConnectionFactory(secure));
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
